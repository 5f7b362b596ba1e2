#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# feedz-agent exec where its memfd cannot be read through /proc/<pid>/fd (here: an empty
# directory mounted over it in a private mount namespace, as a hardened /proc would be):
#   - the merged config goes to a 0600 file in $XDG_RUNTIME_DIR/feedz-agent, npm install and a
#     nested npm view in postinstall authenticate, and the file is gone afterwards;
#   - a file left by an exec that was killed (SIGKILL) is swept by the next exec;
#   - without XDG_RUNTIME_DIR, exec refuses to write the token anywhere.
# Needs `unshare --mount` (root, or unprivileged user namespaces); skips without it.
source "$(dirname "$0")/lib.sh"
require_npm
require_tool unshare
use_throwaway_home
npm_setup
unshare --mount true 2>/dev/null || skip "unshare --mount is not permitted here"
export FEEDZ_AGENT_STORE=memory
start_test_feed --revocation-delay 1
feed_admin repo create acme/pkgs
feed_npm_package acme/pkgs @acme/hello 1.0.0
feed_token READ dev read
FEED=${FEED_URL}acme/pkgs/
RUNTIME=$XDG_RUNTIME_DIR/feedz-agent
mkdir -p "$TEST_ROOT/empty"

# without_proc_fd COMMAND...: COMMAND with its own /proc/<pid>/fd hidden (it keeps the pid).
without_proc_fd() {
    unshare --mount sh -c 'mount --bind "$1" /proc/$$/fd && shift && exec "$@"' sh "$TEST_ROOT/empty" "$@"
}

npm_login "$READ" --feed "$FEED" --access read --npm exec --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"

step "a file left by a crashed exec is there to be swept"
sh -c 'exit 0' &
dead_pid=$!
wait "$dead_pid"
stale="$RUNTIME/npmrc.$dead_pid.AbCdEf"
printf 'left=behind\n' >"$stale"

step "exec -- npm install through a 0600 file in XDG_RUNTIME_DIR"
make_app "$HOME/app" '"scripts":{"postinstall":"npm view @acme/hello version > nested.out && printenv NPM_CONFIG_USERCONFIG > userconfig.out && stat -c %a \"$NPM_CONFIG_USERCONFIG\" > mode.out"}'
mark=$(log_mark)
cd "$HOME/app" || fail "no app directory"
run without_proc_fd feedz-agent exec -- npm install
cd "$TEST_ROOT" || fail "no test directory"
[ "$STATUS" -eq 0 ] || fail "exec -- npm install failed:
$OUT
$ERR"
expect_eq "$(cat "$HOME/app/nested.out")" "1.0.0" "the nested npm view"
case "$(cat "$HOME/app/userconfig.out")" in
"$RUNTIME"/npmrc.*) ;;
*) fail "NPM_CONFIG_USERCONFIG is not in $RUNTIME: $(cat "$HOME/app/userconfig.out")" ;;
esac
expect_eq "$(cat "$HOME/app/mode.out")" 600 "the mode of the fallback file"
[ ! -e "$(cat "$HOME/app/userconfig.out")" ] || fail "the fallback file was not removed"
[ ! -e "$stale" ] || fail "the stale file of a dead process was not swept"
expect_not_contains "$(log_since "$mark")" '"auth":"none"' "feed log"
expect_contains "$(log_since "$mark")" "$(log_line GET /acme/pkgs/npm/@acme%2fhello basic feedz "${READ:0:7}" 200)" "feed log"

step "exec killed with SIGKILL leaves its file; the next exec sweeps it"
# A subshell that execs, so that $! is feedz-agent's pid (unshare and sh exec too).
(exec unshare --mount sh -c 'mount --bind "$1" /proc/$$/fd && shift && exec "$@"' sh "$TEST_ROOT/empty" \
    feedz-agent exec -- sh -c 'echo "$$ $NPM_CONFIG_USERCONFIG" >"$1"; exec sleep 60' sh "$TEST_ROOT/killed") &
exec_pid=$!
for _ in $(seq 1 100); do
    [ -s "$TEST_ROOT/killed" ] && break
    sleep 0.05
done
read -r child_pid left <"$TEST_ROOT/killed"
expect_eq "$(cat "/proc/$exec_pid/comm")" "feedz-agent" "the process to kill"
kill -KILL "$exec_pid"
wait "$exec_pid" 2>/dev/null
kill "$child_pid" 2>/dev/null
[ -e "$left" ] || fail "the killed exec's file is not there: the test proves nothing"
run without_proc_fd feedz-agent exec -- true
[ "$STATUS" -eq 0 ] || fail "exec -- true failed: $OUT $ERR"
[ ! -e "$left" ] || fail "the next exec did not sweep $left"

step "without XDG_RUNTIME_DIR, exec writes the token nowhere"
run env -u XDG_RUNTIME_DIR FEEDZ_AGENT_SOCKET="$AGENT_SOCKET" \
    unshare --mount sh -c 'mount --bind "$1" /proc/$$/fd && exec feedz-agent exec -- true' sh "$TEST_ROOT/empty"
[ "$STATUS" -ne 0 ] || fail "exec ran without a place for its config"
expect_contains "$ERR" "no token is written to disk"
expect_token_in_no_file "$READ" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR" /tmp
echo "PASS: $TEST_NAME"
