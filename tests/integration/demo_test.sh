#!/usr/bin/env bash
# installers/demo.sh, the README's first command, end to end as a user runs it (with the build
# directory of this build): it passes with every step (npm and dotnet included), shows what
# crossed the wire (username feedz and the token's prefix; never a whole token), and leaves
# nothing behind: no process that it started (agent, feed, D-Bus, gnome-keyring, dotnet, node)
# and no temporary file.
source "$(dirname "$0")/../lib/testlib.sh"
BUILD_DIR=${FEEDZ_BUILD_DIR:-$(cd "$(dirname "$FEEDZ_AGENT")/.." && pwd)}
DEMO=$(cd "$(dirname "$0")/../../installers" && pwd)/demo.sh
require_tool dotnet "the .NET 10 SDK"
require_tool npm "npm 11"
require_tool jq
use_throwaway_home
# The demo's temporary directory (and so its HOME, feed and keyring) goes under this one.
DEMO_TMP=$TEST_ROOT/tmp
mkdir -p "$DEMO_TMP"

# The processes whose environment or command line names the demo's directory: everything the
# demo started carries it (HOME, TMPDIR or a path argument).
processes_of_the_demo() {
    local dir pid
    for dir in /proc/[0-9]*; do
        pid=${dir#/proc/}
        [ "$pid" = "$$" ] || [ "$pid" = "$BASHPID" ] && continue
        if grep -qsF -- "$DEMO_TMP" "$dir/environ" "$dir/cmdline" 2>/dev/null; then
            echo "$pid $(tr '\0' ' ' <"$dir/cmdline" 2>/dev/null | cut -c1-120)"
        fi
    done
}

step "installers/demo.sh"
started=$(date +%s)
run env TMPDIR="$DEMO_TMP" BUILD_DIR="$BUILD_DIR" FEEDZ_DEMO_STRICT=1 "$DEMO"
seconds=$(($(date +%s) - started))
echo "$OUT" | sed 's/^/    | /'
[ "$STATUS" -eq 0 ] || fail "demo.sh failed (exit $STATUS) after $seconds s:
$ERR"
echo "the demo took $seconds s"

step "every step ran and showed what crossed the wire"
for expected in "feedz-agent login --pat-stdin" "The feed accepted the token." \
    "npm install @acme/greeting" 'require("@acme/greeting") = ' "dotnet restore" \
    "restored: ~/.nuget/packages/acme.greeting/1.0.0/" "feedz-agent doctor" \
    "feedz-agent logout --all" "feedz-agent is uninstalled." "== done in"; do
    expect_contains "$OUT" "$expected" "the demo's output"
done
prefix=$(echo "$OUT" | sed -n 's/^a new Read token: \(T-[A-Za-z0-9]\{5\}\)….*/\1/p')
[ -n "$prefix" ] || fail "the demo did not show the token's prefix"
expect_contains "$OUT" "GET /acme/packages/npm/@acme%2fgreeting  auth=basic user=feedz token=$prefix…  -> 200" \
    "the npm request on the wire"
expect_contains "$OUT" "GET /acme/packages/nuget/index.json  auth=none  -> 401" "NuGet's first request"
expect_contains "$OUT" "/acme.greeting.1.0.0.nupkg  auth=basic user=feedz token=$prefix…  -> 200" \
    "the NuGet download on the wire"
expect_not_contains "$OUT$ERR" "skipped" "the demo's output"
if echo "$OUT$ERR" | grep -Eq 'T-[A-Za-z0-9]{20,}'; then
    fail "the demo printed a whole token: $(echo "$OUT$ERR" | grep -E 'T-[A-Za-z0-9]{20,}')"
fi

step "nothing the demo started is running, and it left no file"
leftovers=""
for _ in $(seq 50); do
    leftovers=$(processes_of_the_demo)
    [ -z "$leftovers" ] && break
    sleep 0.1
done
[ -z "$leftovers" ] || fail "processes the demo started are still running:
$leftovers"
left=$(find "$DEMO_TMP" -mindepth 1 | head -n 20)
[ -z "$left" ] || fail "the demo left files behind:
$left"
echo "PASS: $TEST_NAME ($seconds s)"
