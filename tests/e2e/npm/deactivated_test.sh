#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# A token deactivated on the feed, with the real npm, in both modes:
#   - userconfig: npm install works, then fails with npm's E401 once the token is deactivated;
#   - exec: the same through feedz-agent exec;
#   - logging in again with the deactivated token is refused, naming the token by its prefix
#     as rejected by the feed, and stores nothing; re-activated, install works again.
source "$(dirname "$0")/lib.sh"
require_npm
run_inside_test_keyring
use_throwaway_home
npm_setup
start_test_feed --revocation-delay 0
feed_admin repo create acme/pkgs
feed_npm_package acme/pkgs @acme/hello 1.0.0
feed_token READ dev read
FEED=${FEED_URL}acme/pkgs/

step "userconfig: npm install works with the active token"
npm_login "$READ" --feed "$FEED" --access read --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
make_app "$HOME/app1"
in_dir "$HOME/app1" npm install
[ "$STATUS" -eq 0 ] || fail "npm install failed: $OUT $ERR"

step "the token deactivated on the feed: npm install fails with E401"
feed_admin token deactivate "${READ:0:7}"
make_app "$HOME/app2"
rm -rf "$npm_config_cache"
mark=$(log_mark)
in_dir "$HOME/app2" npm install
[ "$STATUS" -ne 0 ] || fail "npm install succeeded with a deactivated token"
expect_contains "$OUT$ERR" "E401" "npm install output"
expect_contains "$(log_since "$mark")" "$(log_line GET /acme/pkgs/npm/@acme%2fhello basic feedz "${READ:0:7}" 401)" "feed log"
run "$FEEDZ_AGENT" doctor
[ "$STATUS" -eq 1 ] || fail "doctor passed with a deactivated token:
$OUT"
expect_contains "$OUT" "(${READ:0:7}…): Feedz rejected it" "doctor on the deactivated token"

step "exec: the same install fails with E401 too"
npm_login "$READ" --feed "$FEED" --access read --npm exec --no-verify
[ "$STATUS" -eq 0 ] || fail "login --no-verify failed: $OUT $ERR"
[ "$(grep -c ':_auth=' "$HOME/.npmrc")" -eq 0 ] || fail "--npm exec left the credential in ~/.npmrc"
make_app "$HOME/app3"
in_dir "$HOME/app3" feedz-agent exec -- npm install
[ "$STATUS" -ne 0 ] || fail "exec -- npm install succeeded with a deactivated token"
expect_contains "$OUT$ERR" "E401" "exec -- npm install output"

step "login again names the token the feed rejected, and stores nothing"
run "$FEEDZ_AGENT" list --json
before=$OUT
npm_login "$READ" --feed "$FEED" --access read --name again
[ "$STATUS" -ne 0 ] || fail "login succeeded with a deactivated token"
expect_contains "$ERR" "the feed rejected the token ${READ:0:7}…"
expect_contains "$ERR" "expired or deactivated"
run "$FEEDZ_AGENT" list --json
expect_eq "$OUT" "$before" "the stored tokens"

step "re-activated, exec -- npm install works again"
feed_admin token activate "${READ:0:7}"
in_dir "$HOME/app3" feedz-agent exec -- npm install
[ "$STATUS" -eq 0 ] || fail "exec -- npm install failed after re-activation: $OUT $ERR"
expect_token_in_no_file "$READ" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR"
echo "PASS: $TEST_NAME"
