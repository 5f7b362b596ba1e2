#!/bin/sh
# run-all.sh [--ci] [CTEST-ARGUMENT]...: sets up a Debian 12 machine, builds feedz-agent and runs
# every test: unit, integration, end-to-end with the real npm and dotnet, the sanitizer build,
# the fuzzers and the benchmarks' smoke runs. CTEST-ARGUMENTs narrow the run (-L unit,
# -R integration.doctor, …).
#
# It fails (exit status not 0) when a test fails, when no test ran, and, with --ci, when a test
# was skipped: on the CI machine every tool is present. Its last lines are ctest's summary.
#   BUILD_DIR  build directory (default: build)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$top/build}
ci=0
if [ "${1:-}" = "--ci" ]; then
    ci=1
    shift
fi

"$top/installers/install-build-deps.sh" --tests
BUILD_DIR=$build_dir "$top/installers/build.sh"

if [ "$ci" = 1 ]; then
    export FEEDZ_TEST_NO_SKIP=1
fi
# No pipe: a pipeline's status is its last command's, and sh has no pipefail. ctest writes its
# own copy of the output (-O), so its exit status is the one tested here.
log=$build_dir/ctest.log
status=0
(cd "$build_dir" && ctest -j"$(nproc)" --output-on-failure --no-tests=error --no-label-summary \
    -O "$log" "$@") || status=$?

# ctest counts a skipped test as passed and exits 0 when every test was skipped.
if [ "$status" = 0 ] && ! grep -q ' Passed ' "$log"; then
    echo "run-all.sh: no test ran (every test was skipped)" >&2
    status=1
fi
if [ "$ci" = 1 ] && grep -q -e '\*\*\*Skipped' -e '(Skipped)' "$log"; then
    echo "run-all.sh: tests were skipped; on the CI machine nothing may skip" >&2
    status=1
fi
exit "$status"
