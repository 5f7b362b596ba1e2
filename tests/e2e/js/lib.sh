# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# lib.sh: shared by the JavaScript client tests (pnpm, yarn 1, bun). Builds on the npm tests'
# lib.sh (throwaway HOME, the HTTPS test feed, an isolated npm) and puts the pinned clients
# that install-clients.sh set up in $JS_CLIENTS_DIR first on PATH. Their caches and stores
# (pnpm's store, yarn's cache, bun's install cache) live under the throwaway HOME, where the
# token search at the end of each test looks.
#
# Needs, from ctest: FEEDZ_AGENT, FEEDZ_PROBE, FEEDZ_TEST_FEED, JS_CLIENTS_DIR.

source "$(dirname "${BASH_SOURCE[0]}")/../npm/lib.sh"
: "${JS_CLIENTS_DIR:?set JS_CLIENTS_DIR to the clients installed by install-clients.sh}"

# require_js_client NAME: the set-up installed it (the fixture runs first under ctest). npm
# itself is not run: node (yarn 1 and pnpm run on it) is what the clients need.
require_js_client() {
    require_tool node
    require_tool openssl
    require_tool curl
    [ -x "$JS_CLIENTS_DIR/bin/$1" ] \
        || fail "$1 is not in $JS_CLIENTS_DIR/bin: run the set-up (ctest -R e2e.js.clients_setup) first"
}

# js_setup: npm_setup, then the clients on PATH, with no update checks or telemetry.
js_setup() {
    npm_setup
    export PATH="$BIN_DIR:$JS_CLIENTS_DIR/bin:$PATH"
    export DO_NOT_TRACK=1 YARN_IGNORE_PATH=1
    # yarn 1 reads $PREFIX/etc/npmrc (by default node's prefix), not npm_config_globalconfig: a
    # prefix of the test's own keeps the machine's global config (its cafile= would hide the
    # feed's CA) out, as npm_setup does for npm.
    export PREFIX=$TEST_ROOT/prefix
}

# js_feed: starts the test feed with acme/pkgs holding @acme/hello 1.0.0, and makes the tokens
# READ (read) and WRITE (read-write); sets FEED and REGISTRY. After js_setup.
js_feed() {
    start_test_feed --revocation-delay 1
    feed_admin repo create acme/pkgs
    feed_npm_package acme/pkgs @acme/hello 1.0.0
    feed_token READ dev read
    feed_token WRITE ci read-write
    FEED=${FEED_URL}acme/pkgs/
    REGISTRY=${FEED}npm/
}
