#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# stop-test-feed.sh DIR
#
# Stops the test feed that start-test-feed.sh DIR started: SIGTERM, then SIGKILL after 10 s.
# Returns once the process is gone. Does nothing if it is not running. Keeps DIR (certificates,
# data, logs) so that a later start-test-feed.sh DIR continues with the same data.
set -euo pipefail

[[ $# -eq 1 ]] || {
    echo "usage: stop-test-feed.sh DIR" >&2
    exit 2
}
dir=$1
[[ -f $dir/feed.pid ]] || exit 0
dir=$(cd "$dir" && pwd)
pid=$(cat "$dir/feed.pid")
[[ $pid =~ ^[0-9]+$ ]] || exit 0

# Only our server: the pid may have been reused since.
is_our_feed() {
    local cmdline
    cmdline=$(tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline") || return 1
    [[ $cmdline == *"feedz-test-feed serve --data $dir/data "* ]] || return 1
    local state
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo X)
    [[ $state != Z && $state != X ]]
}

if is_our_feed; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
        is_our_feed || break
        sleep 0.1
    done
    if is_our_feed; then
        echo "stop-test-feed.sh: feed $pid ignored SIGTERM; killing it" >&2
        kill -KILL "$pid" 2>/dev/null || true
        sleep 0.2
    fi
fi
# An exited server is a zombie until init reaps it; give init a moment so that no trace is left.
for _ in $(seq 1 50); do
    [[ -d /proc/$pid ]] || break
    sleep 0.1
done
rm -f "$dir/feed.pid" "$dir/port"
