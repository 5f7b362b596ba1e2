#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# exec_command_lines_test.sh: `feedz-agent exec` reads the command lines of pnpm, yarn 1 and bun
# as issue 13 demands ("exec reads every client's command line"), with the real clients against
# the local HTTPS feed:
#   - with only a Read token, `exec -- yarn publish --new-version 1.0.1` is refused before any
#     request (1.0.1 is the option's value, not a package);
#   - with a Read/Write token stored, these publish with it: `yarn publish --new-version`,
#     `yarnpkg publish`, `pnpm publish --tag next`, `bun publish --tag next`, and a command exec
#     cannot classify (`sh -c 'pnpm publish'`) when asked for with `exec --access read-write`;
#     a command exec cannot classify (`pnpm run release`) gets a warning that names
#     `exec --access`;
#   - afterwards no form of either token in any file or output.
# Every case runs; the test fails at the end with the list of those that did not hold.
source "$(dirname "$0")/lib.sh"
require_js_client pnpm
require_js_client yarn
require_js_client bun
run_inside_test_keyring
use_throwaway_home
js_setup
start_test_feed --revocation-delay 1
feed_admin repo create acme/pkgs
feed_token READ dev read
feed_token WRITE ci read-write
FEED=${FEED_URL}acme/pkgs/
REGISTRY=${FEED}npm/
FAILED=()

# publish_case WHAT VERSION COMMAND...: a fresh @acme/lib VERSION, COMMAND run in it through
# exec; the feed must take it with the Read/Write token.
publish_case() {
    local what=$1 version=$2 dir=$HOME/lib-$2 mark
    shift 2
    step "$what"
    make_library "$dir" @acme/lib "$version"
    mark=$(log_mark)
    in_dir "$dir" feedz-agent exec "$@"
    if [ "$STATUS" -ne 0 ]; then
        FAILED+=("$what: exit status $STATUS: $(tail -n 3 <<<"$ERR")")
    elif ! grep -qF "$(log_line PUT /acme/pkgs/npm/@acme%2flib basic feedz "${WRITE:0:7}" 201)" \
        <(log_since "$mark"); then
        FAILED+=("$what: the feed did not take it with the Read/Write token: $(log_since "$mark")")
    fi
}

npm_login "$READ" --feed "$FEED" --access read --npm exec --npm-scope @acme
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"

step "with only a Read token, exec -- yarn publish --new-version 1.0.1 is refused before any request"
make_library "$HOME/lib-refused" @acme/lib 1.0.0
mark=$(log_mark)
in_dir "$HOME/lib-refused" feedz-agent exec -- yarn publish --non-interactive --new-version 1.0.1
if [ "$STATUS" -eq 0 ]; then
    FAILED+=("yarn publish --new-version with a Read token: it succeeded")
elif [ -n "$(log_since "$mark")" ]; then
    FAILED+=("yarn publish --new-version with a Read token: requests reached the feed: $(log_since "$mark")")
elif ! grep -qF "yarn publish needs a Read/Write token for $REGISTRY" <<<"$ERR"; then
    FAILED+=("yarn publish --new-version with a Read token: exec did not refuse it: $(tail -n 3 <<<"$ERR")")
fi

npm_login "$WRITE" --feed "$FEED" --access read-write --npm exec --name ci
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
publish_case "exec -- yarn publish --new-version 1.0.1" 1.0.0 -- yarn publish --non-interactive --new-version 1.0.1
publish_case "exec -- yarnpkg publish" 1.0.2 -- yarnpkg publish --non-interactive
publish_case "exec -- pnpm publish --tag next" 1.0.3 -- pnpm publish --no-git-checks --tag next
publish_case "exec -- bun publish --tag next" 1.0.4 -- bun publish --tag next
publish_case "exec --access read-write -- sh -c 'pnpm publish'" 1.0.5 \
    --access read-write -- sh -c 'pnpm publish --no-git-checks'

step "a command exec cannot classify (pnpm run release) gets a warning that names exec --access"
mkdir -p "$HOME/scripted"
printf '{"name":"scripted","version":"1.0.0","private":true,"scripts":{"release":"true"}}\n' \
    >"$HOME/scripted/package.json"
in_dir "$HOME/scripted" feedz-agent exec -- pnpm run release
[ "$STATUS" -eq 0 ] || fail "exec -- pnpm run release failed: $OUT $ERR"
grep -qe '--access' <<<"$ERR" \
    || FAILED+=("exec -- pnpm run release: no warning naming exec --access on stderr: $ERR")

step "no form of either token in any file or output"
for token in "$READ" "$WRITE"; do
    expect_token_in_no_file "$token" "$HOME" "$TEST_ROOT" "$XDG_RUNTIME_DIR" "$JS_CLIENTS_DIR" /tmp
done
if [ "${#FAILED[@]}" -gt 0 ]; then
    printf 'not as issue 13 demands: %s\n' "${FAILED[@]}" >&2
    fail "${#FAILED[@]} command line(s) misread"
fi
echo "PASS: $TEST_NAME"
