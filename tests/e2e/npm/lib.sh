# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# lib.sh: shared by the npm end-to-end tests. Sources tests/lib/testlib.sh (throwaway HOME,
# run/expect helpers) and adds the local test feed and an isolated, real npm: its cache under
# the test's root, an empty global config (the system's sets cafile=, which would hide the
# feed's CA), a default registry that goes nowhere (packages come from the feed through an
# @acme scope), no update checks.
#
# Needs, from ctest: FEEDZ_AGENT, FEEDZ_PROBE, FEEDZ_TEST_FEED. Exit codes as testlib.sh:
# 0 pass, 1 fail, 77 skip.

source "$(dirname "${BASH_SOURCE[0]}")/../../lib/testlib.sh"
source "$TESTS_LIB/feedlib.sh"
: "${FEEDZ_TEST_FEED:?set FEEDZ_TEST_FEED to the feedz-test-feed binary}"

require_npm() {
    require_tool node "Node 20"
    require_tool npm "npm 11"
    require_tool openssl
    require_tool curl
    local major
    major=$(npm --version 2>/dev/null | cut -d. -f1)
    [ "${major:-0}" -ge 11 ] || skip "npm $(npm --version) is older than 11 (the tests rely on npm 11's rules)"
}

# npm_setup: after use_throwaway_home (and run_inside_test_keyring, if any).
npm_setup() {
    BIN_DIR=$TEST_ROOT/bin
    mkdir -p "$BIN_DIR" "$TEST_ROOT/tmp"
    ln -sf "$FEEDZ_AGENT" "$BIN_DIR/feedz-agent"
    export PATH="$BIN_DIR:$PATH"
    : >"$TEST_ROOT/globalrc"
    export npm_config_globalconfig=$TEST_ROOT/globalrc
    export npm_config_cache=$TEST_ROOT/npm-cache
    export npm_config_registry=https://127.0.0.1:9/
    export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
    export npm_config_loglevel=warn npm_config_fetch_retries=0
    unset NPM_CONFIG_USERCONFIG npm_config_userconfig
    export TMPDIR=$TEST_ROOT/tmp
    FEED_DIR=$TEST_ROOT/feed
    # The feed is stopped before testlib's finish removes the directory.
    trap 'npm_status=$?; stop_test_feed; (exit "$npm_status"); finish' EXIT
}



# npm_login TOKEN ARGS...: feedz-agent login with the token on stdin (no NuGet; npm as ARGS say).
npm_login() {
    local token=$1
    shift
    run sh -c 't=$1; shift; printf "%s" "$t" | "$FEEDZ_AGENT" login --pat-stdin --no-nuget "$@"' sh \
        "$token" "$@"
}

# in_dir DIR COMMAND...: run (see testlib.sh) in DIR.
in_dir() {
    local dir=$1
    shift
    run sh -c 'cd "$1" && shift && exec "$@"' sh "$dir" "$@"
}

# make_app DIR [JSON-FIELDS]: a private project that depends on @acme/hello.
make_app() {
    mkdir -p "$1"
    printf '{"name":"app","version":"1.0.0","private":true,"dependencies":{"@acme/hello":"^1.0.0"}%s}\n' \
        "${2:+,$2}" >"$1/package.json"
}

# make_library DIR NAME VERSION: a package to publish.
make_library() {
    mkdir -p "$1"
    printf '{"name":"%s","version":"%s","main":"index.js"}\n' "$2" "$3" >"$1/package.json"
    printf 'module.exports = "%s@%s";\n' "$2" "$3" >"$1/index.js"
}

# The forms a token takes in npm files: itself, base64 of feedz:TOKEN (_auth) and of TOKEN.
token_forms() {
    printf '%s\n%s\n%s\n' "$1" "$(printf 'feedz:%s' "$1" | base64 -w0)" "$(printf '%s' "$1" | base64 -w0)"
}

# expect_token_in_no_file TOKEN DIR...: no form of TOKEN in any file under the DIRs (the feed's
# data directory, which holds only hashes, aside), nor in any output.
expect_token_in_no_file() {
    local token=$1 form found
    shift
    while read -r form; do
        found=$(grep -rlF --exclude-dir="$(basename "$FEED_DATA")" -- "$form" "$@" 2>/dev/null || true)
        [ -z "$found" ] || fail "a form of the token was found in: $found"
        expect_not_contains "${ALL_OUTPUT:-}" "$form" "command output"
    done < <(token_forms "$token")
}
