#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What `feedz-agent exec` costs npm, measured in one run with the two variants interleaved
# (so that machine noise hits both alike) and reported as medians:
#   1. `feedz-agent exec -- npm --version` against `npm --version` (target ratio <= 1.05):
#      the whole fixed cost of exec (agent round trips, config files, memfd, spawn);
#   2. `npm install` of 10 packages from the local test feed with a warm cache, in exec mode
#      against userconfig mode (target ratio <= 1.02).
# A token is stored (memory store) for the feed, so exec builds its merged config each time.
# Prints the figures; asserts nothing about time (shared machines are noisy).
#
# Needs FEEDZ_AGENT, FEEDZ_PROBE, FEEDZ_TEST_FEED (ctest sets them); EXEC_BENCH_RUNS (default
# 31) and EXEC_BENCH_INSTALL_RUNS (default 11) set the number of runs of each variant.
source "$(dirname "$0")/../e2e/npm/lib.sh"
require_npm
use_throwaway_home
npm_setup
export FEEDZ_AGENT_STORE=memory
RUNS=${EXEC_BENCH_RUNS:-31}
INSTALL_RUNS=${EXEC_BENCH_INSTALL_RUNS:-11}

now_ns() { date +%s%N; }

# time_ms COMMAND...: milliseconds the command took (it must succeed).
time_ms() {
    local start end
    start=$(now_ns)
    "$@" >/dev/null 2>"$TEST_ROOT/last.err" || fail "'$*' failed: $(cat "$TEST_ROOT/last.err")"
    end=$(now_ns)
    echo $(((end - start) / 1000))
}

median() { # microseconds, one per line -> median in ms with 1 decimal
    sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m / 1000 }'
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", a / b }'; }

verdict() { awk -v r="$1" -v t="$2" 'BEGIN { print (r <= t ? "meets" : "MISSES") " the target " t }'; }

start_test_feed --revocation-delay 1
feed_admin repo create acme/pkgs
feed_token READ bench read
FEED=${FEED_URL}acme/pkgs/
dependencies=""
for i in $(seq 0 9); do
    feed_npm_package acme/pkgs "@acme/p$i" 1.0.0
    dependencies="$dependencies${dependencies:+,}\"@acme/p$i\":\"^1.0.0\""
done

# userconfig mode writes its line into one file; exec mode reads another with no credential.
export NPM_CONFIG_USERCONFIG=$TEST_ROOT/userconfig.npmrc
npm_login "$READ" --feed "$FEED" --access read --npm-scope @acme --name userconfig
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
export NPM_CONFIG_USERCONFIG=$TEST_ROOT/exec.npmrc
npm_login "$READ" --feed "$FEED" --access read --npm exec --npm-scope @acme --name exec
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
grep -q ':_auth=' "$TEST_ROOT/exec.npmrc" && fail "exec mode wrote a credential"

step "1. feedz-agent exec -- npm --version against npm --version ($RUNS runs each, interleaved)"
time_ms npm --version >/dev/null
time_ms feedz-agent exec -- npm --version >/dev/null # starts the agent
: >"$TEST_ROOT/plain.times"
: >"$TEST_ROOT/exec.times"
for _ in $(seq 1 "$RUNS"); do
    time_ms npm --version >>"$TEST_ROOT/plain.times"
    time_ms feedz-agent exec -- npm --version >>"$TEST_ROOT/exec.times"
done
plain=$(median <"$TEST_ROOT/plain.times")
exec=$(median <"$TEST_ROOT/exec.times")
r1=$(ratio "$exec" "$plain")
echo "npm --version:                      median $plain ms"
echo "feedz-agent exec -- npm --version:  median $exec ms"
echo "ratio $r1 ($(verdict "$r1" 1.05)); exec adds $(awk -v a="$exec" -v b="$plain" 'BEGIN { printf "%.1f", a - b }') ms"

step "2. npm install of 10 packages, warm cache: exec mode against userconfig mode ($INSTALL_RUNS runs each)"
mkdir -p "$HOME/app"
printf '{"name":"app","version":"1.0.0","private":true,"dependencies":{%s}}\n' "$dependencies" >"$HOME/app/package.json"
install_userconfig() {
    rm -rf "$HOME/app/node_modules" "$HOME/app/package-lock.json"
    (cd "$HOME/app" && NPM_CONFIG_USERCONFIG=$TEST_ROOT/userconfig.npmrc npm install)
}
install_exec() {
    rm -rf "$HOME/app/node_modules" "$HOME/app/package-lock.json"
    (cd "$HOME/app" && NPM_CONFIG_USERCONFIG=$TEST_ROOT/exec.npmrc feedz-agent exec -- npm install)
}
install_userconfig >/dev/null 2>&1 || fail "the first install failed"
install_exec >/dev/null 2>&1 || fail "the first install through exec failed"
[ -f "$HOME/app/node_modules/@acme/p9/package.json" ] || fail "the install did not install the packages"
: >"$TEST_ROOT/userconfig.times"
: >"$TEST_ROOT/exec-install.times"
for _ in $(seq 1 "$INSTALL_RUNS"); do
    time_ms install_userconfig >>"$TEST_ROOT/userconfig.times"
    time_ms install_exec >>"$TEST_ROOT/exec-install.times"
done
userconfig=$(median <"$TEST_ROOT/userconfig.times")
exec_install=$(median <"$TEST_ROOT/exec-install.times")
r2=$(ratio "$exec_install" "$userconfig")
echo "npm install, userconfig mode:       median $userconfig ms"
echo "npm install, exec mode:             median $exec_install ms"
echo "ratio $r2 ($(verdict "$r2" 1.02))"
grep -v '"path":"/",' "$FEED_LOG" | grep -q '"auth":"none"' && fail "a request reached the feed without credentials"
echo "PASS: $TEST_NAME"
