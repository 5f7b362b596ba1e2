#!/bin/sh
# run-sanitized.sh build BUILD_DIR | run BUILD_DIR LABEL [CTEST-ARGUMENT]...: builds the whole
# project with ASan and UBSan in BUILD_DIR, or runs the tests labelled LABEL there and fails on
# any sanitizer report from any process of ours.
#
# A report on stderr is not enough: the agent's stderr is /dev/null once it has detached, NuGet
# does not read the plugin's, and a test that expects a command to fail can take a crash for
# that failure. So every process writes its reports to a file in BUILD_DIR/sanitizer-reports/
# LABEL/ (log_path), the run fails when one is there, and prints them. Each finding also ends
# its process (abort_on_error, halt_on_error), so the test that caused it usually fails too.
# The build is clang's: GCC links UBSan as a runtime of its own that ignores log_path, so its
# reports would still go to stderr only. Before the tests, a canary checks that a finding whose
# stderr nobody reads still leaves a file.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
usage="usage: run-sanitized.sh build BUILD_DIR | run BUILD_DIR LABEL [CTEST-ARGUMENT]..."
action=${1:?$usage}
build_dir=${2:?$usage}

case $action in
build)
    compiler=$(command -v clang++-14 || command -v clang++ || true)
    if [ -z "$compiler" ]; then
        echo "run-sanitized.sh: clang is not installed (installers/install-build-deps.sh --tests installs it)" >&2
        [ -n "${FEEDZ_TEST_NO_SKIP:-}" ] && exit 1
        exit 77
    fi
    # clang's warnings differ from GCC's; the GCC builds keep -Werror.
    CXX=$compiler cmake -S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
        -DFEEDZ_SANITIZE=ON -DFEEDZ_WARNINGS_AS_ERRORS=OFF >/dev/null
    exec cmake --build "$build_dir" -j"$(nproc)"
    ;;
run) ;;
*)
    echo "$usage" >&2
    exit 2
    ;;
esac

label=${3:?$usage}
shift 3
build_dir=$(cd "$build_dir" && pwd)
reports=$build_dir/sanitizer-reports/$label
rm -rf "$reports"
mkdir -p "$reports"
# Some tests run our programs as another user (nobody), whose reports must land here too.
chmod 1777 "$reports"
checks=detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1
checks=$checks:strict_init_order=1:strict_string_checks=1
export ASAN_OPTIONS="$checks:abort_on_error=1:log_path=$reports/report:log_exe_name=1"
# print_suppressions=0: a process whose only leaks are suppressed writes no file.
export LSAN_OPTIONS="suppressions=$here/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

canary=$build_dir/tests/sanitize/feedz-sanitizer-canary
for finding in leak undefined; do
    status=0
    "$canary" "$finding" >/dev/null 2>&1 || status=$?
    if [ "$status" -eq 0 ] || [ -z "$(ls "$reports")" ]; then
        echo "run-sanitized.sh: '$canary $finding' went unnoticed (exit $status, nothing in" \
            "$reports): sanitizer findings would not fail this run" >&2
        exit 1
    fi
    rm -f "$reports"/*
done

status=0
ctest --test-dir "$build_dir" -L "$label" -j"$(nproc)" --output-on-failure --no-tests=error \
    --no-label-summary "$@" || status=$?

# An agent exits when its test's session bus goes away, a moment after the test: wait for the
# programs of this tree to end (10 s at most), so that what they report at exit is counted.
programs_running() {
    for exe in /proc/[0-9]*/exe; do
        case $(readlink "$exe" 2>/dev/null) in "$build_dir"/*) return 0 ;; esac
    done
    return 1
}
for _ in $(seq 100); do
    programs_running || break
    sleep 0.1
done

found=$(ls "$reports")
if [ -n "$found" ]; then
    for file in "$reports"/*; do
        printf '\n==== %s\n' "$file"
        cat "$file"
    done
    echo "run-sanitized.sh: $(echo "$found" | wc -l) sanitizer report(s) in $reports" >&2
    status=1
fi
exit "$status"
