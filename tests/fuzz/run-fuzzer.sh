#!/bin/sh
# run-fuzzer.sh build BUILD_DIR | run BUILD_DIR NAME: builds the fuzz targets (clang, with ASan
# and UBSan) in BUILD_DIR, or runs the target NAME for FEEDZ_FUZZ_SECONDS (default 60) from its
# committed seeds (corpus/NAME/) and what earlier runs found. A crash, a sanitizer report or a
# property that does not hold fails the run and leaves the input in BUILD_DIR/findings/.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
action=${1:?usage: run-fuzzer.sh build BUILD_DIR | run BUILD_DIR NAME}
build_dir=${2:?usage: run-fuzzer.sh build BUILD_DIR | run BUILD_DIR NAME}

skip() {
    if [ -n "${FEEDZ_TEST_NO_SKIP:-}" ]; then
        echo "run-fuzzer.sh: $1, and FEEDZ_TEST_NO_SKIP forbids skipping" >&2
        exit 1
    fi
    echo "SKIP: $1" >&2
    exit 77
}

case $action in
build)
    compiler=$(command -v clang++-14 || command -v clang++ || true)
    [ -n "$compiler" ] || skip "clang is not installed (installers/install-build-deps.sh --tests installs it)"
    # clang's warnings differ from GCC's; the GCC builds keep -Werror.
    CXX=$compiler cmake -S "$top" -B "$build_dir" -DFEEDZ_FUZZ=ON -DFEEDZ_WARNINGS_AS_ERRORS=OFF \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build_dir" -j"$(nproc)" --target fuzzers
    ;;
run)
    name=${3:?usage: run-fuzzer.sh run BUILD_DIR NAME}
    fuzzer=$build_dir/tests/fuzz/fuzz-$name
    [ -x "$fuzzer" ] || { echo "run-fuzzer.sh: $fuzzer is not built (run-fuzzer.sh build)" >&2; exit 1; }
    mkdir -p "$build_dir/corpus/$name" "$build_dir/findings"
    export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:allocator_may_return_null=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    # libFuzzer's own failure status is 77, which ctest would read as a skip.
    exec "$fuzzer" -max_total_time="${FEEDZ_FUZZ_SECONDS:-60}" -timeout=10 -rss_limit_mb=2048 \
        -error_exitcode=1 -timeout_exitcode=1 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$build_dir/findings/$name-" \
        "$build_dir/corpus/$name" "$here/corpus/$name"
    ;;
*)
    echo "usage: run-fuzzer.sh build BUILD_DIR | run BUILD_DIR NAME" >&2
    exit 2
    ;;
esac
