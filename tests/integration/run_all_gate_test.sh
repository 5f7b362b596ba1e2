#!/usr/bin/env bash
# tests/run-all.sh is the gate CI stands on: it must fail when a test fails, when no test runs,
# and (with --ci) when a test is skipped, and end on ctest's own summary. This runs the real
# script, with the real installers/build.sh and install-build-deps.sh beside it as in the
# repository, on a throwaway CMake project whose tests pass, fail or skip as each case needs.
source "$(dirname "$0")/../lib/testlib.sh"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
require_tool cmake
require_tool ctest
use_throwaway_home

project=$TEST_ROOT/project
mkdir -p "$project/tests" "$project/installers"
cp "$TOP/tests/run-all.sh" "$project/tests/"
cp "$TOP/installers/build.sh" "$TOP/installers/install-build-deps.sh" "$project/installers/"
# One test per line of cases.txt, "NAME EXIT-STATUS"; 77 is a skip. build.sh configures the
# project on every run, so each case's file takes effect.
cat >"$project/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(gate NONE)
enable_testing()
file(STRINGS cases.txt cases)
foreach(case IN LISTS cases)
    separate_arguments(fields UNIX_COMMAND "${case}")
    list(GET fields 0 name)
    list(GET fields 1 status)
    add_test(NAME ${name} COMMAND sh -c "exit ${status}")
    set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE 77)
endforeach()
CMAKE

# gate CASES [ARGUMENT]...: runs run-all.sh with these tests.
gate() {
    printf '%s\n' "$1" >"$project/cases.txt"
    shift
    run env -u FEEDZ_TEST_NO_SKIP -u BUILD_DIR "$project/tests/run-all.sh" "$@"
}
last_lines() {
    printf '%s\n' "$OUT" | tail -n 4
}

step "every test passes: exit 0, and the last lines are ctest's summary"
gate "one 0
two 0"
expect_eq "$STATUS" 0 "exit status with passing tests"
expect_contains "$(last_lines)" "100% tests passed, 0 tests failed out of 2" "the last lines"

step "a test fails: exit status not 0, and the summary counts it"
gate "one 0
broken 1"
[ "$STATUS" -ne 0 ] || fail "run-all.sh exited 0 although a test failed:
$OUT"
expect_contains "$OUT" "50% tests passed, 1 tests failed out of 2"
expect_contains "$OUT" "broken (Failed)"

step "ctest arguments narrow the run: -R one leaves the failing test out"
gate "one 0
broken 1" -R one
expect_eq "$STATUS" 0 "exit status of run-all.sh -R one"
expect_contains "$(last_lines)" "100% tests passed, 0 tests failed out of 1" "the last lines"

step "no test at all: exit status not 0"
gate ""
[ "$STATUS" -ne 0 ] || fail "run-all.sh exited 0 with no test:
$OUT"
expect_contains "$OUT$ERR" "No tests were found"

step "a filter that matches nothing: exit status not 0"
gate "one 0" -R nothing-has-this-name
[ "$STATUS" -ne 0 ] || fail "run-all.sh exited 0 when no test matched:
$OUT"

step "every test skipped: no test ran, so exit status not 0"
gate "absent 77"
[ "$STATUS" -ne 0 ] || fail "run-all.sh exited 0 when every test was skipped:
$OUT"
expect_contains "$ERR" "no test ran"

step "a skip beside a pass: fine for a developer, a failure with --ci"
gate "one 0
absent 77"
expect_eq "$STATUS" 0 "exit status without --ci"
gate "one 0
absent 77" --ci
[ "$STATUS" -ne 0 ] || fail "run-all.sh --ci exited 0 although a test was skipped:
$OUT"
expect_contains "$ERR" "nothing may skip"

echo "PASS: $TEST_NAME"
