#!/usr/bin/env bash
# demo.sh: the whole job on one machine, with nothing of yours touched and no Feedz account.
#
# Installs what is missing (apt, through installers/install-build-deps.sh), builds, then in a
# throwaway HOME with a throwaway keyring (a real gnome-keyring on a private D-Bus) and a local
# HTTPS feed that treats tokens as Feedz does (tests/feed, with a throwaway CA):
#   installs feedz-agent into that HOME (installers/install.sh), creates a token on the feed,
#   `feedz-agent login`, then a real `npm install` and a real `dotnet restore` of packages only
#   the feed has, showing what crossed the wire (the feed's request log: username, token
#   prefix, never the token), `feedz-agent doctor`, and `feedz-agent logout --all`.
# Afterwards nothing it started is running and nothing it wrote is left.
#
#   BUILD_DIR   build directory (default: build)
# Needs npm (11 is what the project tests with) and the .NET 10 SDK for those two steps; a
# missing one is skipped with a note (FEEDZ_DEMO_STRICT=1 makes that an error).
set -euo pipefail # each piped command below is shown through sed: its status must count
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$top/build}

if [ -z "${FEEDZ_DEMO_INSIDE:-}" ]; then
    started=$(date +%s)
    echo "== installing what is missing and building (in $build_dir)"
    "$top/installers/install-build-deps.sh" --tests
    BUILD_DIR=$build_dir "$top/installers/build.sh" \
        feedz-agent feedz-agentd feedz-agent-https nuget-plugin-feedz feedz-test-feed >/dev/null
    demo_home=$(mktemp -d "${TMPDIR:-/tmp}/feedz-demo.XXXXXX")
    status_file=$demo_home.status
    # The directory goes on every exit; the feed, the agent and the keyring go with the session.
    trap 'rm -rf "$demo_home" "$status_file"' EXIT
    trap 'exit 130' INT TERM
    echo "== a throwaway HOME, keyring and feed in $demo_home"
    # (dbus-daemon's complaint that it cannot raise its fd limit is noise)
    {
        inner=0
        FEEDZ_DEMO_INSIDE=1 BUILD_DIR="$build_dir" KEYRING_HOME="$demo_home" FEEDZ_DEMO_OWNER=$$ \
            "$top/tests/lib/with-test-keyring.sh" bash "$0" 2>&1 || inner=$?
        echo "$inner" >"$status_file"
    } | grep -v 'Failed to set fd limit'
    status=$(cat "$status_file")
    if [ "$status" -ne 0 ]; then
        echo "== the demo FAILED (exit $status)" >&2
        exit "$status"
    fi
    echo
    echo "== done in $(($(date +%s) - started)) s; removed $demo_home"
    exit 0
fi

# --- inside: a private D-Bus with an unlocked gnome-keyring, HOME=$KEYRING_HOME ---
feed_binary=$build_dir/tests/feed/feedz-test-feed
feed_dir=$HOME/feed
export TMPDIR=$HOME/tmp
mkdir -p "$TMPDIR"
unset FEEDZ_AGENT_SOCKET FEEDZ_PAT FEEDZ_CREDENTIALS FEEDZ_AGENT_STORE FEEDZ_AGENT_IDLE_TIMEOUT
unset NUGET_PLUGIN_PATHS NUGET_NETCORE_PLUGIN_PATHS NUGET_NETFX_PLUGIN_PATHS NPM_CONFIG_USERCONFIG

say() { printf '\n$ %s\n' "$*"; }
note() { printf '  # %s\n' "$*"; }
missing_tool() {
    if [ -n "${FEEDZ_DEMO_STRICT:-}" ]; then
        echo "demo: $1 is not installed, and FEEDZ_DEMO_STRICT forbids skipping it" >&2
        exit 1
    fi
    printf '\n(skipped: %s is not installed; %s)\n' "$1" "$2"
}

cleanup() {
    status=$?
    "$build_dir/agent/feedz-agent" stop >/dev/null 2>&1 || true
    "$top/tests/feed/stop-test-feed.sh" "$feed_dir" >/dev/null 2>&1 || true
    exit "$status"
}
trap cleanup EXIT

# wire MARK: the feed's request log after line MARK, one request a line, as the feed logged it
# (it never logs tokens: only the first 7 characters, the prefix Feedz shows too).
mark() { wc -l <"$FEED_LOG"; }
wire() {
    echo "  what crossed the wire (the feed's log):"
    tail -n +"$(($1 + 1))" "$FEED_LOG" | jq -r \
        '"    \(.method) \(.path)  auth=\(.auth)\(if .username != "" then " user=\(.username)" else "" end)\(if .token_prefix != "" then " token=\(.token_prefix)…" else "" end)  -> \(.status)"'
}

# --- the feed ---
say "tests/feed/start-test-feed.sh ~/feed   # a local HTTPS feed, with a CA made for this demo"
FEEDZ_TEST_FEED=$feed_binary FEED_OWNER_PID=${FEEDZ_DEMO_OWNER:-$$} \
    "$top/tests/feed/start-test-feed.sh" "$feed_dir" >/dev/null
. "$feed_dir/feed.env"
feed=${FEED_URL}acme/packages/
note "dotnet trusts its CA through SSL_CERT_FILE, node and npm through NODE_EXTRA_CA_CERTS"

say "feedz-test-feed repo create acme/packages; token create --name laptop --access read"
"$feed_binary" repo create --data "$FEED_DATA" acme/packages
token=$("$feed_binary" token create --data "$FEED_DATA" --name laptop --access read 2>/dev/null)
echo "a new Read token: ${token%"${token#???????}"}…   (shown once, as Feedz does; only its prefix from here on)"

say "feedz-test-feed pack nupkg Acme.Greeting 1.0.0; pack npm @acme/greeting 1.0.0; package add"
nupkg=$("$feed_binary" pack nupkg Acme.Greeting 1.0.0 "$TMPDIR/packages")
tgz=$("$feed_binary" pack npm @acme/greeting 1.0.0 "$TMPDIR/packages")
"$feed_binary" package add --data "$FEED_DATA" acme/packages "$nupkg" "$tgz"
echo "the feed has Acme.Greeting 1.0.0 (NuGet) and @acme/greeting 1.0.0 (npm), both private"

# --- install ---
say "installers/install.sh --build-dir $build_dir   # into this HOME: ~/.local/bin, units, completion"
"$top/installers/install.sh" --build-dir "$build_dir" | sed 's/^/  /'
export PATH="$HOME/.local/bin:$PATH"
say "feedz-agent --version"
feedz-agent --version

# Both clients use nothing but this feed: a user NuGet.Config with no other source, and
# npm's default registry pointing nowhere (so the demo needs no network).
mkdir -p "$HOME/.nuget/NuGet"
cat >"$HOME/.nuget/NuGet/NuGet.Config" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
  </packageSources>
</configuration>
XML
: >"$HOME/npm-globalrc"
export npm_config_globalconfig=$HOME/npm-globalrc npm_config_registry=https://127.0.0.1:9/
export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
export npm_config_loglevel=warn npm_config_fetch_retries=0

# --- login ---
say "printf '%s' \"\$TOKEN\" | feedz-agent login --pat-stdin --feed $feed --access read --npm-scope @acme"
m=$(mark)
printf '%s' "$token" | feedz-agent login --pat-stdin --feed "$feed" --access read --npm-scope @acme
wire "$m"
say "feedz-agent list"
feedz-agent list
say "cat ~/.nuget/NuGet/NuGet.Config   # the source, and no password: nuget-plugin-feedz asks the agent"
cat "$HOME/.nuget/NuGet/NuGet.Config"
say "cat ~/.npmrc   # (_auth shortened here) npm reads it; mode $(stat -c %a "$HOME/.npmrc")"
sed 's/\(:_auth=.\{8\}\).*/\1…/' "$HOME/.npmrc"

# --- npm ---
if command -v npm >/dev/null 2>&1; then
    mkdir -p "$HOME/web"
    printf '{"name":"web","version":"1.0.0","private":true}\n' >"$HOME/web/package.json"
    say "cd ~/web && npm install @acme/greeting"
    m=$(mark)
    (cd "$HOME/web" && npm install @acme/greeting --no-progress 2>&1 | sed 's/^/  /')
    (cd "$HOME/web" && node -p '"require(\"@acme/greeting\") = " + require("@acme/greeting")')
    wire "$m"
    say "feedz-agent exec -- npm view @acme/greeting version   # the same with no token at rest (--npm exec)"
    m=$(mark)
    (cd "$HOME/web" && feedz-agent exec -- npm view @acme/greeting version)
    wire "$m"
else
    missing_tool npm "install Node.js 20 and npm 11 to see this step"
fi

# --- dotnet ---
if command -v dotnet >/dev/null 2>&1; then
    mkdir -p "$HOME/app"
    cat >"$HOME/app/App.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Acme.Greeting" Version="1.0.0" />
  </ItemGroup>
</Project>
XML
    say "cd ~/app && dotnet restore   # a net10.0 project that references Acme.Greeting 1.0.0"
    note "NuGet gets a 401, runs nuget-plugin-feedz (found on PATH), which asks the agent"
    m=$(mark)
    (cd "$HOME/app" && DOTNET_CLI_HOME=$HOME DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 \
        DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false \
        DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 DOTNET_ADD_GLOBAL_TOOLS_TO_PATH=0 \
        DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false \
        NUGET_PACKAGES=$HOME/.nuget/packages \
        dotnet restore --disable-build-servers --tl:off 2>&1 | sed 's/^/  /')
    [ -f "$HOME/.nuget/packages/acme.greeting/1.0.0/acme.greeting.1.0.0.nupkg" ] \
        || { echo "demo: dotnet restore did not fetch Acme.Greeting" >&2; exit 1; }
    echo "  restored: ~/.nuget/packages/acme.greeting/1.0.0/"
    wire "$m"
else
    missing_tool dotnet "install the .NET 10 SDK (https://learn.microsoft.com/dotnet/core/install/linux-debian) to see this step"
fi

# --- doctor, logout ---
say "feedz-agent doctor"
feedz-agent doctor || note "doctor found something to fix (above)"
say "feedz-agent logout --all   # the token, the NuGet source and the npm lines go"
feedz-agent logout --all
say "feedz-agent list"
feedz-agent list
say "cat ~/.npmrc; grep -c $FEED_HOST ~/.nuget/NuGet/NuGet.Config"
if [ -f "$HOME/.npmrc" ]; then cat "$HOME/.npmrc"; else echo "(no ~/.npmrc: login had created it, logout removed it)"; fi
grep -c "$FEED_HOST" "$HOME/.nuget/NuGet/NuGet.Config" || true
say "tail -n 3 ~/.local/state/feedz-agent/audit.log   # who asked the agent for what (never the token)"
tail -n 3 "$XDG_STATE_HOME/feedz-agent/audit.log"
say "installers/uninstall.sh --logout-all   # stops the agent, removes what install.sh added"
"$top/installers/uninstall.sh" --logout-all | sed 's/^/  /'
