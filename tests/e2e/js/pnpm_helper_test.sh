#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# pnpm_helper_test.sh: `feedz-agent login --npm pnpm-helper` with the real pnpm (as pinned in
# client-versions.sh) and npm 11 against the local HTTPS feed, the tokens in a real
# gnome-keyring behind the agent:
#   - login writes one helper script per feed and its tokenHelper line in pnpm's auth.ini
#     ($XDG_CONFIG_HOME/pnpm/auth.ini), and no credential anywhere;
#   - plain `pnpm install` of @acme/hello gets the Read token through the helper, which starts
#     the agent when none runs;
#   - npm, which does not read auth.ini, prints no "Unknown user config" warning;
#   - doctor flags a tokenHelper for the feed in ~/.npmrc that is not ours, with file and line;
#   - with a Read/Write token logged in too, `exec -- pnpm publish` publishes with it (exec tells
#     the helper the level it chose), while plain installs keep the Read one;
#   - a login in another mode gives up the token's share of the helper; the logout of the last
#     token that uses it removes the line and the script and leaves every other byte of auth.ini;
#   - no form of either token is in any file or output.
source "$(dirname "$0")/lib.sh"
TEST_NAME=pnpm_helper

require_npm
require_js_client pnpm
run_inside_test_keyring "$@"
use_throwaway_home
js_setup
js_feed
NERF=${REGISTRY#https:}
AUTH_INI=$XDG_CONFIG_HOME/pnpm/auth.ini
HELPERS=$XDG_DATA_HOME/feedz-agent/pnpm-token-helpers
step "pnpm $(pnpm --version) and npm $(npm --version) against $REGISTRY, login --npm pnpm-helper"

# The user's own auth.ini, with bytes an editor could lose: CRLF, a comment, no final newline.
mkdir -p "$(dirname "$AUTH_INI")"
printf '; mine\r\n//other.example/:_authToken=not-a-feedz-token\r\n[section]\r\nkey=value' >"$AUTH_INI"
cp "$AUTH_INI" "$TEST_ROOT/auth.ini.before"

expect_installed() {
    local requests
    expect_eq "$(cd "$2" && node -p "require('@acme/$1')")" "@acme/$1@1.0.0" "the installed package"
    requests=$(log_since "$3")
    expect_contains "$requests" "$(log_line GET "/acme/pkgs/npm/@acme/$1/-/$1-1.0.0.tgz" basic feedz "${READ:0:7}" 200)" "feed log"
    expect_not_contains "$requests" '"auth":"none"' "feed log"
    expect_not_contains "$requests" "${WRITE:0:7}" "feed log of an install"
}

step "login --npm pnpm-helper --access read --npm-scope @acme"
npm_login "$READ" --feed "$FEED" --access read --npm pnpm-helper --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$OUT$ERR" "runs ~/.local/share/feedz-agent/pnpm-token-helpers/" "login notes"
expect_eq "$(cat "$HOME/.npmrc")" "@acme:registry=$REGISTRY" "~/.npmrc"
script=$(find "$HELPERS" -type f)
[ "$(printf '%s\n' "$script" | wc -l)" -eq 1 ] || fail "expected one helper script: $script"
expect_eq "$(stat -c %a "$script")" 755 "the helper's mode"
expect_contains "$(cat "$script")" "token-helper --feed '$FEED'" "the helper script"
expect_contains "$(cat "$AUTH_INI")" "$NERF:tokenHelper=$script" "auth.ini"
expect_contains "$(cat "$AUTH_INI")" "key=value" "auth.ini"

step "the helper prints the Basic header of the Read token, and nothing else"
# Compared without keeping it: the header is a form of the token, searched for at the end.
[ "$("$script" 2>"$TEST_ROOT/helper.err")" = "Basic $(printf 'feedz:%s' "$READ" | base64 -w0)" ] \
    || fail "the helper printed something else, or failed: $(cat "$TEST_ROOT/helper.err")"
expect_eq "$(cat "$TEST_ROOT/helper.err")" "" "the helper's stderr"

step "plain pnpm install gets the Read token through the helper, which starts the agent"
# The agent started on demand must not hold the helper's output pipes, or pnpm would wait.
run "$FEEDZ_AGENT" stop
[ "$STATUS" -eq 0 ] || fail "stop failed: $OUT $ERR"
make_app "$HOME/app"
mark=$(log_mark)
started=$SECONDS
in_dir "$HOME/app" pnpm install
[ $((SECONDS - started)) -lt 30 ] || fail "pnpm install took $((SECONDS - started)) s"
[ "$STATUS" -eq 0 ] || fail "pnpm install failed:
$OUT
$ERR"
expect_installed hello "$HOME/app" "$mark"

step "npm does not read auth.ini: no \"Unknown user config\" warning"
make_app "$HOME/npm-app"
in_dir "$HOME/npm-app" feedz-agent exec -- npm install
[ "$STATUS" -eq 0 ] || fail "exec -- npm install failed: $OUT $ERR"
expect_not_contains "$OUT$ERR" "Unknown user config" "npm's output"
in_dir "$HOME/npm-app" npm config list
expect_not_contains "$OUT$ERR" "Unknown user config" "npm's output"

step "doctor flags a tokenHelper for the feed in ~/.npmrc that is not ours"
cp "$HOME/.npmrc" "$TEST_ROOT/npmrc.before"
printf '%s:tokenHelper=/bin/false\n' "$NERF" >>"$HOME/.npmrc"
run "$FEEDZ_AGENT" doctor
expect_contains "$OUT$ERR" "~/.npmrc:2: a tokenHelper for $REGISTRY that feedz-agent did not write" "doctor"
expect_not_contains "$OUT$ERR" ".config/pnpm/auth.ini:" "doctor (our own line)"
cp "$TEST_ROOT/npmrc.before" "$HOME/.npmrc"

step "with a Read/Write token too, exec -- pnpm publish uses it; plain installs keep the Read one"
npm_login "$WRITE" --feed "$FEED" --access read-write --npm pnpm-helper --name ci
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_eq "$(find "$HELPERS" -type f)" "$script" "the helper scripts after a second login"
make_library "$HOME/lib" @acme/lib 1.0.0
mark=$(log_mark)
in_dir "$HOME/lib" feedz-agent exec -- pnpm publish --no-git-checks
[ "$STATUS" -eq 0 ] || fail "exec -- pnpm publish failed:
$OUT
$ERR"
expect_contains "$(log_since "$mark")" "$(log_line PUT /acme/pkgs/npm/@acme%2flib basic feedz "${WRITE:0:7}" 201)" "feed log"
mkdir -p "$HOME/app2"
printf '{"name":"app2","version":"1.0.0","private":true,"dependencies":{"@acme/lib":"1.0.0"}}\n' \
    >"$HOME/app2/package.json"
mark=$(log_mark)
in_dir "$HOME/app2" pnpm install
[ "$STATUS" -eq 0 ] || fail "pnpm install of the published package failed:
$OUT
$ERR"
expect_installed lib "$HOME/app2" "$mark"

step "a login in another mode takes the token's share back; logout removes the rest"
npm_login "$WRITE" --feed "$FEED" --access read-write --npm exec --name ci
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
[ -f "$script" ] || fail "the exec login removed the helper another token still uses"
expect_contains "$(cat "$AUTH_INI")" "$NERF:tokenHelper=$script" "auth.ini"
run "$FEEDZ_AGENT" logout acme/pkgs
[ "$STATUS" -eq 0 ] || fail "logout failed: $OUT $ERR"
expect_contains "$OUT" "removed the tokenHelper for $REGISTRY" "logout notes"
cmp "$AUTH_INI" "$TEST_ROOT/auth.ini.before" || fail "auth.ini is not as it was: $(od -c "$AUTH_INI")"
[ ! -e "$script" ] || fail "logout left $script"
[ ! -e "$HELPERS" ] || fail "logout left $HELPERS"
run "$FEEDZ_AGENT" logout ci
[ "$STATUS" -eq 0 ] || fail "logout failed: $OUT $ERR"
cmp "$AUTH_INI" "$TEST_ROOT/auth.ini.before" || fail "auth.ini is not as it was after the last logout"

step "no form of either token in any file or output"
for token in "$READ" "$WRITE"; do
    expect_token_in_no_file "$token" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR" "$JS_CLIENTS_DIR" /tmp
done
echo "PASS: $TEST_NAME"
