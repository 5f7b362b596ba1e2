#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The admin commands: tokens are printed once and stored only as hash + prefix; list shows
# prefixes; deactivate/activate; bad input exits non-zero with a message; the pack helpers.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools sha256sum tar

FEED_DATA=$work/data
mkdir -p "$FEED_DATA"

# run_admin ARGS...: sets $out, $err, $code.
run_admin() {
    code=0
    "$feed" "$@" >"$work/out" 2>"$work/err" || code=$?
    out=$(cat "$work/out")
    err=$(cat "$work/err")
}

# --- token create ---
run_admin token create --data "$FEED_DATA" --name laptop --access read
token=$out
tokens_seen+=("$token")
check "token create exits 0" test "$code" -eq 0
check "token create prints exactly one line on stdout" test "$(wc -l <"$work/out")" -eq 1
check "the token is T- and 43 alphanumerics" grep -qxE 'T-[A-Za-z0-9]{43}' "$work/out"
check "stderr names only the prefix" grep -qF "${token:0:7}…" "$work/err"
check "stderr does not contain the token" test "$(grep -cF -- "${token:0:12}" "$work/err")" -eq 0

hash=$(printf '%s' "$token" | sha256sum | cut -d' ' -f1)
check "tokens.json holds the SHA-256 of the token" grep -qF "\"sha256\": \"$hash\"" "$FEED_DATA/tokens.json"
check "tokens.json holds the 7-character prefix" grep -qF "\"prefix\": \"${token:0:7}\"" "$FEED_DATA/tokens.json"
for field in name access expires active created; do
    check "tokens.json records $field" grep -qF "\"$field\":" "$FEED_DATA/tokens.json"
done
check "tokens.json is private (0600)" test "$(stat -c %a "$FEED_DATA/tokens.json")" = 600

run_admin token create --data "$FEED_DATA" --name ci --access read-write --expires 2099-12-31
token2=$out
tokens_seen+=("$token2")
run_admin token create --data "$FEED_DATA" --name old --access full --expires 2000-01-01
tokens_seen+=("$out")
check "an expiry in the past is allowed (tests need expired tokens) with a note" \
    grep -q "already expired" "$work/err"
check "two tokens differ" test "$token" != "$token2"

# --- token list ---
run_admin token list --data "$FEED_DATA"
check "token list exits 0" test "$code" -eq 0
check "token list shows the prefix, name and level" \
    grep -qP "^${token:0:7}\tlaptop\tread\tnever\tactive\t" "$work/out"
check "token list shows the expiry" grep -qP "^${token2:0:7}\tci\tread-write\t2099-12-31\tactive" "$work/out"
check "token list shows expired tokens as expired" grep -qP "\told\tfull\t2000-01-01\texpired\t" "$work/out"
check "token list shows no token" test "$(grep -cF -- "${token:0:12}" "$work/out")" -eq 0

# --- deactivate / activate ---
run_admin token deactivate --data "$FEED_DATA" "${token:0:7}"
check "token deactivate exits 0" test "$code" -eq 0
run_admin token list --data "$FEED_DATA"
check "a deactivated token is listed as deactivated" grep -qP "^${token:0:7}\tlaptop\tread\tnever\tdeactivated" "$work/out"
check "tokens.json records active=false" grep -qF '"active": false' "$FEED_DATA/tokens.json"
run_admin token activate --data "$FEED_DATA" "${token:0:7}"
run_admin token list --data "$FEED_DATA"
check "token activate restores it" grep -qP "^${token:0:7}\tlaptop\tread\tnever\tactive" "$work/out"

# --- bad input: non-zero exit and a message that names the problem ---
expect_failure() { # DESCRIPTION PATTERN ARGS...
    local description=$1 pattern=$2
    shift 2
    run_admin "$@"
    if [[ $code -ne 0 && $err == *"$pattern"* && -z $out ]]; then
        pass "$description (exit $code: ${err%%$'\n'*})"
    else
        fail "$description: exit $code, stdout '$out', stderr '$err'"
    fi
}
expect_failure "unknown access level" 'unknown access level "admin"' \
    token create --data "$FEED_DATA" --name x --access admin
expect_failure "impossible date" 'bad --expires date "2026-02-30"' \
    token create --data "$FEED_DATA" --name x --access read --expires 2026-02-30
expect_failure "date in another format" 'bad --expires date "31.12.2026"' \
    token create --data "$FEED_DATA" --name x --access read --expires 31.12.2026
expect_failure "missing --name" "missing --name" token create --data "$FEED_DATA" --access read
expect_failure "empty --name" "--name must be" token create --data "$FEED_DATA" --name "" --access read
expect_failure "unknown prefix" "no token with prefix T-zzzzz" token deactivate --data "$FEED_DATA" T-zzzzz
expect_failure "unknown prefix (activate)" "no token with prefix T-zzzzz" token activate --data "$FEED_DATA" T-zzzzz
expect_failure "a whole token instead of the prefix" "7-character token prefix" \
    token deactivate --data "$FEED_DATA" "$token"
check "...and the error does not echo the token" test "$(grep -cF -- "${token:0:12}" "$work/err")" -eq 0
expect_failure "repository name with .." "invalid repository" repo create --data "$FEED_DATA" "acme/../x"
expect_failure "repository without org" "expected ORG/REPO" repo create --data "$FEED_DATA" acme
expect_failure "package add to an unknown repository" "unknown repository acme/none" \
    package add --data "$FEED_DATA" acme/none "$work/none.nupkg"
expect_failure "revocation delay above 15 s" "--revocation-delay must be a whole number from 0 to 15" \
    serve --data "$FEED_DATA" --port-file "$work/port" --cert x --key y --revocation-delay 16
expect_failure "a missing certificate" "cannot load certificate" \
    serve --data "$FEED_DATA" --port-file "$work/port" --cert "$work/none.pem" --key "$work/none.key"
expect_failure "an unknown option" "unknown option --acess" \
    token create --data "$FEED_DATA" --name x --acess read
expect_failure "an unknown command" 'unknown command "token rotate"' token rotate --data "$FEED_DATA"
check "no bad command changed tokens.json" test "$(grep -c '"prefix"' "$FEED_DATA/tokens.json")" -eq 3

# --- repositories ---
run_admin repo create --data "$FEED_DATA" acme/private
run_admin repo create --data "$FEED_DATA" acme/public --public
run_admin repo list --data "$FEED_DATA"
check "repo list shows visibility" grep -qP '^acme/public\tpublic$' "$work/out"
check "repo list shows private repositories" grep -qP '^acme/private\tprivate$' "$work/out"

# --- the package helpers ---
run_admin pack npm @acme/hello 1.2.3 "$work/pkgs"
check "pack npm prints the tarball path" test "$out" = "$work/pkgs/acme-hello-1.2.3.tgz"
check "the tarball holds package/package.json with name and version" \
    bash -c "tar -xzOf '$out' package/package.json | grep -q '\"name\": \"@acme/hello\"' && tar -xzOf '$out' package/package.json | grep -q '\"version\": \"1.2.3\"'"
run_admin pack nupkg Feedz.Hello 1.2.3 "$work/pkgs"
check "pack nupkg prints the package path" test "$out" = "$work/pkgs/Feedz.Hello.1.2.3.nupkg"
check "the .nupkg is a zip (PK signature)" test "$(head -c 2 "$out")" = "PK"
if command -v unzip >/dev/null; then
    check "the .nupkg holds Feedz.Hello.nuspec with id and version" \
        bash -c "unzip -p '$out' Feedz.Hello.nuspec | grep -q '<id>Feedz.Hello</id>' && unzip -p '$out' Feedz.Hello.nuspec | grep -q '<version>1.2.3</version>'"
fi
run_admin package add --data "$FEED_DATA" acme/private "$work/pkgs/Feedz.Hello.1.2.3.nupkg" "$work/pkgs/acme-hello-1.2.3.tgz"
check "package add stores both packages" \
    test -f "$FEED_DATA/repos/acme/private/nuget/feedz.hello/1.2.3/feedz.hello.1.2.3.nupkg" \
    -a -f "$FEED_DATA/repos/acme/private/npm/@acme/hello/-/hello-1.2.3.tgz"
expect_failure "package add of the same version again" "already exists" \
    package add --data "$FEED_DATA" acme/private "$work/pkgs/Feedz.Hello.1.2.3.nupkg"
printf 'not a package' >"$work/bad.nupkg"
expect_failure "package add of an invalid package" "invalid package" \
    package add --data "$FEED_DATA" acme/private "$work/bad.nupkg"

check_no_token_leak "$FEED_DATA"
finish
