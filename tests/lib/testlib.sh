# testlib.sh: sourced by the integration tests (bash). Each test runs in a throwaway HOME with
# its own XDG directories and runtime directory, so no test can touch the developer's agent,
# keychain or files, and no agent outlives its test.
#
# Needs FEEDZ_AGENT (the feedz-agent binary) and FEEDZ_PROBE (feedz-agent-probe); ctest sets
# both. Exit status: 0 pass, 1 fail, 77 skip (a tool is missing; the reason is printed).

set -u
set -o pipefail

TESTS_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TEST_NAME=$(basename "$0" .sh)
: "${FEEDZ_AGENT:?set FEEDZ_AGENT to the feedz-agent binary}"
: "${FEEDZ_PROBE:?set FEEDZ_PROBE to the feedz-agent-probe binary}"

fail() {
    echo "FAIL: $TEST_NAME: $*" >&2
    exit 1
}

skip() {
    if [ -n "${FEEDZ_TEST_NO_SKIP:-}" ]; then
        fail "cannot run here ($*), and FEEDZ_TEST_NO_SKIP forbids skipping"
    fi
    echo "SKIP: $TEST_NAME: $*" >&2
    exit 77
}

step() {
    echo "--- $*"
}

require_tool() {
    command -v "$1" >/dev/null 2>&1 || skip "$1 is not installed${2:+ ($2)}"
}

# Runs the whole test again inside a private D-Bus session with an unlocked gnome-keyring
# (with-test-keyring.sh). Call before use_throwaway_home.
run_inside_test_keyring() {
    if [ -n "${FEEDZ_TEST_IN_KEYRING:-}" ]; then
        return 0
    fi
    local root
    root=$(mktemp -d "${TMPDIR:-/tmp}/feedz-$TEST_NAME.XXXXXX")
    local status=0
    FEEDZ_TEST_IN_KEYRING=1 KEYRING_HOME="$root" "$TESTS_LIB/with-test-keyring.sh" \
        bash "$0" "$@" || status=$?
    if [ "$status" -eq 0 ]; then
        rm -rf "$root"
    else
        echo "test data kept in $root" >&2
    fi
    exit "$status"
}

# A fresh HOME for this test (or, inside the test keyring, the keyring's HOME) with XDG_*
# directories and a 0700 XDG_RUNTIME_DIR. Stops the agent and removes the directory on exit.
use_throwaway_home() {
    if [ -n "${FEEDZ_TEST_IN_KEYRING:-}" ]; then
        TEST_ROOT=$HOME
    else
        TEST_ROOT=$(mktemp -d "${TMPDIR:-/tmp}/feedz-$TEST_NAME.XXXXXX")
        export HOME="$TEST_ROOT"
        export XDG_CONFIG_HOME="$HOME/.config" XDG_STATE_HOME="$HOME/.local/state"
        export XDG_DATA_HOME="$HOME/.local/share" XDG_CACHE_HOME="$HOME/.cache"
        export XDG_RUNTIME_DIR="$HOME/run"
        mkdir -p -m 700 "$XDG_RUNTIME_DIR"
    fi
    # DOTNET_CLI_HOME would take NuGet (and feedz-agent's NuGet.Config edits) out of HOME.
    unset FEEDZ_AGENT_SOCKET FEEDZ_PAT FEEDZ_CREDENTIALS FEEDZ_AGENT_IDLE_TIMEOUT FEEDZ_AGENT_KEYCHAIN_TIMEOUT DOTNET_CLI_HOME
    AGENT_SOCKET="$XDG_RUNTIME_DIR/feedz-agent/agent.sock"
    AUDIT_LOG="$XDG_STATE_HOME/feedz-agent/audit.log"
    trap finish EXIT
}

# Commands finish() runs first (eval'd), for what a test started: add_cleanup 'kill $PID'.
CLEANUPS=()
add_cleanup() {
    CLEANUPS+=("$1")
}

# The EXIT trap: cleans up and exits with the test's status (which cleanup never changes).
finish() {
    local status=$?
    local cleanup
    for cleanup in "${CLEANUPS[@]}"; do
        eval "$cleanup" >/dev/null 2>&1 || true
    done
    stop_agent_if_running
    # Background helpers of the test (a foreground agent, an activator) must not outlive it.
    local jobs
    jobs=$(jobs -p)
    [ -z "$jobs" ] || kill $jobs 2>/dev/null || true
    if [ -z "${FEEDZ_TEST_IN_KEYRING:-}" ] && [ -n "${TEST_ROOT:-}" ]; then
        if [ "$status" -eq 0 ]; then
            rm -rf "$TEST_ROOT"
        else
            echo "test data kept in $TEST_ROOT" >&2
        fi
    fi
    exit "$status"
}

# True when an agent holds the lock of $AGENT_SOCKET (the socket given, if any).
agent_running() {
    local socket=${1:-$AGENT_SOCKET}
    [ -e "$socket.lock" ] || return 1
    ! flock -n "$socket.lock" true
}

# Stops the agent on the test's socket; kills it if it does not stop.
stop_agent_if_running() {
    local socket=${1:-$AGENT_SOCKET}
    agent_running "$socket" || return 0
    FEEDZ_AGENT_SOCKET="$socket" "$FEEDZ_AGENT" stop >/dev/null 2>&1 || true
    if agent_running "$socket"; then
        local pid
        pid=$(cat "$socket.lock" 2>/dev/null || true)
        [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
    fi
}

# Runs a command, keeping its stdout in $OUT, stderr in $ERR and exit code in $STATUS.
# Every output is also appended to $ALL_OUTPUT, which tests search for tokens at the end.
run() {
    local out_file err_file
    out_file=$(mktemp) err_file=$(mktemp)
    STATUS=0
    "$@" >"$out_file" 2>"$err_file" || STATUS=$?
    OUT=$(cat "$out_file") ERR=$(cat "$err_file")
    rm -f "$out_file" "$err_file"
    ALL_OUTPUT="${ALL_OUTPUT:-}$OUT$ERR"
}

# run, and fail unless the exit code is $1.
expect_exit() {
    local expected=$1
    shift
    run "$@"
    if [ "$STATUS" -ne "$expected" ]; then
        fail "expected exit $expected from '$*', got $STATUS
stdout: $OUT
stderr: $ERR"
    fi
}

expect_success() {
    expect_exit 0 "$@"
}

expect_contains() {
    local haystack=$1 needle=$2 what=${3:-output}
    case "$haystack" in
    *"$needle"*) ;;
    *) fail "$what does not contain '$needle':
$haystack" ;;
    esac
}

expect_not_contains() {
    local haystack=$1 needle=$2 what=${3:-output}
    case "$haystack" in
    *"$needle"*) fail "$what contains '$needle' but must not:
$haystack" ;;
    esac
}

expect_eq() {
    [ "$1" = "$2" ] || fail "${3:-value}: expected '$2', got '$1'"
}

# A token of the form Feedz issues (T- and 40 random characters); never a fixed string, so a
# test cannot pass by finding something that was there before.
new_token() {
    printf 'T-%s' "$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
}

sha256_of() {
    printf '%s' "$1" | sha256sum | cut -d' ' -f1
}

# What login_with adds: tests of the agent and the keychain talk to no feed and touch no
# package manager configuration (the e2e tests do).
LOGIN_DEFAULTS=(--no-verify --no-nuget --npm none)

# login with the token on stdin, plus LOGIN_DEFAULTS; remaining arguments go to login.
login_with() {
    local token=$1
    shift
    run sh -c 't=$1; shift; printf "%s" "$t" | "$FEEDZ_AGENT" login --pat-stdin "$@"' sh "$token" \
        "${LOGIN_DEFAULTS[@]}" "$@"
}

# Fails if $1 appears in any file under the given paths, or in anything a command printed.
expect_secret_nowhere() {
    local token=$1
    shift
    local found
    found=$(grep -rlF -- "$token" "$@" 2>/dev/null || true)
    [ -z "$found" ] || fail "the token was found in: $found"
    expect_not_contains "${ALL_OUTPUT:-}" "$token" "command output"
}

# Makes `as_user CMD...` run CMD as an unprivileged user who owns the throwaway HOME: as root,
# permission bits do not stop anything, so tests of refused writes need someone they stop.
# Call after use_throwaway_home. Sets RUN_AS_ROOT=1 when the test itself is root (only then can
# it create files owned by someone else).
use_unprivileged_user() {
    RUN_AS_ROOT=0
    if [ "$(id -u)" -eq 0 ]; then
        require_tool setpriv
        RUN_AS_ROOT=1
        chown -R 65534:65534 "$TEST_ROOT"
        add_cleanup 'as_user "$FEEDZ_AGENT" stop'
    fi
}

as_user() {
    if [ "${RUN_AS_ROOT:-0}" -eq 1 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups "$@"
    else
        "$@"
    fi
}

# login_with as that user; the token on stdin, the arguments as given (no LOGIN_DEFAULTS).
login_as_user() {
    local token=$1
    shift
    run as_user sh -c 't=$1; shift; printf "%s" "$t" | "$FEEDZ_AGENT" login --pat-stdin "$@"' \
        sh "$token" "$@"
}
