#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# client_test.sh CLIENT MODE: a real JavaScript client (pnpm, yarn1 or bun, as pinned in
# client-versions.sh) against the local HTTPS feed, the tokens in a real gnome-keyring behind
# the agent, after `feedz-agent login --npm MODE`:
#   userconfig: plain `CLIENT install` of @acme/hello with the Read token login wrote into
#     ~/.npmrc; after a login with a Read/Write token, plain `CLIENT publish` succeeds with it;
#   exec: without exec the install fails (401); `feedz-agent exec -- CLIENT install` succeeds
#     with the Read token;
#   both: `feedz-agent exec -- CLIENT publish` with only a Read token stored is refused before
#     any request reaches the feed; with a Read/Write token stored it publishes with that token,
#     while installs keep the Read one;
#   afterwards (in userconfig mode, after logout took the credential line out of ~/.npmrc) no
#     form of either token is in any file under HOME (the clients' caches and stores are
#     there), the projects, $XDG_RUNTIME_DIR, the clients' directory or /tmp, nor in any output.
source "$(dirname "$0")/lib.sh"
CLIENT=${1:?usage: client_test.sh pnpm|yarn1|bun userconfig|exec}
MODE=${2:?usage: client_test.sh pnpm|yarn1|bun userconfig|exec}
TEST_NAME=$CLIENT.$MODE
case $CLIENT in
pnpm)
    TOOL=pnpm
    INSTALL=(pnpm install)
    # pnpm publish refuses to run outside a clean git checkout unless told.
    PUBLISH=(pnpm publish --no-git-checks)
    ;;
yarn1)
    TOOL=yarn
    INSTALL=(yarn install --non-interactive)
    # --non-interactive: publish the version in package.json instead of asking for one.
    PUBLISH=(yarn publish --non-interactive)
    ;;
bun)
    TOOL=bun
    INSTALL=(bun install)
    PUBLISH=(bun publish)
    ;;
*) fail "unknown client $CLIENT" ;;
esac
case $MODE in userconfig | exec) ;; *) fail "unknown mode $MODE" ;; esac

require_js_client "$TOOL"
run_inside_test_keyring "$@"
use_throwaway_home
js_setup
js_feed
NPMRC=$HOME/.npmrc
step "$("$TOOL" --version | sed "s/^/$TOOL /") against $REGISTRY, login --npm $MODE"

# expect_installed NAME DIR MARK: DIR has @acme/NAME 1.0.0, fetched with the Read token since
# MARK.
expect_installed() {
    local requests
    expect_eq "$(cd "$2" && node -p "require('@acme/$1')")" "@acme/$1@1.0.0" "the installed package"
    requests=$(log_since "$3")
    expect_contains "$requests" "$(log_line GET "/acme/pkgs/npm/@acme/$1/-/$1-1.0.0.tgz" basic feedz "${READ:0:7}" 200)" "feed log"
    expect_not_contains "$requests" '"auth":"none"' "feed log"
    expect_not_contains "$requests" "${WRITE:0:7}" "feed log of an install"
}

# expect_published MARK VERSION: the feed took @acme/lib with the Read/Write token since MARK.
expect_published() {
    expect_contains "$(log_since "$1")" "$(log_line PUT /acme/pkgs/npm/@acme%2flib basic feedz "${WRITE:0:7}" 201)" "feed log"
}

step "login --npm $MODE --access read --npm-scope @acme"
npm_login "$READ" --feed "$FEED" --access read --npm "$MODE" --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
make_app "$HOME/app"
if [ "$MODE" = userconfig ]; then
    step "plain $TOOL install with the credential in ~/.npmrc"
    mark=$(log_mark)
    in_dir "$HOME/app" "${INSTALL[@]}"
    [ "$STATUS" -eq 0 ] || fail "${INSTALL[*]} failed:
$OUT
$ERR"
    expect_installed hello "$HOME/app" "$mark"
else
    expect_eq "$(cat "$NPMRC")" "@acme:registry=$REGISTRY" "~/.npmrc"
    step "without exec, $TOOL install has no credential"
    make_app "$HOME/plain"
    mark=$(log_mark)
    in_dir "$HOME/plain" "${INSTALL[@]}"
    [ "$STATUS" -ne 0 ] || fail "${INSTALL[*]} succeeded without credentials"
    grep -q '"auth":"none".*"status":401' <(log_since "$mark") \
        || fail "the feed did not answer 401 to a request without credentials: $(log_since "$mark")"
    step "exec -- $TOOL install"
    mark=$(log_mark)
    in_dir "$HOME/app" feedz-agent exec -- "${INSTALL[@]}"
    [ "$STATUS" -eq 0 ] || fail "exec -- ${INSTALL[*]} failed:
$OUT
$ERR"
    expect_installed hello "$HOME/app" "$mark"
fi

step "exec -- $TOOL publish with only a Read token is refused before any request"
make_library "$HOME/lib" @acme/lib 1.0.0
mark=$(log_mark)
in_dir "$HOME/lib" feedz-agent exec -- "${PUBLISH[@]}"
[ "$STATUS" -ne 0 ] || fail "exec -- ${PUBLISH[*]} succeeded with a Read token"
expect_contains "$ERR" "$TOOL publish needs a Read/Write token for $REGISTRY, and 'acme/pkgs' (${READ:0:7}…) is Read"
expect_eq "$(log_since "$mark")" "" "requests made by the refused publish"

step "with a Read/Write token stored, exec -- $TOOL publish uses it; installs keep the Read one"
npm_login "$WRITE" --feed "$FEED" --access read-write --npm "$MODE" --name ci
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
mark=$(log_mark)
in_dir "$HOME/lib" feedz-agent exec -- "${PUBLISH[@]}"
[ "$STATUS" -eq 0 ] || fail "exec -- ${PUBLISH[*]} failed:
$OUT
$ERR"
expect_published "$mark"
mkdir -p "$HOME/app2"
printf '{"name":"app2","version":"1.0.0","private":true,"dependencies":{"@acme/lib":"1.0.0"}}\n' \
    >"$HOME/app2/package.json"
mark=$(log_mark)
in_dir "$HOME/app2" feedz-agent exec -- "${INSTALL[@]}"
[ "$STATUS" -eq 0 ] || fail "exec -- ${INSTALL[*]} of the published package failed:
$OUT
$ERR"
expect_installed lib "$HOME/app2" "$mark"

if [ "$MODE" = userconfig ]; then
    step "plain $TOOL publish with the Read/Write token login wrote into ~/.npmrc"
    make_library "$HOME/lib2" @acme/lib 1.0.1
    mark=$(log_mark)
    in_dir "$HOME/lib2" "${PUBLISH[@]}"
    [ "$STATUS" -eq 0 ] || fail "${PUBLISH[*]} failed:
$OUT
$ERR"
    expect_published "$mark"
fi

if [ "$MODE" = userconfig ]; then
    step "logout takes the credential line out of ~/.npmrc"
    expect_contains "$(cat "$NPMRC")" ":_auth=$(printf 'feedz:%s' "$WRITE" | base64 -w0)" "~/.npmrc"
    run "$FEEDZ_AGENT" logout ci
    [ "$STATUS" -eq 0 ] || fail "logout failed: $OUT $ERR"
    run "$FEEDZ_AGENT" logout acme/pkgs
    [ "$STATUS" -eq 0 ] || fail "logout failed: $OUT $ERR"
fi

step "no form of either token in any file or output"
ls -A "$XDG_RUNTIME_DIR/feedz-agent" | grep -q '^npmrc\.' && fail "an npmrc file was left in $XDG_RUNTIME_DIR/feedz-agent"
for token in "$READ" "$WRITE"; do
    expect_token_in_no_file "$token" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR" "$JS_CLIENTS_DIR" /tmp
done
echo "PASS: $TEST_NAME"
