#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `login --npm userconfig` (the default) with the real npm against the local HTTPS feed, the
# token in a real gnome-keyring behind the agent:
#   - login --access read --npm-scope @acme checks the token against the feed's npm registry and
#     writes exactly the scope line and the exact-registry _auth line into ~/.npmrc, mode 0600;
#   - npm install @acme/hello in a project succeeds; the feed saw Basic, username feedz, the
#     token's prefix;
#   - npm publish with that Read token fails, and npm's output says Read/Write is needed;
#   - login with a Read/Write token replaces the line, and npm publish succeeds;
#   - the same login again changes no byte; logout restores the original bytes;
#   - the token is in no other file and in no output.
source "$(dirname "$0")/lib.sh"
require_npm
run_inside_test_keyring
use_throwaway_home
npm_setup
start_test_feed --revocation-delay 1
feed_admin repo create acme/pkgs
feed_npm_package acme/pkgs @acme/hello 1.0.0
feed_npm_package acme/pkgs @acme/hello 1.1.0
feed_token READ dev read
feed_token WRITE ci read-write
FEED=${FEED_URL}acme/pkgs/
REGISTRY=${FEED}npm/
NERF=//${FEED_HOST}/acme/pkgs/npm/
NPMRC=$HOME/.npmrc
printf '; my settings\r\nsave-exact=true\r\n' >"$NPMRC"
chmod 644 "$NPMRC"
cp "$NPMRC" "$TEST_ROOT/npmrc.original"

step "login --access read checks the token against the npm registry and writes ~/.npmrc"
mark=$(log_mark)
npm_login "$READ" --feed "$FEED" --access read --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$OUT" "secret-service"
expect_contains "$OUT" "The feed accepted the token."
expect_contains "$OUT" "npm: wrote the credential for $REGISTRY to ~/.npmrc (mode 0600)"
expect_contains "$(log_since "$mark")" "$(log_line GET /acme/pkgs/npm/-/whoami basic feedz "${READ:0:7}" 200)" "feed log"
expected=$(printf '; my settings\r\nsave-exact=true\r\n%s:_auth=%s\r\n@acme:registry=%s\r\n' \
    "$NERF" "$(printf 'feedz:%s' "$READ" | base64 -w0)" "$REGISTRY")
expect_eq "$(cat "$NPMRC")" "$expected" "~/.npmrc"
expect_eq "$(stat -c %a "$NPMRC")" 600 "the mode of ~/.npmrc"
expect_not_contains "$(cat "$NPMRC")" "$READ" "~/.npmrc (the token appears only as base64)"

step "npm install @acme/hello in a project"
make_app "$HOME/app"
mark=$(log_mark)
in_dir "$HOME/app" npm install
[ "$STATUS" -eq 0 ] || fail "npm install failed:
$OUT
$ERR"
expect_eq "$(cd "$HOME/app" && node -p 'require("@acme/hello")')" "@acme/hello@1.1.0" "the installed package"
requests=$(log_since "$mark")
expect_contains "$requests" "$(log_line GET /acme/pkgs/npm/@acme%2fhello basic feedz "${READ:0:7}" 200)" "feed log"
expect_contains "$requests" "$(log_line GET /acme/pkgs/npm/@acme/hello/-/hello-1.1.0.tgz basic feedz "${READ:0:7}" 200)" "feed log"
expect_not_contains "$requests" '"auth":"none"' "feed log"

step "npm publish with the Read token fails, saying what is needed"
make_library "$HOME/lib" @acme/lib 1.0.0
mark=$(log_mark)
in_dir "$HOME/lib" npm publish
[ "$STATUS" -ne 0 ] || fail "npm publish succeeded with a Read token"
expect_contains "$OUT$ERR" "E403" "npm publish output"
expect_contains "$OUT$ERR" "publishing needs Read/Write or Full access; token ${READ:0:7}" "npm publish output"
expect_contains "$(log_since "$mark")" "$(log_line PUT /acme/pkgs/npm/@acme%2flib basic feedz "${READ:0:7}" 403)" "feed log"
run "$FEEDZ_AGENT" doctor
expect_contains "$OUT" "(${READ:0:7}…): read access: restores and installs only; publishing (npm publish" \
    "doctor's explanation of the Read token"

step "login with a Read/Write token replaces the line; npm publish succeeds"
npm_login "$WRITE" --feed "$FEED" --access read-write --name ci
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$(cat "$NPMRC")" "$NERF:_auth=$(printf 'feedz:%s' "$WRITE" | base64 -w0)" "~/.npmrc"
[ "$(grep -c ':_auth=' "$NPMRC")" -eq 1 ] || fail "~/.npmrc has more than one credential line"
mark=$(log_mark)
in_dir "$HOME/lib" npm publish
[ "$STATUS" -eq 0 ] || fail "npm publish with a Read/Write token failed:
$OUT
$ERR"
expect_contains "$(log_since "$mark")" "$(log_line PUT /acme/pkgs/npm/@acme%2flib basic feedz "${WRITE:0:7}" 201)" "feed log"
in_dir "$HOME/app" npm view @acme/lib version
expect_eq "$OUT" "1.0.0" "npm view of the published package"

step "the same login again changes nothing"
cp "$NPMRC" "$TEST_ROOT/npmrc.before"
cp "$XDG_STATE_HOME/feedz-agent/managed.json" "$TEST_ROOT/managed.before"
before=$(stat -c %Y.%i "$NPMRC")
sleep 1
npm_login "$WRITE" --feed "$FEED" --access read-write --name ci
[ "$STATUS" -eq 0 ] || fail "the second login failed: $OUT $ERR"
expect_contains "$OUT" "already has this token"
cmp -s "$NPMRC" "$TEST_ROOT/npmrc.before" || fail "the second login changed ~/.npmrc"
cmp -s "$XDG_STATE_HOME/feedz-agent/managed.json" "$TEST_ROOT/managed.before" \
    || fail "the second login changed managed.json"
expect_eq "$(stat -c %Y.%i "$NPMRC")" "$before" "~/.npmrc's mtime and inode"
rm "$TEST_ROOT/npmrc.before" # the test's copy of the credential

step "logout of both tokens restores the original bytes"
run "$FEEDZ_AGENT" logout ci
[ "$STATUS" -eq 0 ] || fail "logout failed: $OUT $ERR"
expect_contains "$OUT" "npm: removed the credential for $REGISTRY"
run "$FEEDZ_AGENT" logout acme/pkgs
[ "$STATUS" -eq 0 ] || fail "logout failed: $OUT $ERR"
expect_contains "$OUT" "npm: removed @acme:registry=$REGISTRY"
cmp "$NPMRC" "$TEST_ROOT/npmrc.original" || fail "logout did not restore ~/.npmrc:
$(cat -A "$NPMRC")"

step "the tokens are in no other file and in no output"
expect_token_in_no_file "$READ" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR"
expect_token_in_no_file "$WRITE" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR"
echo "PASS: $TEST_NAME"
