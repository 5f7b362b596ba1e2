#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The NuGet v3 and npm registry protocols over HTTPS with curl: service index, flat container,
# registration, push; packuments for scoped names in both spellings, tarballs, publish merging,
# 409 on an existing version, dist-tags, deprecate, unpublish.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools curl openssl base64 cmp

dir=$work/feed
start_feed "$dir" --revocation-delay 0
"$feed" repo create --data "$FEED_DATA" acme/repo 2>/dev/null
new_token read dev read
new_token rw ci read-write
new_token full admin full
R=(-H "feedz-api-key: $read")
W=(-H "feedz-api-key: $rw")
repo=acme/repo
nuget=${FEED_URL}$repo/nuget/

echo "# NuGet: service index"
expect_status "GET nuget/index.json" 200 GET "$repo/nuget/index.json" "${R[@]}"
check "  version 3.0.0" body_contains '"version":"3.0.0"'
check "  PackageBaseAddress/3.0.0 (flat container)" \
    body_contains "{\"@id\":\"${nuget}v3-flatcontainer/\",\"@type\":\"PackageBaseAddress/3.0.0\""
check "  PackagePublish/2.0.0 (push)" \
    body_contains "{\"@id\":\"${nuget}api/v2/package\",\"@type\":\"PackagePublish/2.0.0\""
check "  RegistrationsBaseUrl/3.6.0 (metadata, for dotnet add package)" \
    body_contains "{\"@id\":\"${nuget}v3/registration/\",\"@type\":\"RegistrationsBaseUrl/3.6.0\""
check "  application/json" headers_contain "Content-Type: application/json"
check "URLs follow the Host the client used (localhost)" bash -c "curl -sS --cacert '$FEED_CA' \
    -H 'feedz-api-key: $read' 'https://localhost:$FEED_PORT/$repo/nuget/index.json' \
    | grep -qF '\"@id\":\"https://localhost:$FEED_PORT/$repo/nuget/v3-flatcontainer/\"'"

echo "# NuGet: push, flat container, registration"
"$feed" pack nupkg Feedz.Proto 1.0 "$work/pkgs" >/dev/null
"$feed" pack nupkg Feedz.Proto 1.10.0-beta.2 "$work/pkgs" >/dev/null
"$feed" pack nupkg Feedz.Proto 1.2.0 "$work/pkgs" >/dev/null
for version in 1.0 1.10.0-beta.2 1.2.0; do
    expect_status "push Feedz.Proto $version (multipart)" 201 PUT "$repo/nuget/api/v2/package" "${W[@]}" \
        -F "package=@$work/pkgs/Feedz.Proto.$version.nupkg"
done
expect_status "push of an existing version" 409 PUT "$repo/nuget/api/v2/package" "${W[@]}" \
    -F "package=@$work/pkgs/Feedz.Proto.1.0.nupkg"
check "  says it exists" grep -qF "Feedz.Proto 1.0.0 already exists" <<<"$(reason_phrase)"
expect_status "versions index" 200 GET "$repo/nuget/v3-flatcontainer/feedz.proto/index.json" "${R[@]}"
check "  normalised, in version order" body_contains '{"versions":["1.0.0","1.2.0","1.10.0-beta.2"]}'
expect_status "versions index for an unknown id" 404 GET "$repo/nuget/v3-flatcontainer/nope/index.json" "${R[@]}"
expect_status ".nupkg download" 200 GET "$repo/nuget/v3-flatcontainer/feedz.proto/1.0.0/feedz.proto.1.0.0.nupkg" "${R[@]}"
check "  byte-identical to what was pushed" cmp -s "$work/body" "$work/pkgs/Feedz.Proto.1.0.nupkg"
expect_status "HEAD .nupkg" 200 HEAD "$repo/nuget/v3-flatcontainer/feedz.proto/1.0.0/feedz.proto.1.0.0.nupkg" "${R[@]}"
expect_status ".nuspec download" 200 GET "$repo/nuget/v3-flatcontainer/feedz.proto/1.2.0/feedz.proto.nuspec" "${R[@]}"
check "  is the package's .nuspec" body_contains "<id>Feedz.Proto</id>"
expect_status "a missing version" 404 GET "$repo/nuget/v3-flatcontainer/feedz.proto/9.9.9/feedz.proto.9.9.9.nupkg" "${R[@]}"
expect_status "registration index" 200 GET "$repo/nuget/v3/registration/feedz.proto/index.json" "${R[@]}"
check "  lists every version with its content URL" \
    body_contains "\"packageContent\":\"${nuget}v3-flatcontainer/feedz.proto/1.10.0-beta.2/feedz.proto.1.10.0-beta.2.nupkg\""
check "  lower and upper bounds" body_contains '"lower":"1.0.0"'
expect_status "registration leaf" 200 GET "$repo/nuget/v3/registration/feedz.proto/1.2.0.json" "${R[@]}"
check "  names the version" body_contains '"version":"1.2.0"'
cat >"$work/dep.nuspec" <<'XML'
<?xml version="1.0"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata><id>Feedz.Dependent</id><version>1.0.0</version><authors>t</authors><description>d</description>
    <dependencies><group targetFramework=".NETStandard2.0"><dependency id="Feedz.Proto" version="[1.2.0, )" /></group></dependencies>
  </metadata>
</package>
XML
"$feed" pack nupkg Feedz.Dependent 1.0.0 "$work/pkgs" --nuspec "$work/dep.nuspec" >/dev/null
expect_status "push a package with a dependency (pack --nuspec)" 201 PUT "$repo/nuget/api/v2/package" "${W[@]}" \
    -F "package=@$work/pkgs/Feedz.Dependent.1.0.0.nupkg"
expect_status "its registration" 200 GET "$repo/nuget/v3/registration/feedz.dependent/index.json" "${R[@]}"
check "  carries the dependency group" body_contains '"dependencies":[{"id":"Feedz.Proto","range":"[1.2.0, )"}],"targetFramework":".NETStandard2.0"'
expect_status "Full: delete a version" 204 DELETE "$repo/nuget/api/v2/package/Feedz.Proto/1.2.0" -H "X-NuGet-ApiKey: $full"
expect_status "  it left the versions index" 200 GET "$repo/nuget/v3-flatcontainer/feedz.proto/index.json" "${R[@]}"
check "  (1.0.0 and 1.10.0-beta.2 remain)" body_contains '{"versions":["1.0.0","1.10.0-beta.2"]}'
expect_status "delete of a missing version" 404 DELETE "$repo/nuget/api/v2/package/Feedz.Proto/1.2.0" -H "X-NuGet-ApiKey: $full"

echo "# npm: publish, packuments, tarballs"
npm_reg=${FEED_URL}$repo/npm/
json=(-H "Content-Type: application/json")
for version in 1.0.0 1.1.0; do
    "$feed" pack npm @acme/proto "$version" "$work/pkgs" >/dev/null
    npm_publish_body @acme/proto "$version" "$work/pkgs/acme-proto-$version.tgz" >"$work/proto-$version.json"
done
"$feed" pack npm plain 0.1.0 "$work/pkgs" >/dev/null
npm_publish_body plain 0.1.0 "$work/pkgs/plain-0.1.0.tgz" >"$work/plain.json"

expect_status "publish @acme/proto 1.0.0 (PUT @acme%2fproto)" 201 PUT "$repo/npm/@acme%2fproto" "${W[@]}" "${json[@]}" \
    --data-binary "@$work/proto-1.0.0.json"
expect_status "publish an unscoped package" 201 PUT "$repo/npm/plain" "${W[@]}" "${json[@]}" --data-binary "@$work/plain.json"
expect_status "publish 1.1.0 (PUT @acme/proto)" 201 PUT "$repo/npm/@acme/proto" "${W[@]}" "${json[@]}" \
    --data-binary "@$work/proto-1.1.0.json"
expect_status "publishing 1.0.0 again" 409 PUT "$repo/npm/@acme%2fproto" "${W[@]}" "${json[@]}" \
    --data-binary "@$work/proto-1.0.0.json"
check "  says the version exists" body_contains "cannot publish over the previously published version 1.0.0"

expect_status "packument as @acme%2fproto" 200 GET "$repo/npm/@acme%2fproto" "${R[@]}"
cp "$work/body" "$work/packument-encoded"
check "  both versions merged" body_contains '"versions":{"1.0.0":{'
check "  1.1.0 too" body_contains '"1.1.0":{'
check "  latest is 1.1.0" body_contains '"dist-tags":{"latest":"1.1.0"}'
check "  tarball URL is absolute under the registry" \
    body_contains "\"tarball\":\"${npm_reg}@acme/proto/-/proto-1.0.0.tgz\""
integrity="sha512-$(openssl dgst -sha512 -binary <"$work/pkgs/acme-proto-1.0.0.tgz" | base64 -w0)"
check "  integrity is the tarball's sha512" body_contains "\"integrity\":\"$integrity\""
expect_status "packument as @acme%2Fproto" 200 GET "$repo/npm/@acme%2Fproto" "${R[@]}"
check "  is the same document" cmp -s "$work/body" "$work/packument-encoded"
expect_status "packument as @acme/proto" 200 GET "$repo/npm/@acme/proto" "${R[@]}"
check "  is the same document" cmp -s "$work/body" "$work/packument-encoded"
expect_status "packument of an unscoped package" 200 GET "$repo/npm/plain" "${R[@]}"
expect_status "a package that does not exist" 404 GET "$repo/npm/@acme%2fnope" "${R[@]}"
expect_status "tarball" 200 GET "$repo/npm/@acme/proto/-/proto-1.0.0.tgz" "${R[@]}"
check "  byte-identical to what was published" cmp -s "$work/body" "$work/pkgs/acme-proto-1.0.0.tgz"
expect_status "tarball by the encoded name" 200 GET "$repo/npm/@acme%2fproto/-/proto-1.1.0.tgz" "${R[@]}"
expect_status "one version" 200 GET "$repo/npm/@acme%2fproto/1.0.0" "${R[@]}"
check "  its manifest" body_contains '"version":"1.0.0"'
expect_status "a dist-tag" 200 GET "$repo/npm/@acme%2fproto/latest" "${R[@]}"
check "  resolves to 1.1.0" body_contains '"version":"1.1.0"'

echo "# npm: dist-tags, deprecate, unpublish"
tags=$repo/npm/-/package/@acme%2fproto/dist-tags
expect_status "dist-tag add beta" 201 PUT "$tags/beta" "${W[@]}" "${json[@]}" --data-binary '"1.0.0"'
expect_status "dist-tag ls" 200 GET "$tags" "${R[@]}"
check "  shows beta and latest" body_contains '{"beta":"1.0.0","latest":"1.1.0"}'
expect_status "dist-tag to a missing version" 400 PUT "$tags/beta" "${W[@]}" "${json[@]}" --data-binary '"7.0.0"'
expect_status "dist-tag rm beta" 201 DELETE "$tags/beta" "${W[@]}"
expect_status "dist-tag rm latest is refused" 400 DELETE "$tags/latest" "${W[@]}"
expect_status "dist-tag ls after rm" 200 GET "$tags" "${R[@]}"
check "  only latest" body_contains '{"latest":"1.1.0"}'

sed 's/"1.0.0":{/"1.0.0":{"deprecated":"use 1.1.0",/' "$work/packument-encoded" >"$work/deprecate.json"
expect_status "deprecate (PUT without attachments)" 201 PUT "$repo/npm/@acme%2fproto" "${W[@]}" "${json[@]}" \
    --data-binary "@$work/deprecate.json"
expect_status "  the packument" 200 GET "$repo/npm/@acme%2fproto" "${R[@]}"
check "  carries the deprecation" body_contains '"deprecated":"use 1.1.0"'
check "  and still both versions" body_contains '"1.1.0":{'

printf '{"_id":"@acme/proto","name":"@acme/proto","versions":{"1.0.0":{}},"dist-tags":{"latest":"1.0.0"}}' >"$work/unpublish.json"
expect_status "unpublish 1.1.0 with Read/Write" 403 PUT "$repo/npm/@acme%2fproto/-rev/3-abc" "${W[@]}" "${json[@]}" \
    --data-binary "@$work/unpublish.json"
expect_status "unpublish 1.1.0 with Full (PUT -rev)" 201 PUT "$repo/npm/@acme%2fproto/-rev/3-abc" -H "feedz-api-key: $full" \
    "${json[@]}" --data-binary "@$work/unpublish.json"
expect_status "  the packument" 200 GET "$repo/npm/@acme%2fproto" "${R[@]}"
check "  has only 1.0.0" bash -c "! grep -qF '\"1.1.0\":{' '$work/body'"
check "  latest moved to 1.0.0" body_contains '"dist-tags":{"latest":"1.0.0"}'
expect_status "  the 1.1.0 tarball is gone" 404 GET "$repo/npm/@acme/proto/-/proto-1.1.0.tgz" "${R[@]}"
expect_status "tarball DELETE (npm's second unpublish step)" 200 DELETE "$repo/npm/@acme/proto/-/proto-1.1.0.tgz/-rev/4-x" \
    -H "feedz-api-key: $full"
expect_status "  leaves the remaining version's tarball" 200 GET "$repo/npm/@acme/proto/-/proto-1.0.0.tgz" "${R[@]}"

echo "# npm: audit and ping answer without advisories"
expect_status "POST advisories/bulk" 200 POST "$repo/npm/-/npm/v1/security/advisories/bulk" "${R[@]}" "${json[@]}" --data-binary '{}'
check "  {}" body_contains '{}'
expect_status "ping" 200 GET "$repo/npm/-/ping" "${R[@]}"

check_no_token_leak "$dir"
finish
