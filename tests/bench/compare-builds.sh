#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# compare-builds.sh OLD_BUILD NEW_BUILD [ROUNDS]: runs the agent and NuGet plugin benchmarks
# (bench.agent, bench.nuget_plugin) of two build trees in turn, ROUNDS times (default 15; the
# order alternates each round), and prints each figure's median, min and max per build and
# the NEW/OLD ratio taken pair by pair. For "did this change make it slower?": both trees are
# measured in the same run, under the same load. Asserts nothing.
set -euo pipefail
old=$(cd "${1:?usage: compare-builds.sh OLD_BUILD NEW_BUILD [ROUNDS]}" && pwd)
new=$(cd "${2:?usage: compare-builds.sh OLD_BUILD NEW_BUILD [ROUNDS]}" && pwd)
rounds=${3:-15}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# figures BUILD ROUND: one line per figure, "name value", into $work/BUILD-name.
figures() {
    local build=$1 tag=$2 out
    out=$(ctest --test-dir "$build" -R '^bench\.(agent|nuget_plugin)$' -V 2>&1) \
        || { echo "compare-builds.sh: the benchmarks of $build failed:" >&2; echo "$out" | tail -20 >&2; exit 1; }
    echo "$out" | sed -n 's/.*get round trip.*median \([0-9.]*\) us, p99 \([0-9.]*\) us.*/agent-get-median-us \1\nagent-get-p99-us \2/p'
    echo "$out" | sed -n 's/.*8 concurrent clients: \([0-9]*\) gets.*/agent-gets-per-s \1/p'
    echo "$out" | awk '/token from the agent/ {s="agent"} /token from FEEDZ_CREDENTIALS/ {s="ci"}
        /spawn to the credentials answer/ {
            for (i = 1; i < NF; i++) if ($i == "median") {print "plugin-" s "-answer-ms", $(i + 1)}
        }'
    : "$tag"
}

for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then order="old new"; else order="new old"; fi
    for which in $order; do
        build=$old
        [ "$which" = new ] && build=$new
        figures "$build" "$round" | while read -r name value; do
            echo "$value" >>"$work/$which-$name"
        done
    done
    echo "round $round of $rounds done" >&2
done

python3 - "$work" <<'PY'
import os, statistics, sys
work = sys.argv[1]
names = sorted({f.split('-', 1)[1] for f in os.listdir(work)})
def values(which, name):
    with open(os.path.join(work, f"{which}-{name}")) as f:
        return [float(line) for line in f if line.strip()]
print(f"{'figure':28} {'old median (min-max)':>26} {'new median (min-max)':>26} {'new/old median (min-max)':>28}")
for name in names:
    o, n = values("old", name), values("new", name)
    r = [b / a for a, b in zip(o, n) if a]
    fmt = lambda v: f"{statistics.median(v):.3g} ({min(v):.3g}-{max(v):.3g})"
    print(f"{name:28} {fmt(o):>26} {fmt(n):>26} {fmt(r):>28}   n={len(r)}")
PY
