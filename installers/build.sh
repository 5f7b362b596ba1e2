#!/bin/sh
# build.sh [TARGET]...: configures the build directory the one way every script here uses it,
# then builds TARGETs (default: everything, tests included).
#
#   BUILD_DIR   build directory (default: build)
#
# install.sh, demo.sh and tests/run-all.sh all build through this script, so each of them can
# run after any other on one checkout: each configures the tree it is about to use (cheap when
# nothing changed), and none leaves a configuration that another cannot build with. Options set
# by hand in the cache (cmake -D…) are kept, except these, which the scripts depend on.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$top/build}

command -v cmake >/dev/null 2>&1 \
    || { echo "build.sh: cmake is missing: run installers/install-build-deps.sh first" >&2; exit 1; }
cmake -S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFEEDZ_BUILD_TESTS=ON >/dev/null
jobs=$(nproc 2>/dev/null || echo 2)
if [ $# -eq 0 ]; then
    cmake --build "$build_dir" -j"$jobs"
else
    cmake --build "$build_dir" -j"$jobs" --target "$@"
fi
