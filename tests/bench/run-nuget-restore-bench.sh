#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-nuget-restore-bench.sh: what our credentials cost a real `dotnet restore`. The same
# restore (a net10.0 project with one package from the local test feed, empty package folder,
# no HTTP cache) runs in turn
#   A. with the token as ClearTextPassword in NuGet.Config (no plugin: NUGET_PLUGIN_PATHS names
#      an empty directory),
#   B. with no credentials in NuGet.Config and nuget-plugin-feedz on PATH, a warm agent holding
#      the token,
#   C. as B, run through `feedz-agent exec --nuget-env --` (the token in
#      NuGetPackageSourceCredentials_<key>),
# and the medians and their ratios to A are printed (issue target: B/A <= 1.05). For each mode
# it also prints, from the feed's request log, the time from NuGet's first request (answered
# 401) to its first authenticated one: the part of the restore that getting credentials takes.
# Prints figures only.
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

# timed_restore MODE: seconds for one restore into an empty package folder; appends the
# credential latency (ms) to $TEST_ROOT/MODE.auth.
timed_restore() {
    local mode=$1 start mark extra=() command=(dotnet)
    write_config "$([ "$mode" = password ] && echo with-password || echo plugin)"
    [ "$mode" = password ] && extra=(NUGET_PLUGIN_PATHS="$HOME/no-plugins")
    [ "$mode" = exec ] && command=("$FEEDZ_AGENT" exec --nuget-env -- dotnet)
    rm -rf "$HOME/packages" "$HOME/app/obj"
    dotnet_env
    mark=$(log_mark)
    start=$(date +%s.%N)
    (cd "$HOME/app" && exec "${DOTNET_CMD[@]}" "${extra[@]}" "${command[@]}" restore --no-http-cache) \
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

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

modes=(password plugin exec)
for mode in "${modes[@]}"; do # warm-up: the SDK's first run, the disk cache
    timed_restore "$mode" >/dev/null
    : >"$TEST_ROOT/$mode.times" && : >"$TEST_ROOT/$mode.auth"
done
for _ in $(seq "$iterations"); do
    for mode in "${modes[@]}"; do
        timed_restore "$mode" >>"$TEST_ROOT/$mode.times"
    done
done
a=$(median <"$TEST_ROOT/password.times")
echo "dotnet restore, $iterations runs each, empty package folder, no HTTP cache:"
report() { # MODE LABEL
    local m auth
    m=$(median <"$TEST_ROOT/$1.times")
    auth=$(median <"$TEST_ROOT/$1.auth")
    printf '  %-46s median %s s, ratio to A %s; first 401 -> authenticated: median %s ms\n' \
        "$2" "$m" "$(awk -v a="$a" -v m="$m" 'BEGIN { printf "%.3f", m / a }')" "$auth"
    echo "      runs: $(tr '\n' ' ' <"$TEST_ROOT/$1.times")"
}
report password "A. ClearTextPassword in NuGet.Config:"
report plugin "B. nuget-plugin-feedz + agent (target <= 1.05):"
report exec "C. feedz-agent exec --nuget-env -- dotnet restore:"
# The plugin's NuGet.Config held the token in mode A by design; it is removed before leaving.
rm -f "$HOME/.nuget/NuGet/NuGet.Config"
exit 0
