#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real npm against the feed, with credentials written by hand (`_auth` in a temporary user
# config, no agent involved): install of a seeded scoped package, publish of a generated tarball
# with a Read/Write token (and 403 with a Read token), 8 parallel installs, and the proof that
# NODE_EXTRA_CA_CERTS from feed.env is what makes npm trust the feed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools curl openssl base64 node npm

dir=$work/feed
start_feed "$dir" --revocation-delay 1
"$feed" repo create --data "$FEED_DATA" acme/private 2>/dev/null
new_token read dev read
new_token rw ci read-write
for version in 1.0.0 1.1.0; do
    "$feed" pack npm @acme/hello "$version" "$work/pkgs" >/dev/null
    "$feed" package add --data "$FEED_DATA" acme/private "$work/pkgs/acme-hello-$version.tgz" 2>/dev/null
done
registry=${FEED_URL}acme/private/npm/

# write_npmrc FILE TOKEN: the lines a user writes by hand. Everything goes to the feed.
write_npmrc() {
    (
        umask 077
        printf 'registry=%s\n@acme:registry=%s\n//%s/acme/private/npm/:_auth=%s\n' \
            "$registry" "$registry" "$FEED_HOST" "$(printf 'feedz:%s' "$2" | base64 -w0)" >"$1"
    )
}

# run_npm DIR NPMRC CACHE [--no-ca] ARGS...: npm in DIR with a clean environment and HOME.
run_npm() {
    local cwd=$1 npmrc=$2 cache=$3
    shift 3
    local ca=(NODE_EXTRA_CA_CERTS="$NODE_EXTRA_CA_CERTS")
    if [[ ${1:-} == --no-ca ]]; then
        ca=()
        shift
    fi
    mkdir -p "$work/home"
    (cd "$cwd" && env -i PATH="$PATH" HOME="$work/home" "${ca[@]}" \
        NPM_CONFIG_USERCONFIG="$npmrc" NPM_CONFIG_GLOBALCONFIG="$work/globalrc" \
        NPM_CONFIG_CACHE="$cache" NPM_CONFIG_UPDATE_NOTIFIER=false NPM_CONFIG_AUDIT=false \
        NPM_CONFIG_FUND=false NPM_CONFIG_LOGLEVEL=warn npm "$@")
}

make_app() { # DIR
    mkdir -p "$1"
    printf '{"name":"app","version":"1.0.0","private":true,"dependencies":{"@acme/hello":"^1.0.0"}}\n' >"$1/package.json"
}

write_npmrc "$work/read.npmrc" "$read"
write_npmrc "$work/rw.npmrc" "$rw"

echo "# npm install of a seeded scoped package with _auth"
make_app "$work/app"
code=0
run_npm "$work/app" "$work/read.npmrc" "$work/cache" install >"$work/install.out" 2>&1 || code=$?
check "npm install exits 0" test "$code" -eq 0 || cat "$work/install.out"
check "  installed the newest matching version (1.1.0)" \
    grep -q '"version": "1.1.0"' "$work/app/node_modules/@acme/hello/package.json"
check "  and node can load it" test "$(cd "$work/app" && node -p 'require("@acme/hello")')" = "@acme/hello@1.1.0"
check "  the packument was fetched with Basic, any username, the Read token" \
    grep -qF "\"method\":\"GET\",\"path\":\"/acme/private/npm/@acme%2fhello\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${read:0:7}\",\"status\":200" "$FEED_LOG"
check "  and so was the tarball" \
    grep -qF "\"method\":\"GET\",\"path\":\"/acme/private/npm/@acme/hello/-/hello-1.1.0.tgz\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${read:0:7}\",\"status\":200" "$FEED_LOG"
check "  the lockfile records the feed's tarball URL" grep -qF "\"resolved\": \"${registry}@acme/hello/-/hello-1.1.0.tgz\"" "$work/app/package-lock.json"

echo "# NODE_EXTRA_CA_CERTS is what makes npm trust the feed"
make_app "$work/app-no-ca"
code=0
run_npm "$work/app-no-ca" "$work/read.npmrc" "$work/cache-no-ca" --no-ca install --fetch-retries=0 >"$work/no-ca.out" 2>&1 || code=$?
check "without NODE_EXTRA_CA_CERTS npm install fails" test "$code" -ne 0
check "  on the certificate" grep -qiE "UNABLE_TO_VERIFY_LEAF_SIGNATURE|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_GET_ISSUER_CERT|unable to verify" "$work/no-ca.out"

echo "# npm publish of a generated tarball"
"$feed" pack npm @acme/published 2.0.0 "$work/pkgs" >/dev/null
code=0
run_npm "$work" "$work/read.npmrc" "$work/cache" publish "$work/pkgs/acme-published-2.0.0.tgz" >"$work/publish-read.out" 2>&1 || code=$?
check "npm publish with a Read token fails" test "$code" -ne 0
check "  with 403" grep -qE "E403|403 Forbidden" "$work/publish-read.out"
check "  saying Read/Write is needed" grep -qF "publishing needs Read/Write or Full access" "$work/publish-read.out"
check "  the feed logged the refused PUT" \
    grep -qF "\"method\":\"PUT\",\"path\":\"/acme/private/npm/@acme%2fpublished\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${read:0:7}\",\"status\":403" "$FEED_LOG"
code=0
run_npm "$work" "$work/rw.npmrc" "$work/cache" publish "$work/pkgs/acme-published-2.0.0.tgz" >"$work/publish-rw.out" 2>&1 || code=$?
check "npm publish with a Read/Write token exits 0" test "$code" -eq 0 || cat "$work/publish-rw.out"
check "  the feed logged the PUT as 201" \
    grep -qF "\"method\":\"PUT\",\"path\":\"/acme/private/npm/@acme%2fpublished\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${rw:0:7}\",\"status\":201" "$FEED_LOG"
expect_status "  the packument has the version" 200 GET "acme/private/npm/@acme%2fpublished" -H "feedz-api-key: $read"
check "  2.0.0 with its integrity" body_contains "\"integrity\":\"sha512-$(openssl dgst -sha512 -binary <"$work/pkgs/acme-published-2.0.0.tgz" | base64 -w0)\""
code=0
run_npm "$work" "$work/rw.npmrc" "$work/cache" publish "$work/pkgs/acme-published-2.0.0.tgz" >"$work/republish.out" 2>&1 || code=$?
check "publishing the same version again fails" test "$code" -ne 0

echo "# npm dist-tag, deprecate and unpublish"
new_token full admin full
write_npmrc "$work/full.npmrc" "$full"
"$feed" pack npm @acme/published 2.1.0 "$work/pkgs" >/dev/null
run_npm "$work" "$work/rw.npmrc" "$work/cache" publish --tag next "$work/pkgs/acme-published-2.1.0.tgz" >/dev/null 2>&1
code=0
run_npm "$work" "$work/read.npmrc" "$work/cache" dist-tag ls @acme/published >"$work/tags.out" 2>&1 || code=$?
check "npm dist-tag ls shows latest and next" grep -qx "next: 2.1.0" "$work/tags.out"
code=0
run_npm "$work" "$work/rw.npmrc" "$work/cache" dist-tag add @acme/published@2.1.0 beta >/dev/null 2>&1 || code=$?
check "npm dist-tag add with Read/Write" test "$code" -eq 0
code=0
run_npm "$work" "$work/rw.npmrc" "$work/cache" deprecate @acme/published@2.0.0 "use 2.1.0" >/dev/null 2>&1 || code=$?
check "npm deprecate with Read/Write" test "$code" -eq 0
expect_status "  the packument" 200 GET "acme/private/npm/@acme%2fpublished" -H "feedz-api-key: $read"
check "  carries the deprecation and the beta tag"     bash -c "grep -qF '\"deprecated\":\"use 2.1.0\"' '$work/body' && grep -qF '\"beta\":\"2.1.0\"' '$work/body'"
code=0
run_npm "$work" "$work/rw.npmrc" "$work/cache" unpublish @acme/published@2.1.0 >"$work/unpublish-rw.out" 2>&1 || code=$?
check "npm unpublish with Read/Write fails" test "$code" -ne 0
check "  with 403 saying Full is needed" grep -qF "deleting needs Full access" "$work/unpublish-rw.out"
code=0
run_npm "$work" "$work/full.npmrc" "$work/cache" unpublish @acme/published@2.1.0 >"$work/unpublish.out" 2>&1 || code=$?
check "npm unpublish of a version with Full" test "$code" -eq 0 || cat "$work/unpublish.out"
expect_status "  the packument" 200 GET "acme/private/npm/@acme%2fpublished" -H "feedz-api-key: $read"
check "  no longer has 2.1.0" not body_contains '"2.1.0":{'
check "  and no tag points to it" not body_contains '"2.1.0"'
check "  2.0.0 stays" body_contains '"2.0.0":{'

echo "# 8 parallel npm installs"
pids=()
for i in $(seq 1 8); do
    make_app "$work/par$i"
    printf '{"name":"app","version":"1.0.0","private":true,"dependencies":{"@acme/hello":"1.0.0","@acme/published":"^2.0.0"}}\n' \
        >"$work/par$i/package.json"
    run_npm "$work/par$i" "$work/read.npmrc" "$work/cache$i" install >"$work/par$i.out" 2>&1 &
    pids+=($!)
done
ok=0
for i in "${!pids[@]}"; do
    if wait "${pids[$i]}"; then
        ok=$((ok + 1))
    else
        echo "--- parallel install $((i + 1)) failed:"
        cat "$work/par$((i + 1)).out"
    fi
done
check "all 8 parallel installs succeed ($ok of 8)" test "$ok" -eq 8
installed=0
for i in $(seq 1 8); do
    [[ -f $work/par$i/node_modules/@acme/published/package.json && -f $work/par$i/node_modules/@acme/hello/package.json ]] \
        && installed=$((installed + 1))
done
check "  each installed both packages" test "$installed" -eq 8
check "  each fetched its tarballs from the feed (16 tarball downloads)" \
    test "$(grep -cE '"method":"GET","path":"/acme/private/npm/@acme/(hello/-/hello-1.0.0|published/-/published-2.0.0).tgz".*"status":200' "$FEED_LOG")" -ge 16
check "  and the feed refused nothing" bash -c "! grep -qE '\"status\":(4|5)[0-9][0-9]' <(grep -F hello-1.0.0.tgz '$FEED_LOG')"

check_no_token_leak "$dir"
finish
