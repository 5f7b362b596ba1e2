#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `login --npm exec` and `feedz-agent exec -- npm ...` with the real npm against the local HTTPS
# feed, tokens in a real gnome-keyring behind the agent:
#   - login writes nothing secret (only the scope line);
#   - exec -- npm install succeeds with the Read token, and the project's postinstall script
#     runs a nested `npm view` that authenticates too;
#   - exec -- npm publish with only a Read token fails before the network, naming the level
#     and the token's prefix; with a Read/Write token stored it succeeds, with that token, while
#     installs keep using the Read one;
#   - a project .npmrc with a ${NAME} placeholder on the feed's key works through exec;
#   - signals reach the command, its exit status comes back, a missing command is 127;
#   - afterwards no form of either token is in any file under HOME, the projects,
#     $XDG_RUNTIME_DIR or /tmp, nor in any output.
source "$(dirname "$0")/lib.sh"
require_npm
run_inside_test_keyring
use_throwaway_home
npm_setup
start_test_feed --revocation-delay 1
feed_admin repo create acme/pkgs
feed_npm_package acme/pkgs @acme/hello 1.0.0
feed_token READ dev read
feed_token WRITE ci read-write
FEED=${FEED_URL}acme/pkgs/
REGISTRY=${FEED}npm/
NERF=//${FEED_HOST}/acme/pkgs/npm/
NPMRC=$HOME/.npmrc
printf 'save-exact=true\n' >"$NPMRC"

step "login --npm exec keeps nothing secret at rest"
npm_login "$READ" --feed "$FEED" --access read --npm exec --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$OUT" "no credential is kept at rest"
expect_eq "$(cat "$NPMRC")" "save-exact=true
@acme:registry=$REGISTRY" "~/.npmrc"

step "without exec, npm has no credential"
make_app "$HOME/plain"
in_dir "$HOME/plain" npm install
[ "$STATUS" -ne 0 ] || fail "npm install succeeded without credentials"
expect_contains "$OUT$ERR" "E401" "npm install output"

step "exec -- npm install; the postinstall script's nested npm view authenticates"
make_app "$HOME/app" '"scripts":{"postinstall":"npm view @acme/hello version > nested.out && printenv NPM_CONFIG_USERCONFIG > userconfig.out"}'
mark=$(log_mark)
in_dir "$HOME/app" feedz-agent exec -- npm install
[ "$STATUS" -eq 0 ] || fail "exec -- npm install failed:
$OUT
$ERR"
expect_eq "$(cd "$HOME/app" && node -p 'require("@acme/hello")')" "@acme/hello@1.0.0" "the installed package"
expect_eq "$(cat "$HOME/app/nested.out")" "1.0.0" "the nested npm view"
case "$(cat "$HOME/app/userconfig.out")" in
/proc/[0-9]*/fd/[0-9]*) ;;
*) fail "NPM_CONFIG_USERCONFIG is not a memfd path: $(cat "$HOME/app/userconfig.out")" ;;
esac
requests=$(log_since "$mark")
expect_not_contains "$requests" '"auth":"none"' "feed log"
[ "$(grep -cF "$(log_line GET /acme/pkgs/npm/@acme%2fhello basic feedz "${READ:0:7}" 200)" <<<"$requests")" -ge 2 ] \
    || fail "the feed did not see both the install's and the nested view's request with the token:
$requests"
expect_contains "$requests" "$(log_line GET /acme/pkgs/npm/@acme/hello/-/hello-1.0.0.tgz basic feedz "${READ:0:7}" 200)" "feed log"

step "exec -- npm publish with only a Read token fails before the network"
make_library "$HOME/lib" @acme/lib 1.0.0
mark=$(log_mark)
in_dir "$HOME/lib" feedz-agent exec -- npm publish
[ "$STATUS" -ne 0 ] || fail "publish succeeded with a Read token"
expect_contains "$ERR" "npm publish needs a Read/Write token for $REGISTRY, and 'acme/pkgs' (${READ:0:7}…) is Read"
expect_eq "$(log_since "$mark")" "" "requests made by the refused publish"

step "with a Read/Write token stored, exec -- npm publish uses it; installs keep the Read one"
npm_login "$WRITE" --feed "$FEED" --access read-write --npm exec --name ci
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
mark=$(log_mark)
in_dir "$HOME/lib" feedz-agent exec -- npm publish
[ "$STATUS" -eq 0 ] || fail "exec -- npm publish failed:
$OUT
$ERR"
expect_contains "$(log_since "$mark")" "$(log_line PUT /acme/pkgs/npm/@acme%2flib basic feedz "${WRITE:0:7}" 201)" "feed log"
mark=$(log_mark)
in_dir "$HOME/app" feedz-agent exec -- npm view @acme/lib version
expect_eq "$OUT" "1.0.0" "npm view through exec"
expect_contains "$(log_since "$mark")" "$(log_line GET /acme/pkgs/npm/@acme%2flib basic feedz "${READ:0:7}" 200)" "feed log"
expect_not_contains "$(log_since "$mark")" "${WRITE:0:7}" "feed log of a read"

step "a project .npmrc with a \${NAME} placeholder on the feed's key"
make_app "$HOME/ci-app"
printf '%s:_auth=${FEEDZ_NPM_AUTH}\n' "$NERF" >"$HOME/ci-app/.npmrc"
in_dir "$HOME/ci-app" feedz-agent exec -- npm install
[ "$STATUS" -eq 0 ] || fail "exec -- npm install with a placeholder failed:
$OUT
$ERR"
make_app "$HOME/ci-app-token"
printf '%s:_authToken=${FEEDZ_NPM_TOKEN}\n' "$NERF" >"$HOME/ci-app-token/.npmrc"
in_dir "$HOME/ci-app-token" feedz-agent exec -- npm install
[ "$STATUS" -eq 0 ] || fail "exec -- npm install with an _authToken placeholder failed:
$OUT
$ERR"

make_app "$HOME/stale-app"
printf '%s:_auth=%s\n' "$NERF" "$(printf 'feedz:T-stale' | base64 -w0)" >"$HOME/stale-app/.npmrc"
in_dir "$HOME/stale-app" feedz-agent exec -- npm install
[ "$STATUS" -ne 0 ] || fail "a stale project credential did not override exec's"
expect_contains "$ERR" "feedz-agent: warning: $HOME/stale-app/.npmrc:1 sets a credential for $REGISTRY, which npm uses instead of feedz-agent's"

# A placeholder that names a variable which changes how programs run is never filled in.
make_app "$HOME/preload-app"
printf '%s:_auth=${LD_PRELOAD}\n' "$NERF" >"$HOME/preload-app/.npmrc"
in_dir "$HOME/preload-app" feedz-agent exec -- sh -c 'echo "LD_PRELOAD=${LD_PRELOAD:-unset}"'
expect_contains "$OUT" "LD_PRELOAD=unset" "the command's environment"
expect_not_contains "$ERR" "cannot be preloaded" "stderr"

step "exit status, signals and a missing command"
run feedz-agent exec -- sh -c 'exit 3'
expect_eq "$STATUS" 3 "exit status of the command"
run feedz-agent exec -- sh -c 'kill -TERM $$'
expect_eq "$STATUS" 143 "exit status of a command killed by SIGTERM"
feedz-agent exec -- sh -c 'trap "echo got-term; exit 42" TERM; echo ready; while :; do sleep 0.1; done' \
    >"$TEST_ROOT/signal.out" 2>&1 &
exec_pid=$!
for _ in $(seq 1 100); do
    grep -q ready "$TEST_ROOT/signal.out" && break
    sleep 0.05
done
kill -TERM "$exec_pid"
status=0
wait "$exec_pid" || status=$?
expect_eq "$status" 42 "exit status after SIGTERM to feedz-agent exec"
expect_contains "$(cat "$TEST_ROOT/signal.out")" "got-term" "the command's output"
run feedz-agent exec -- feedz-no-such-command
expect_eq "$STATUS" 127 "exit status for a missing command"
expect_contains "$ERR" "feedz-no-such-command: command not found"

step "no form of either token in any file under HOME, the projects, XDG_RUNTIME_DIR or /tmp"
ls -A "$XDG_RUNTIME_DIR/feedz-agent" | grep -q '^npmrc\.' && fail "an npmrc file was left in $XDG_RUNTIME_DIR/feedz-agent"
expect_token_in_no_file "$READ" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR" /tmp
expect_token_in_no_file "$WRITE" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR" /tmp
echo "PASS: $TEST_NAME"
