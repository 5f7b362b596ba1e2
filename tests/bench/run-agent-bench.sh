#!/bin/sh
# run-agent-bench.sh FEEDZ_AGENT FEEDZ_AGENT_BENCH: runs the agent benchmark inside a private
# D-Bus session with a real gnome-keyring, and prints its figures.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
exec "$here/../lib/with-test-keyring.sh" "$2" "$1"
