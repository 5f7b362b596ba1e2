# SPDX-License-Identifier: MIT
# shellcheck shell=bash
#
# lib.sh: shared by the NuGet plugin's end-to-end tests. Sources tests/lib/testlib.sh (throwaway
# HOME, run/expect helpers) and adds the local test feed and an isolated, real dotnet.
#
# Needs, from ctest: FEEDZ_AGENT, FEEDZ_PROBE, NUGET_PLUGIN (nuget-plugin-feedz) and
# FEEDZ_TEST_FEED (feedz-test-feed). Exit codes as testlib.sh: 0 pass, 1 fail, 77 skip.

source "$(dirname "${BASH_SOURCE[0]}")/../../lib/testlib.sh"
source "$TESTS_LIB/feedlib.sh"
: "${NUGET_PLUGIN:?set NUGET_PLUGIN to the nuget-plugin-feedz binary}"
: "${FEEDZ_TEST_FEED:?set FEEDZ_TEST_FEED to the feedz-test-feed binary}"

# e2e_setup: after use_throwaway_home (and run_inside_test_keyring, if any). Puts the plugin and
# feedz-agent in a directory on PATH, as an installation would (NuGet finds nuget-plugin-* on
# PATH only when NUGET_PLUGIN_PATHS and NUGET_NETCORE_PLUGIN_PATHS are unset), and sends the
# plugin's diagnostics to $PLUGIN_LOG.
e2e_setup() {
    BIN_DIR=$TEST_ROOT/bin
    mkdir -p "$BIN_DIR" "$TEST_ROOT/tmp"
    ln -sf "$NUGET_PLUGIN" "$BIN_DIR/nuget-plugin-feedz"
    ln -sf "$FEEDZ_AGENT" "$BIN_DIR/feedz-agent"
    export PATH="$BIN_DIR:$PATH"
    unset NUGET_PLUGIN_PATHS NUGET_NETCORE_PLUGIN_PATHS NUGET_NETFX_PLUGIN_PATHS
    export PLUGIN_LOG=$TEST_ROOT/plugin.log
    export FEEDZ_AGENT_LOG=$PLUGIN_LOG
    FEED_DIR=$TEST_ROOT/feed
    # The feed is stopped before testlib's finish removes the directory.
    trap 'e2e_status=$?; stop_test_feed; (exit "$e2e_status"); finish' EXIT
}


# write_nuget_config SOURCE-URL...: the user-level NuGet.Config (dotnet reads
# $HOME/.nuget/NuGet/NuGet.Config) with only these sources and no credentials; the plugin
# supplies them.
write_nuget_config() {
    local dir=$HOME/.nuget/NuGet i=0 url
    mkdir -p "$dir"
    {
        echo '<?xml version="1.0" encoding="utf-8"?>'
        echo '<configuration>'
        echo '  <packageSources>'
        echo '    <clear />'
        for url in "$@"; do
            i=$((i + 1))
            echo "    <add key=\"feed$i\" value=\"$url\" />"
        done
        echo '  </packageSources>'
        echo '</configuration>'
    } >"$dir/NuGet.Config"
}

# make_project DIR [ID VERSION]...: a net10.0 class library referencing the packages given.
make_project() {
    local dir=$1 references=""
    shift
    while [ $# -ge 2 ]; do
        references="$references    <PackageReference Include=\"$1\" Version=\"$2\" />
"
        shift 2
    done
    mkdir -p "$dir"
    cat >"$dir/Project.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
  </PropertyGroup>
  <ItemGroup>
$references  </ItemGroup>
</Project>
XML
}

# dotnet_env: the environment every dotnet call gets: caches under $HOME, the package folder
# $NUGET_PACKAGES_DIR (a fresh one means an empty package cache), no build servers left behind.
dotnet_env() {
    DOTNET_CMD=(env -u NUGET_PLUGIN_PATHS -u NUGET_NETCORE_PLUGIN_PATHS -u NUGET_NETFX_PLUGIN_PATHS
        DOTNET_CLI_HOME="$HOME" NUGET_PACKAGES="${NUGET_PACKAGES_DIR:-$HOME/packages}"
        NUGET_HTTP_CACHE_PATH="$HOME/.nuget-http-cache" NUGET_PLUGINS_CACHE_PATH="$HOME/.nuget-plugins-cache"
        TMPDIR="$TEST_ROOT/tmp" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
        DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1 DOTNET_GENERATE_ASPNET_CERTIFICATE=false
        DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE=1 DOTNET_ADD_GLOBAL_TOOLS_TO_PATH=0
        DOTNET_CLI_USE_MSBUILD_SERVER=0 MSBUILDDISABLENODEREUSE=1 UseSharedCompilation=false)
}

# run_dotnet DIR ARGS...: `dotnet ARGS` in DIR through run ($OUT, $ERR, $STATUS, ALL_OUTPUT).
run_dotnet() {
    local dir=$1
    shift
    dotnet_env
    run "${DOTNET_CMD[@]}" sh -c 'cd "$1" && shift && exec dotnet "$@"' sh "$dir" "$@"
}

# restore DIR [ARGS...]: dotnet restore with the terminal logger off and normal verbosity, so
# that the plugin's Log messages are in the output, and no HTTP cache.
restore() {
    local dir=$1
    shift
    run_dotnet "$dir" restore --tl:off -v n --no-http-cache "$@"
}

# No dotnet (or MSBuild node) process of this test is left: they are the ones with TMPDIR in
# the test root.
expect_no_dotnet_left() {
    local environ pid leftovers=""
    for environ in /proc/[0-9]*/environ; do
        pid=${environ#/proc/}
        pid=${pid%/environ}
        [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = dotnet ] || continue
        if tr '\0' '\n' <"$environ" 2>/dev/null | grep -qxF "TMPDIR=$TEST_ROOT/tmp"; then
            leftovers="$leftovers $pid"
        fi
    done
    [ -z "$leftovers" ] || fail "dotnet processes left behind:$leftovers"
}

require_dotnet() {
    require_tool dotnet "the .NET 10 SDK"
    require_tool openssl
    require_tool curl
}
