#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-nuget-restore-bench.sh: what our credentials cost a real `dotnet restore`, against two
# reference plugins. The same restore (a net10.0 project with one package from the local test
# feed, empty package folder, no HTTP cache) runs, the modes interleaved,
#   A.    with the token as ClearTextPassword in NuGet.Config (no plugin: NUGET_PLUGIN_PATHS
#         names an empty directory),
#   path  nuget-plugin-feedz found on PATH (a warm agent holding the token),
#   env   nuget-plugin-feedz named in NUGET_PLUGIN_PATHS,
#   null  the null native plugin (null_nuget_plugin.cpp: fixed answers, NuGet's floor) named in
#         NUGET_PLUGIN_PATHS,
#   .NET  a minimal .NET plugin (dotnet-plugin/, built here, offline) named in NUGET_PLUGIN_PATHS,
#   exec  `feedz-agent exec --nuget-env -- dotnet restore` (no plugin).
# Every mode runs with the same PATH of 18 entries, as a developer's shell has (NuGet walks it
# for nuget-plugin-* only when NUGET_PLUGIN_PATHS is unset). For each mode it prints the
# restore's median, min and max and its ratio to A, and, from the feed's request log, the time
# from NuGet's first request (answered 401) to its first authenticated one: the part of the
# restore that getting credentials takes. Prints figures only; the load average is printed
# before and after (other work on the machine skews everything).
#
# NUGET_RESTORE_BENCH_ITERATIONS: runs per mode (default 15; ctest sets fewer, as a smoke run).
# Needs FEEDZ_AGENT, FEEDZ_PROBE, NUGET_PLUGIN, NULL_NUGET_PLUGIN, FEEDZ_TEST_FEED (ctest sets
# them) and the .NET 10 SDK.
source "$(dirname "$0")/../e2e/nuget/lib.sh"
: "${NULL_NUGET_PLUGIN:?set NULL_NUGET_PLUGIN to the feedz-null-nuget-plugin binary}"
require_dotnet
iterations=${NUGET_RESTORE_BENCH_ITERATIONS:-15}
bench_dir=$(cd "$(dirname "$0")" && pwd)
use_throwaway_home
e2e_setup
unset DBUS_SESSION_BUS_ADDRESS FEEDZ_AGENT_LOG
export FEEDZ_AGENT_STORE=memory
echo "load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"

# The reference plugins, under nuget-plugin-* names (NuGet runs such files directly) in
# directories of their own.
plugins=$TEST_ROOT/plugins
mkdir -p "$plugins/null" "$plugins/ours" "$plugins/dotnet-src" "$HOME/no-plugins"
cp "$NULL_NUGET_PLUGIN" "$plugins/null/nuget-plugin-null"
ln -s "$NUGET_PLUGIN" "$plugins/ours/nuget-plugin-feedz"
cp "$bench_dir/dotnet-plugin/"*.cs "$bench_dir/dotnet-plugin/"*.csproj "$plugins/dotnet-src/"
printf '<?xml version="1.0" encoding="utf-8"?>\n<configuration><packageSources><clear /></packageSources></configuration>\n' \
    >"$plugins/dotnet-src/NuGet.Config"
dotnet_env
(cd "$plugins/dotnet-src" && exec "${DOTNET_CMD[@]}" NUGET_PACKAGES="$TEST_ROOT/dotnet-plugin-packages" \
    dotnet publish -c Release -o out --tl:off) >"$TEST_ROOT/dotnet-plugin.out" 2>&1 ||
    fail "the .NET reference plugin did not build: $(cat "$TEST_ROOT/dotnet-plugin.out")"

start_test_feed
feed_admin repo create acme/private
feed_nuget_package acme/private Feedz.Bench 1.0.0
feed_token TOKEN bench read
root=${FEED_URL}acme/private/
login_with "$TOKEN" --feed "$root" --access read
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
make_project "$HOME/app" Feedz.Bench 1.0.0

# A developer's PATH: 18 entries, the plugin's directory ($BIN_DIR, from e2e_setup) among them.
mkdir -p "$HOME/.local/bin" "$HOME/.dotnet/tools" "$HOME/go/bin" "$HOME/.cargo/bin" "$HOME/bin"
bench_path=$HOME/.local/bin:$HOME/bin:$HOME/.cargo/bin:$HOME/go/bin:$HOME/.dotnet/tools
bench_path=$bench_path:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/usr/games
bench_path=$bench_path:/usr/local/games:/snap/bin:/usr/share/dotnet:/usr/lib/jvm/default/bin:/opt/bin
bench_path=$bench_path:$BIN_DIR

write_config() { # with-password|plugin
    write_nuget_config "${root}nuget/index.json"
    if [ "$1" = with-password ]; then
        sed -i "s|</configuration>|  <packageSourceCredentials><feed1><add key=\"Username\" value=\"feedz\" /><add key=\"ClearTextPassword\" value=\"$TOKEN\" /></feed1></packageSourceCredentials>\n</configuration>|" \
            "$HOME/.nuget/NuGet/NuGet.Config"
    fi
}

# timed_restore MODE: seconds for one restore into an empty package folder; appends the
# credential latency (ms) to $TEST_ROOT/MODE.auth.
timed_restore() {
    local mode=$1 start mark extra=() command=(dotnet)
    write_config "$([ "$mode" = password ] && echo with-password || echo plugin)"
    case $mode in
    password) extra=(NUGET_PLUGIN_PATHS="$HOME/no-plugins") ;;
    env) extra=(NUGET_PLUGIN_PATHS="$plugins/ours/nuget-plugin-feedz") ;;
    null) extra=(NUGET_PLUGIN_PATHS="$plugins/null/nuget-plugin-null") ;;
    dotnet) extra=(NUGET_PLUGIN_PATHS="$plugins/dotnet-src/out/nuget-plugin-bench-dotnet") ;;
    exec) command=("$FEEDZ_AGENT" exec --nuget-env -- dotnet) ;;
    esac
    rm -rf "$HOME/packages" "$HOME/app/obj"
    dotnet_env
    mark=$(log_mark)
    start=$(date +%s.%N)
    (cd "$HOME/app" && exec "${DOTNET_CMD[@]}" PATH="$bench_path" BENCH_PLUGIN_TOKEN="$TOKEN" \
        "${extra[@]}" "${command[@]}" restore --no-http-cache) \
        >"$TEST_ROOT/restore.out" 2>&1 || fail "restore ($mode) failed: $(cat "$TEST_ROOT/restore.out")"
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", b - a }'
    log_since "$mark" | credential_latency >>"$TEST_ROOT/$mode.auth"
}

# credential_latency: reads request-log lines; prints the milliseconds from the first request
# to the first one that was not answered 401.
credential_latency() {
    sed -E -n 's/^\{"time":"[0-9-]+T([0-9]+):([0-9]+):([0-9.]+)Z".*"status":([0-9]+)\}$/\1 \2 \3 \4/p' |
        awk '{ t = ($1 * 3600 + $2 * 60 + $3) * 1000 }
             NR == 1 { first = t }
             $4 != 401 { printf "%.0f\n", t - first; exit }'
}

# stats FILE: "median min max" of the numbers in FILE.
stats() { sort -n "$1" | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)], v[1], v[NR] }'; }

modes=(password path env null dotnet exec)
for mode in "${modes[@]}"; do # warm-up: the SDK's first run, the disk cache
    timed_restore "$mode" >/dev/null
    : >"$TEST_ROOT/$mode.times" && : >"$TEST_ROOT/$mode.auth"
done
for _ in $(seq "$iterations"); do
    for mode in "${modes[@]}"; do
        timed_restore "$mode" >>"$TEST_ROOT/$mode.times"
    done
done
read -r a _ <<<"$(stats "$TEST_ROOT/password.times")"
echo "load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dotnet restore, $iterations runs per mode interleaved, empty package folder, no HTTP cache:"
printf '  %-44s %-26s %-9s %s\n' mode "restore s: median (min-max)" "ratio" "401 -> authenticated ms: median (min-max)"
report() { # MODE LABEL
    local m lo hi am alo ahi
    read -r m lo hi <<<"$(stats "$TEST_ROOT/$1.times")"
    read -r am alo ahi <<<"$(stats "$TEST_ROOT/$1.auth")"
    printf '  %-44s %-26s %-9s %s\n' "$2" "$m ($lo-$hi)" \
        "$(awk -v a="$a" -v m="$m" 'BEGIN { printf "%.3f", m / a }')" "$am ($alo-$ahi)"
}
report password "A. ClearTextPassword in NuGet.Config"
report path "nuget-plugin-feedz found on PATH"
report env "nuget-plugin-feedz in NUGET_PLUGIN_PATHS"
report null "null native plugin in NUGET_PLUGIN_PATHS"
report dotnet ".NET reference plugin in NUGET_PLUGIN_PATHS"
report exec "feedz-agent exec --nuget-env"
# The plugin's NuGet.Config held the token in mode A by design; it is removed before leaving.
rm -f "$HOME/.nuget/NuGet/NuGet.Config"
exit 0
