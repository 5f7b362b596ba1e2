#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Bad input gets a 4xx with a short message, the server keeps serving, and the stored data is
# unchanged: malformed JSON, bodies over the size limit, ../ and %2e%2e in names and versions,
# invalid packages, unknown repositories.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools curl openssl base64 sha256sum head

dir=$work/feed
max_body=65536
start_feed "$dir" --revocation-delay 0 --max-body "$max_body"
"$feed" repo create --data "$FEED_DATA" acme/repo 2>/dev/null
new_token rw ci read-write
W=(-H "feedz-api-key: $rw")
json=(-H "Content-Type: application/json")
repo=acme/repo

# Seed one package of each kind, then remember the stored state.
"$feed" pack npm @acme/ok 1.0.0 "$work/pkgs" >/dev/null
"$feed" pack nupkg Feedz.Ok 1.0.0 "$work/pkgs" >/dev/null
"$feed" package add --data "$FEED_DATA" "$repo" "$work/pkgs/acme-ok-1.0.0.tgz" "$work/pkgs/Feedz.Ok.1.0.0.nupkg" 2>/dev/null
stored_state() {
    (cd "$FEED_DATA" && find repos tokens.json repos.json -type f -print0 | sort -z | xargs -0 sha256sum)
}
stored_state >"$work/state-before"

# expect_4xx DESCRIPTION STATUS MESSAGE METHOD PATH [CURL-ARG...]: the status, and a short
# message naming the problem in the body.
expect_4xx() {
    local description=$1 expected=$2 message=$3
    shift 3
    expect_status "$description" "$expected" "$@"
    check "  says \"$message\"" body_contains "$message"
    check "  in a short JSON message" test "$(stat -c %s "$work/body")" -lt 400
}

echo "# malformed and inconsistent npm documents"
expect_4xx "malformed JSON" 400 "malformed JSON" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary '{"name": "@acme/new",'
expect_4xx "JSON that is not an object" 400 "must be a JSON object" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary '[1,2]'
"$feed" pack npm @acme/new 1.0.0 "$work/pkgs" >/dev/null
npm_publish_body @acme/new 1.0.0 "$work/pkgs/acme-new-1.0.0.tgz" >"$work/good.json"
sed 's/"name":"@acme\/new"/"name":"@acme\/other"/' "$work/good.json" >"$work/bad-name.json"
expect_4xx "a document for another package" 400 "does not match the URL" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary "@$work/bad-name.json"
sed 's/"versions":{"1.0.0"/"versions":{"..\/1.0.0"/' "$work/good.json" >"$work/bad-version.json"
expect_4xx "../ in a version" 400 "invalid version" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary "@$work/bad-version.json"
sed 's/"data":"[^"]*"/"data":"***not base64***"/' "$work/good.json" >"$work/bad-data.json"
expect_4xx "an attachment that is not base64" 400 "not valid base64" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary "@$work/bad-data.json"
sed "s/\"data\":\"[^\"]*\"/\"data\":\"$(printf 'plain text, not a tarball' | base64 -w0)\"/; s/\"length\":[0-9]*/\"length\":25/" "$work/good.json" >"$work/bad-tgz.json"
expect_4xx "an attachment that is not a tarball" 400 "not a gzip file" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary "@$work/bad-tgz.json"
sed 's/"integrity":"sha512-[^"]*"/"integrity":"sha512-AAAA"/' "$work/good.json" >"$work/bad-integrity.json"
expect_4xx "an integrity that does not match" 400 "integrity does not match" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary "@$work/bad-integrity.json"
sed 's/"_attachments":{.*}}}$/"_attachments":{}}/' "$work/good.json" | tr -d '\n' >"$work/no-attachment.json"
expect_4xx "an update for a package that does not exist" 404 "not found" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary "@$work/no-attachment.json"

echo "# bodies over the size limit ($max_body bytes)"
head -c $((max_body + 1)) /dev/zero | tr '\0' 'a' >"$work/big"
expect_4xx "npm publish over the limit" 413 "larger than $max_body bytes" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" --data-binary "@$work/big"
expect_4xx "nuget push over the limit" 413 "larger than $max_body bytes" PUT "$repo/nuget/api/v2/package" "${W[@]}" -F "package=@$work/big"
expect_4xx "chunked body over the limit" 413 "larger than $max_body bytes" PUT "$repo/npm/@acme%2fnew" "${W[@]}" "${json[@]}" \
    -H "Transfer-Encoding: chunked" --data-binary "@$work/big"
expect_status "the server still answers after an oversized body" 200 GET ""

echo "# ../ and %2e%2e in paths, names and versions"
bad_paths=(
    "$repo/npm/../../../etc/passwd"
    "$repo/npm/%2e%2e"
    "$repo/npm/%2E%2E/%2e%2e/x"
    "$repo/npm/@acme%2f%2e%2e"
    "$repo/npm/@acme/ok/-/%2e%2e%2fok-1.0.0.tgz"
    "$repo/npm/@acme/ok/%2e%2e"
    "$repo/nuget/v3-flatcontainer/%2e%2e/index.json"
    "$repo/nuget/v3-flatcontainer/feedz.ok/%2e%2e/feedz.ok.nuspec"
    "$repo/nuget/v3-flatcontainer/..%2f..%2ftokens.json/index.json"
    "acme/%2e%2e/nuget/index.json"
    "../../tokens.json"
)
for path in "${bad_paths[@]}"; do
    expect_4xx "GET /$path" 400 "bad request path" GET "$path" "${W[@]}"
done
expect_4xx "an npm name that is not one" 400 "invalid package name" GET "$repo/npm/ok%20name" "${W[@]}"
expect_4xx "a NuGet version that is not one" 400 "invalid package version" GET "$repo/nuget/v3-flatcontainer/feedz.ok/1.x/feedz.ok.nuspec" "${W[@]}"
expect_4xx "PUT to a %2e%2e name" 400 "bad request path" PUT "$repo/npm/..%2f..%2fevil" "${W[@]}" "${json[@]}" --data-binary "@$work/good.json"
expect_4xx "nuget delete of a ../ id" 400 "bad request path" DELETE "$repo/nuget/api/v2/package/..%2fx/1.0.0" "${W[@]}"

echo "# invalid packages"
head -c 2000 /dev/urandom >"$work/random.nupkg"
expect_4xx "random bytes as a .nupkg" 400 "invalid package: not a zip archive" PUT "$repo/nuget/api/v2/package" "${W[@]}" -F "package=@$work/random.nupkg"
head -c 300 "$work/pkgs/Feedz.Ok.1.0.0.nupkg" >"$work/truncated.nupkg"
expect_4xx "a truncated .nupkg" 400 "invalid package" PUT "$repo/nuget/api/v2/package" "${W[@]}" -F "package=@$work/truncated.nupkg"
printf 'this is not xml' >"$work/garbage.nuspec"
"$feed" pack nupkg Feedz.Garbage 1.0.0 "$work/pkgs" --nuspec "$work/garbage.nuspec" >/dev/null
expect_4xx "a .nuspec that is not XML" 400 "not well-formed XML" PUT "$repo/nuget/api/v2/package" "${W[@]}" -F "package=@$work/pkgs/Feedz.Garbage.1.0.0.nupkg"
for bad in "../evil:1.0.0:bad package id" "Feedz.Evil:../..:bad version" "Feedz.Evil:%2e%2e:bad version"; do
    IFS=: read -r id version message <<<"$bad"
    printf '<package><metadata><id>%s</id><version>%s</version></metadata></package>' "$id" "$version" >"$work/evil.nuspec"
    "$feed" pack nupkg Feedz.Evil 1.0.0 "$work/evil" --nuspec "$work/evil.nuspec" >/dev/null
    expect_4xx "a .nuspec with id '$id' and version '$version'" 400 "$message" PUT "$repo/nuget/api/v2/package" "${W[@]}" \
        -F "package=@$work/evil/Feedz.Evil.1.0.0.nupkg"
done
expect_4xx "an empty multipart body" 400 "multipart body without a package" PUT "$repo/nuget/api/v2/package" "${W[@]}" \
    -H "Content-Type: multipart/form-data; boundary=XYZ" --data-binary $'--XYZ--\r\n'

echo "# unknown repositories, protocols and methods"
expect_4xx "an unknown organisation" 404 "unknown repository nope/repo" GET "nope/repo/nuget/index.json" "${W[@]}"
expect_4xx "an unknown repository" 404 "unknown repository acme/nope" GET "acme/nope/npm/@acme%2fok" "${W[@]}"
expect_4xx "an invalid repository name" 400 "invalid organisation or repository name" GET "acme/-x-/npm/ok" "${W[@]}"
expect_4xx "an unknown protocol" 404 "not found" GET "$repo/pypi/simple" "${W[@]}"
expect_4xx "a method the endpoint does not have" 405 "not allowed" POST "$repo/npm/@acme%2fok" "${W[@]}" "${json[@]}" --data-binary '{}'
expect_status "a query string is ignored" 200 GET "$repo/nuget/index.json?x=../../etc" "${W[@]}"

echo "# the server keeps serving and nothing was stored"
check "the server process is alive" alive "$FEED_PID"
expect_status "a good request still works" 200 GET "$repo/npm/@acme%2fok" "${W[@]}"
stored_state >"$work/state-after"
check "stored data (tokens, repositories, packages) is unchanged" cmp -s "$work/state-before" "$work/state-after"
check "no error was logged by the server" bash -c "! grep -q 'error handling' '$FEED_STDERR'"

check_no_token_leak "$dir"
finish
