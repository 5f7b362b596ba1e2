#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real .NET SDK against the feed, with credentials written by hand (ClearTextPassword in a
# temporary NuGet.Config, no agent or plugin involved): dotnet nuget push --api-key with a
# Read/Write token (403 with Read), dotnet restore of a net10.0 classlib, dotnet add package
# without a version. It records which NuGet resources each command used, and proves that
# SSL_CERT_FILE from feed.env is what makes dotnet on Linux trust the feed.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools curl openssl dotnet

dir=$work/feed
start_feed "$dir" --revocation-delay 1
"$feed" repo create --data "$FEED_DATA" acme/private 2>/dev/null
new_token read dev read
new_token rw ci read-write
for version in 1.0.0 1.1.0; do
    "$feed" pack nupkg Feedz.Restore "$version" "$work/pkgs" >/dev/null
done
source_url=${FEED_URL}acme/private/nuget/index.json
mkdir -p "$work/no-plugins"

# run_dotnet CWD [--no-ca | --cert-dir DIR] ARGS...: dotnet with a clean environment, its own
# HOME, package folder and caches, no plugin (NUGET_PLUGIN_PATHS names an empty directory, which
# also turns off the PATH scan for nuget-plugin-*), and no build servers left behind.
run_dotnet() {
    local cwd=$1
    shift
    local trust=(SSL_CERT_FILE="$SSL_CERT_FILE")
    if [[ $1 == --no-ca ]]; then
        trust=()
        shift
    elif [[ $1 == --cert-dir ]]; then
        trust=(SSL_CERT_DIR="$2:/etc/ssl/certs")
        shift 2
    fi
    local state=$work/dotnet-state${DOTNET_STATE_SUFFIX:-}
    mkdir -p "$state/home"
    (cd "$cwd" && env -i PATH="$PATH" HOME="$state/home" DOTNET_CLI_HOME="$state/home" "${trust[@]}" \
        NUGET_PACKAGES="$state/packages" NUGET_HTTP_CACHE_PATH="$state/http-cache" \
        NUGET_PLUGINS_CACHE_PATH="$state/plugins-cache" NUGET_PLUGIN_PATHS="$work/no-plugins" \
        TMPDIR="$state" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 \
        DOTNET_GENERATE_ASPNET_CERTIFICATE=false DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 \
        DOTNET_ADD_GLOBAL_TOOLS_TO_PATH=0 DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 \
        UseSharedCompilation=false dotnet "$@")
}

# make_project DIR TOKEN [PACKAGE VERSION]: a net10.0 classlib and a NuGet.Config that knows only
# the feed, with the token as ClearTextPassword.
make_project() {
    local project=$1 token=$2
    mkdir -p "$project"
    cat >"$project/NuGet.Config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="feed" value="$source_url" />
  </packageSources>
  <packageSourceCredentials>
    <feed>
      <add key="Username" value="feedz" />
      <add key="ClearTextPassword" value="$token" />
    </feed>
  </packageSourceCredentials>
</configuration>
XML
    local reference=""
    [[ $# -ge 4 ]] && reference="<ItemGroup><PackageReference Include=\"$3\" Version=\"$4\" /></ItemGroup>"
    cat >"$project/Project.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  $reference
</Project>
XML
}

# paths_since LINE: the distinct "METHOD PATH STATUS" the feed saw after log line LINE.
paths_since() {
    tail -n +"$(($1 + 1))" "$FEED_LOG" | sed -E 's/.*"method":"([A-Z]+)","path":"([^"]*)".*"status":([0-9]+).*/\1 \2 \3/' | sort -u
}
log_lines() { wc -l <"$FEED_LOG"; }

echo "# dotnet nuget push --api-key"
make_project "$work/push" "$read"
mark=$(log_lines)
code=0
run_dotnet "$work/push" nuget push "$work/pkgs/Feedz.Restore.1.0.0.nupkg" --source feed --api-key "$rw" \
    >"$work/push.out" 2>&1 || code=$?
check "push with a Read/Write token exits 0" test "$code" -eq 0 || cat "$work/push.out"
check "  and reports the package pushed" grep -q "Your package was pushed" "$work/push.out"
check "  the feed saw the PUT with X-NuGet-ApiKey and the Read/Write token, 201" \
    grep -qF "\"method\":\"PUT\",\"path\":\"/acme/private/nuget/api/v2/package/\",\"auth\":\"nuget-api-key\",\"username\":\"\",\"token_prefix\":\"${rw:0:7}\",\"status\":201" "$FEED_LOG"
paths_since "$mark" >"$work/push.paths"
echo "  push used: $(tr '\n' ';' <"$work/push.paths")"
check "  push needs the service index (PackagePublish/2.0.0) and the PUT only" \
    test "$(cut -d' ' -f2 "$work/push.paths" | sort -u | tr '\n' ' ')" = "/acme/private/nuget/api/v2/package/ /acme/private/nuget/index.json "
code=0
run_dotnet "$work/push" nuget push "$work/pkgs/Feedz.Restore.1.1.0.nupkg" --source feed --api-key "$read" \
    >"$work/push-read.out" 2>&1 || code=$?
check "push with a Read token fails" test "$code" -ne 0
check "  dotnet shows the reason phrase: 403 and the level needed" \
    grep -qF "403 (Forbidden: publishing needs Read/Write or Full access; token ${read:0:7} has Read)" "$work/push-read.out"
run_dotnet "$work/push" nuget push "$work/pkgs/Feedz.Restore.1.1.0.nupkg" --source feed --api-key "$rw" >/dev/null 2>&1
expect_status "  1.1.0 pushed with Read/Write" 200 GET "acme/private/nuget/v3-flatcontainer/feedz.restore/index.json" -H "feedz-api-key: $read"
check "  both versions are on the feed" body_contains '{"versions":["1.0.0","1.1.0"]}'

echo "# dotnet restore with ClearTextPassword"
DOTNET_STATE_SUFFIX=-restore
make_project "$work/restore" "$read" Feedz.Restore 1.0.0
mark=$(log_lines)
code=0
run_dotnet "$work/restore" restore >"$work/restore.out" 2>&1 || code=$?
check "restore exits 0" test "$code" -eq 0 || cat "$work/restore.out"
check "  the assets file has Feedz.Restore 1.0.0" grep -qF '"Feedz.Restore/1.0.0"' "$work/restore/obj/project.assets.json"
check "  the package is in the package folder" test -f "$work/dotnet-state-restore/packages/feedz.restore/1.0.0/feedz.restore.1.0.0.nupkg"
paths_since "$mark" >"$work/restore.paths"
echo "  restore used: $(tr '\n' ';' <"$work/restore.paths")"
check "  first without credentials: 401 (NuGet sends Basic only after the challenge)" \
    grep -qxF "GET /acme/private/nuget/index.json 401" "$work/restore.paths"
check "  then Basic with the NuGet.Config username and the Read token" \
    grep -qF "\"path\":\"/acme/private/nuget/v3-flatcontainer/feedz.restore/1.0.0/feedz.restore.1.0.0.nupkg\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${read:0:7}\",\"status\":200" "$FEED_LOG"
check "  restore needs the service index and the flat container (PackageBaseAddress/3.0.0) only" \
    test "$(cut -d' ' -f2 "$work/restore.paths" | sort -u | tr '\n' ' ')" = "/acme/private/nuget/index.json /acme/private/nuget/v3-flatcontainer/feedz.restore/1.0.0/feedz.restore.1.0.0.nupkg /acme/private/nuget/v3-flatcontainer/feedz.restore/index.json "

echo "# dotnet add package without a version"
DOTNET_STATE_SUFFIX=-add
make_project "$work/add" "$read"
mark=$(log_lines)
code=0
run_dotnet "$work/add" add package Feedz.Restore >"$work/add.out" 2>&1 || code=$?
check "add package exits 0" test "$code" -eq 0 || cat "$work/add.out"
check "  it picked the latest version, 1.1.0" grep -qF 'Include="Feedz.Restore" Version="1.1.0"' "$work/add/Project.csproj"
paths_since "$mark" >"$work/add.paths"
echo "  add package used: $(tr '\n' ';' <"$work/add.paths")"
check "  it needs the registration (RegistrationsBaseUrl/3.6.0) to find the latest version" \
    grep -qxF "GET /acme/private/nuget/v3/registration/feedz.restore/index.json 200" "$work/add.paths"

echo "# what makes dotnet on Linux trust the feed's CA"
DOTNET_STATE_SUFFIX=-no-ca
make_project "$work/no-ca" "$read" Feedz.Restore 1.0.0
code=0
run_dotnet "$work/no-ca" --no-ca restore >"$work/no-ca.out" 2>&1 || code=$?
check "without SSL_CERT_FILE restore fails" test "$code" -ne 0
check "  with NU1301 on the certificate chain" grep -qE "NU1301.*(certificate|SSL)" "$work/no-ca.out"
DOTNET_STATE_SUFFIX=-cert-dir
mkdir -p "$work/certdir"
cp "$FEED_CA" "$work/certdir/feed-ca.pem"
openssl rehash "$work/certdir" >/dev/null 2>&1 || true
make_project "$work/cert-dir" "$read" Feedz.Restore 1.0.0
code=0
run_dotnet "$work/cert-dir" --cert-dir "$work/certdir" restore >"$work/cert-dir.out" 2>&1 || code=$?
check "SSL_CERT_DIR with the CA (hashed by openssl rehash) works as well" test "$code" -eq 0

echo "# a deactivated token: NuGet sees the 401"
"$feed" token deactivate --data "$FEED_DATA" "${read:0:7}" 2>/dev/null
sleep 1.2
DOTNET_STATE_SUFFIX=-deactivated
make_project "$work/deactivated" "$read" Feedz.Restore 1.0.0
code=0
run_dotnet "$work/deactivated" restore >"$work/deactivated.out" 2>&1 || code=$?
check "restore with a deactivated token fails" test "$code" -ne 0
check "  with 401 (Unauthorized)" grep -qE "401 \(Unauthorized" "$work/deactivated.out"

check "no dotnet process is left behind" not process_running "$work/dotnet-state"
check_no_token_leak "$dir"
finish
