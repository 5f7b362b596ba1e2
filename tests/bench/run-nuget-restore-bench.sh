#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-nuget-restore-bench.sh: what the plugin costs a real `dotnet restore`. The same restore
# (a net10.0 project with one package from the local test feed, empty package folder, no HTTP
# cache) runs alternately
#   A. with the token as ClearTextPassword in NuGet.Config (no plugin: NUGET_PLUGIN_PATHS names
#      an empty directory), and
#   B. with no credentials in NuGet.Config and nuget-plugin-feedz on PATH, a warm agent holding
#      the token,
# and the medians and their ratio are printed (issue target: B/A <= 1.05). Prints figures only.
# Needs FEEDZ_AGENT, FEEDZ_PROBE, NUGET_PLUGIN, FEEDZ_TEST_FEED (ctest sets them).
source "$(dirname "$0")/../e2e/nuget/lib.sh"
require_dotnet
iterations=${NUGET_RESTORE_BENCH_ITERATIONS:-7}
use_throwaway_home
e2e_setup
unset DBUS_SESSION_BUS_ADDRESS FEEDZ_AGENT_LOG
export FEEDZ_AGENT_STORE=memory
start_test_feed
feed_admin repo create acme/private
feed_nuget_package acme/private Feedz.Bench 1.0.0
feed_token TOKEN bench read
root=${FEED_URL}acme/private/
login_with "$TOKEN" --feed "$root" --access read
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
make_project "$HOME/app" Feedz.Bench 1.0.0
mkdir -p "$HOME/no-plugins"

write_config() { # with-password|plugin
    write_nuget_config "${root}nuget/index.json"
    if [ "$1" = with-password ]; then
        sed -i "s|</configuration>|  <packageSourceCredentials><feed1><add key=\"Username\" value=\"feedz\" /><add key=\"ClearTextPassword\" value=\"$TOKEN\" /></feed1></packageSourceCredentials>\n</configuration>|" \
            "$HOME/.nuget/NuGet/NuGet.Config"
    fi
}

# timed_restore MODE: seconds for one restore into an empty package folder.
timed_restore() {
    local mode=$1 start extra=()
    write_config "$([ "$mode" = password ] && echo with-password || echo plugin)"
    [ "$mode" = password ] && extra=(NUGET_PLUGIN_PATHS="$HOME/no-plugins")
    rm -rf "$HOME/packages" "$HOME/app/obj"
    dotnet_env
    start=$(date +%s.%N)
    (cd "$HOME/app" && exec "${DOTNET_CMD[@]}" "${extra[@]}" dotnet restore --no-http-cache) \
        >"$TEST_ROOT/restore.out" 2>&1 || fail "restore ($mode) failed: $(cat "$TEST_ROOT/restore.out")"
    awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

timed_restore password >/dev/null # warm-up: the SDK's first run, the disk cache
timed_restore plugin >/dev/null
: >"$TEST_ROOT/a" && : >"$TEST_ROOT/b"
for _ in $(seq "$iterations"); do
    timed_restore password >>"$TEST_ROOT/a"
    timed_restore plugin >>"$TEST_ROOT/b"
done
a=$(median <"$TEST_ROOT/a")
b=$(median <"$TEST_ROOT/b")
echo "dotnet restore, $iterations runs each, empty package folder, no HTTP cache:"
echo "  A. ClearTextPassword in NuGet.Config: median ${a} s   (runs: $(tr '\n' ' ' <"$TEST_ROOT/a"))"
echo "  B. nuget-plugin-feedz + agent:        median ${b} s   (runs: $(tr '\n' ' ' <"$TEST_ROOT/b"))"
awk -v a="$a" -v b="$b" 'BEGIN { printf "  ratio B/A: %.3f (target <= 1.05)\n", b / a }'
# The plugin's NuGet.Config held the token in mode A by design; it is removed before leaving.
rm -f "$HOME/.nuget/NuGet/NuGet.Config"
exit 0
