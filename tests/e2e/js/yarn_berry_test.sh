#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# yarn berry (4) with the agent, against the local HTTPS feed; berry ignores .npmrc:
#   - login (--yarn auto: ~/.yarnrc.yml exists) adds credential-free entries to ~/.yarnrc.yml:
#     the registry's npmAlwaysAuth and npmAuthIdent "${FEEDZ_NPM_AUTH_ACME_PKGS:-}", and the
#     scope's registries; every other byte stays;
#   - plain yarn install gets 401 (no token at rest); feedz-agent exec -- yarn install works,
#     with the Read token as Basic;
#   - exec -- yarn npm publish with only a Read token is refused before any request;
#   - with a Read/Write token logged in too, exec -- yarn npm publish succeeds with it;
#   - logout of both restores ~/.yarnrc.yml byte for byte; the tokens are in no file or output.
source "$(dirname "$0")/lib.sh"
require_js_client yarn-berry
run_inside_test_keyring
use_throwaway_home
js_setup
js_feed
NERF=//${FEED_HOST}/acme/pkgs/npm/

# yarn as a berry user runs it: `yarn` on PATH (ahead of yarn 1); its global folder and cache
# under the test root.
ln -s "$JS_CLIENTS_DIR/bin/yarn-berry" "$BIN_DIR/yarn"
# With CI set (as in CI), berry refuses to write a lockfile; the test's projects start without.
export YARN_ENABLE_TELEMETRY=0 YARN_ENABLE_GLOBAL_CACHE=0 YARN_ENABLE_PROGRESS_BARS=0
export YARN_ENABLE_IMMUTABLE_INSTALLS=false
export YARN_GLOBAL_FOLDER=$TEST_ROOT/yarn-global
[ "$(yarn --version | cut -d. -f1)" -ge 2 ] || fail "yarn $(yarn --version) is not berry"

YARNRC=$HOME/.yarnrc.yml
printf '# my yarn settings\nenableTelemetry: false\n' >"$YARNRC"
cp "$YARNRC" "$TEST_ROOT/yarnrc.original"

step "login adds credential-free entries to ~/.yarnrc.yml"
npm_login "$READ" --feed "$FEED" --access read --npm exec --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$OUT" "yarn: ~/.yarnrc.yml names $REGISTRY (no credential at rest)"
expected="$(cat "$TEST_ROOT/yarnrc.original")
npmRegistries:
  \"$NERF\":
    npmAlwaysAuth: true
    npmAuthIdent: \"\${FEEDZ_NPM_AUTH_ACME_PKGS:-}\"
npmScopes:
  acme:
    npmRegistryServer: \"$REGISTRY\"
    npmPublishRegistry: \"$REGISTRY\""
expect_eq "$(cat "$YARNRC")" "$expected" "~/.yarnrc.yml"

# Berry 4 refuses versions younger than a day unless the age gate is off for the scope.
make_app "$HOME/app"
printf 'nodeLinker: node-modules\nnpmScopes:\n  acme:\n    npmMinimalAgeGate: 0\n' >"$HOME/app/.yarnrc.yml"
: >"$HOME/app/yarn.lock"

step "plain yarn install gets no token"
mark=$(log_mark)
in_dir "$HOME/app" yarn install
[ "$STATUS" -ne 0 ] || fail "yarn install succeeded with no token at rest"
expect_contains "$OUT$ERR" "YN0041" "yarn's output"
expect_not_contains "$(log_since "$mark")" '"auth":"basic"' "feed log"

step "feedz-agent exec -- yarn install sends the Read token"
mark=$(log_mark)
in_dir "$HOME/app" "$FEEDZ_AGENT" exec -- yarn install
[ "$STATUS" -eq 0 ] || fail "exec -- yarn install failed:
$OUT
$ERR"
expect_eq "$(cd "$HOME/app" && node -p 'require("@acme/hello")')" "@acme/hello@1.0.0" "the installed package"
expect_contains "$(log_since "$mark")" "$(log_line GET /acme/pkgs/npm/@acme%2fhello/-/hello-1.0.0.tgz basic feedz "${READ:0:7}" 200)" "feed log"

step "exec -- yarn npm publish with only a Read token is refused before any request"
make_library "$HOME/lib" @acme/lib 1.0.0
: >"$HOME/lib/yarn.lock"
cp "$HOME/app/.yarnrc.yml" "$HOME/lib/.yarnrc.yml"
in_dir "$HOME/lib" "$FEEDZ_AGENT" exec -- yarn install
[ "$STATUS" -eq 0 ] || fail "exec -- yarn install in the library failed: $OUT $ERR"
mark=$(log_mark)
in_dir "$HOME/lib" "$FEEDZ_AGENT" exec -- yarn npm publish
[ "$STATUS" -ne 0 ] || fail "exec -- yarn npm publish ran with a Read token"
expect_contains "$ERR" "Read/Write" "exec's refusal"
expect_not_contains "$(log_since "$mark")" "PUT" "feed log"

step "with a Read/Write token too, exec -- yarn npm publish uses it"
npm_login "$WRITE" --feed "$FEED" --access read-write --name ci --npm exec --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_eq "$(cat "$YARNRC")" "$expected" "~/.yarnrc.yml after the second login"
mark=$(log_mark)
in_dir "$HOME/lib" "$FEEDZ_AGENT" exec -- yarn npm publish
[ "$STATUS" -eq 0 ] || fail "exec -- yarn npm publish failed:
$OUT
$ERR"
expect_contains "$(log_since "$mark")" "$(log_line PUT /acme/pkgs/npm/@acme%2flib basic feedz "${WRITE:0:7}" 201)" "feed log"

step "logout of both tokens restores ~/.yarnrc.yml"
run "$FEEDZ_AGENT" logout ci
[ "$STATUS" -eq 0 ] || fail "logout failed: $OUT $ERR"
expect_eq "$(cat "$YARNRC")" "$expected" "~/.yarnrc.yml while a token still uses the entries"
run "$FEEDZ_AGENT" logout acme/pkgs
[ "$STATUS" -eq 0 ] || fail "logout failed: $OUT $ERR"
expect_contains "$OUT" "yarn: removed npmRegistries entry"
cmp "$YARNRC" "$TEST_ROOT/yarnrc.original" || fail "logout did not restore ~/.yarnrc.yml:
$(cat -A "$YARNRC")"

step "the tokens are in no file and in no output"
expect_token_in_no_file "$READ" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR"
expect_token_in_no_file "$WRITE" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR"
echo "PASS: $TEST_NAME"
