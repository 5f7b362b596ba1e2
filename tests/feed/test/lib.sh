# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# Shared helpers for the test feed's script tests; source it first. It expects:
#   FEEDZ_TEST_FEED  the feedz-test-feed binary (ctest sets it)
#   FEED_SCRIPTS     tests/feed (ctest sets it; defaults to this file's parent directory)
#   FEED_TEST_TMP    where scratch directories go (default: $TMPDIR or /tmp)
# Each check prints "ok" or "FAIL" with a description; finish prints "N passed, N failed" and
# exits 1 if anything failed. A missing tool exits 77 (ctest: skipped) with the reason.
# Scratch data is removed on success and kept on failure.

set -euo pipefail

FEED_SCRIPTS=${FEED_SCRIPTS:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
: "${FEEDZ_TEST_FEED:?set FEEDZ_TEST_FEED to the path of the feedz-test-feed binary}"
feed=$FEEDZ_TEST_FEED

passed=0
failed=0
started_feeds=()
tokens_seen=()

skip() {
    echo "SKIP: $*"
    exit 77
}

require_tools() {
    local tool
    for tool in "$@"; do
        command -v "$tool" >/dev/null || skip "$tool is not installed (needed by $(basename "$0"))"
    done
}

tmp_root=${FEED_TEST_TMP:-${TMPDIR:-/tmp}}
mkdir -p "$tmp_root"
work=$(mktemp -d "$tmp_root/$(basename "$0" .sh).XXXXXX")

cleanup() {
    local status=$?
    local dir
    for dir in "${started_feeds[@]}"; do
        "$FEED_SCRIPTS/stop-test-feed.sh" "$dir" || true
    done
    if [[ $status -eq 0 ]]; then
        rm -rf "$work"
    elif [[ $status -ne 77 ]]; then
        echo "scratch data kept in $work"
    else
        rm -rf "$work"
    fi
}
trap cleanup EXIT

pass() {
    passed=$((passed + 1))
    echo "ok   - $*"
}

fail() {
    failed=$((failed + 1))
    echo "FAIL - $*"
}

alive() { kill -0 "$1" 2>/dev/null; }

# not COMMAND...: succeeds if the command fails.
not() { ! "$@"; }

# check DESCRIPTION COMMAND...: passes if the command succeeds.
check() {
    local description=$1
    shift
    if "$@"; then
        pass "$description"
    else
        fail "$description"
    fi
}

finish() {
    echo "$passed passed, $failed failed"
    [[ $failed -eq 0 ]] || exit 1
    exit 0
}

# start_feed DIR [SERVE-OPTION...]: starts a feed and sources its feed.env.
start_feed() {
    local dir=$1
    shift
    "$FEED_SCRIPTS/start-test-feed.sh" "$dir" "$@" 2>>"$work/fixture.log"
    started_feeds+=("$dir")
    # shellcheck disable=SC1091
    source "$dir/feed.env"
}

stop_feed() {
    "$FEED_SCRIPTS/stop-test-feed.sh" "$1"
}

# new_token VAR NAME LEVEL [--expires DATE]: creates a token into $VAR and remembers it for the
# leak checks (not in a $(...) subshell, which would forget it).
new_token() {
    local var=$1 name=$2 level=$3
    shift 3
    local token
    token=$("$feed" token create --data "$FEED_DATA" --name "$name" --access "$level" "$@" 2>>"$work/admin.log")
    tokens_seen+=("$token")
    printf -v "$var" '%s' "$token"
}

basic_header() { # USER TOKEN
    printf 'Authorization: Basic %s' "$(printf '%s:%s' "$1" "$2" | base64 -w0)"
}

# req METHOD PATH [CURL-ARG...]: one HTTPS request that trusts only the feed's CA. Sets
# $status; the body is in $work/body, the headers in $work/headers. PATH is relative to FEED_URL.
req() {
    local method=$1 path=$2
    shift 2
    local method_args=(-X "$method")
    [[ $method == HEAD ]] && method_args=(-I)
    status=$(curl -sS --path-as-is --cacert "$FEED_CA" "${method_args[@]}" \
        -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@" "${FEED_URL}${path}") || status=000
}

# expect_status DESCRIPTION STATUS METHOD PATH [CURL-ARG...]
expect_status() {
    local description=$1 expected=$2
    shift 2
    req "$@"
    if [[ $status == "$expected" ]]; then
        pass "$description ($expected)"
    else
        fail "$description: expected $expected, got $status: $(head -c 300 "$work/body" 2>/dev/null)"
    fi
}

body_contains() { grep -qF -- "$1" "$work/body"; }
headers_contain() { grep -qiF -- "$1" "$work/headers"; }
has_challenge() { grep -qiE '^WWW-Authenticate: Basic realm="feedz"' "$work/headers"; }

# The reason phrase of the last response.
reason_phrase() { head -n1 "$work/headers" | tr -d '\r' | cut -d' ' -f3-; }

# The last line of the request log that matches METHOD and PATH exactly.
log_line() { # METHOD PATH
    grep -F "\"method\":\"$1\",\"path\":\"$2\"" "$FEED_LOG" | tail -n1
}

# No token ever created in this test appears in any file of the feed's directory (data, request
# log, stderr), nor its first 12 characters.
check_no_token_leak() { # FEED-DIR
    local dir=$1 token leaked=""
    for token in "${tokens_seen[@]}"; do
        if grep -rqF -- "${token:0:12}" "$dir"; then
            leaked=1
        fi
    done
    check "no token (nor 12 characters of one) in any file under the feed directory" test -z "$leaked"
}

# npm_publish_body NAME VERSION TGZ: the JSON document `npm publish` sends, on stdout.
npm_publish_body() {
    local name=$1 version=$2 tgz=$3 data integrity shasum size file
    data=$(base64 -w0 <"$tgz")
    integrity="sha512-$(openssl dgst -sha512 -binary <"$tgz" | base64 -w0)"
    shasum=$(openssl dgst -sha1 -r <"$tgz" | cut -d' ' -f1)
    size=$(stat -c %s "$tgz")
    file="$name-$version.tgz"
    cat <<JSON
{"_id":"$name","name":"$name","description":"test","dist-tags":{"latest":"$version"},
 "versions":{"$version":{"name":"$name","version":"$version","description":"test",
   "dist":{"shasum":"$shasum","integrity":"$integrity","tarball":"http://ignored/$name/-/$file"}}},
 "access":null,
 "_attachments":{"$file":{"content_type":"application/octet-stream","data":"$data","length":$size}}}
JSON
}

# Seconds since the epoch with fractions.
now_seconds() { date +%s.%N; }
elapsed_since() { awk -v start="$1" -v now="$(now_seconds)" 'BEGIN { printf "%.2f", now - start }'; }

# Whether any process's command line contains TEXT (no procps needed).
process_running() {
    local cmdline
    for cmdline in /proc/[0-9]*/cmdline; do
        if tr '\0' ' ' 2>/dev/null <"$cmdline" | grep -qF -- "$1"; then
            return 0
        fi
    done
    return 1
}
