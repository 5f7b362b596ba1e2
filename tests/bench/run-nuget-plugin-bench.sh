#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# run-nuget-plugin-bench.sh NUGET_PLUGIN_BENCH: the plugin's start-up figures (see
# nuget_plugin_bench.cpp) in a throwaway HOME, with the token
#   1. from a warm agent (memory store, already running: the developer's case), and
#   2. from FEEDZ_CREDENTIALS (CI: no agent).
# Needs FEEDZ_AGENT, FEEDZ_PROBE and NUGET_PLUGIN (ctest sets them). Prints figures only.
source "$(dirname "$0")/../lib/testlib.sh"
: "${NUGET_PLUGIN:?set NUGET_PLUGIN to the nuget-plugin-feedz binary}"
bench=${1:?usage: run-nuget-plugin-bench.sh NUGET_PLUGIN_BENCH}
iterations=${NUGET_PLUGIN_BENCH_ITERATIONS:-200}
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS FEEDZ_AGENT_LOG
export FEEDZ_AGENT_STORE=memory
root=https://f.feedz.io/acme/bench/
source_url=${root}nuget/index.json
token=$(new_token)

login_with "$token" --feed "$root" --access read
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
agent_running || fail "no agent after login"
echo "== token from the agent (warm, memory store)"
"$bench" "$NUGET_PLUGIN" "$source_url" "$iterations" || fail "the benchmark failed"
expect_success "$FEEDZ_AGENT" stop

echo "== token from FEEDZ_CREDENTIALS (CI, no agent)"
FEEDZ_CREDENTIALS="[{\"feed\":\"$root\",\"token\":\"$token\"}]" \
    "$bench" "$NUGET_PLUGIN" "$source_url" "$iterations" || fail "the benchmark failed"
agent_running && fail "an agent was started in CI mode"
exit 0
