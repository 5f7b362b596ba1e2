# feedlib.sh: sourced after testlib.sh by the tests that run clients against the local HTTPS
# test feed (tests/feed/). The caller sets FEED_DIR (where the feed keeps its CA, data and
# feed.env) and stops the feed on exit (stop_test_feed).

FEED_SCRIPTS=$(cd "$TESTS_LIB/../feed" && pwd)
: "${FEEDZ_TEST_FEED:?set FEEDZ_TEST_FEED to the feedz-test-feed binary}"

# start_test_feed [SERVE-OPTION...]: starts the feed in $FEED_DIR and sources its feed.env
# (FEED_URL, FEED_HOST, FEED_DATA, FEED_LOG, NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, ...).
start_test_feed() {
    "$FEED_SCRIPTS/start-test-feed.sh" "$FEED_DIR" "$@" 2>>"$TEST_ROOT/feed-start.log" \
        || fail "the test feed did not start: $(cat "$TEST_ROOT/feed-start.log")"
    # shellcheck disable=SC1091
    source "$FEED_DIR/feed.env"
}

stop_test_feed() {
    [ -n "${FEED_DIR:-}" ] && [ -f "$FEED_DIR/feed.pid" ] || return 0
    "$FEED_SCRIPTS/stop-test-feed.sh" "$FEED_DIR" >/dev/null 2>&1 || true
}

# feed_admin COMMAND SUBCOMMAND ARGS...: an admin command on the feed's data directory. Its
# output is not kept (token create is called directly by feed_token, which keeps the token
# out of ALL_OUTPUT).
feed_admin() {
    local command=$1 subcommand=$2
    shift 2
    "$FEEDZ_TEST_FEED" "$command" "$subcommand" --data "$FEED_DATA" "$@" >/dev/null \
        2>>"$TEST_ROOT/feed-admin.log" \
        || fail "feedz-test-feed $command $subcommand $* failed: $(tail -n 3 "$TEST_ROOT/feed-admin.log")"
}

# feed_token VAR NAME LEVEL: a new token on the feed, into $VAR.
feed_token() {
    local token
    token=$("$FEEDZ_TEST_FEED" token create --data "$FEED_DATA" --name "$2" --access "$3" \
        2>>"$TEST_ROOT/feed-admin.log") || fail "cannot create a token on the feed"
    printf -v "$1" '%s' "$token"
}

# feed_nuget_package ORG/REPO ID VERSION / feed_npm_package ORG/REPO NAME VERSION: a package
# only the feed has.
feed_nuget_package() {
    feed_add_package nupkg "$@"
}

feed_npm_package() {
    feed_add_package npm "$@"
}

feed_add_package() {
    local kind=$1 repo=$2 name=$3 version=$4 file
    file=$("$FEEDZ_TEST_FEED" pack "$kind" "$name" "$version" "$TEST_ROOT/packages-made" \
        2>>"$TEST_ROOT/feed-admin.log") || fail "cannot make package $name $version"
    feed_admin package add "$repo" "$file"
}

# log_mark / log_since MARK: the feed's request log lines after a mark.
log_mark() { wc -l <"$FEED_LOG"; }
log_since() { tail -n +"$(($1 + 1))" "$FEED_LOG"; }

# log_line METHOD PATH AUTH USERNAME PREFIX STATUS: a request as the feed logs it.
log_line() {
    printf '"method":"%s","path":"%s","auth":"%s","username":"%s","token_prefix":"%s","status":%s' "$@"
}
