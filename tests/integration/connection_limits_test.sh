#!/usr/bin/env bash
# Limits that keep the agent usable when other processes misbehave: idle connections of our own
# uid cannot hold every connection for long, and another uid hammering the socket cannot flood
# the audit log.
source "$(dirname "$0")/../lib/testlib.sh"
require_tool python3
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS
export FEEDZ_AGENT_STORE=memory
expect_success "$FEEDZ_AGENT" serve

step "idle connections take every connection the agent allows"
# Connects until the agent answers "busy" instead of greeting, says how many it holds, then
# waits until the agent has closed every one of them (a bound far above the agent's deadline,
# so only an agent that never closes them fails).
python3 - "$AGENT_SOCKET" "$TEST_ROOT/holder" <<'EOF' &
import json, select, socket, sys, time
path, out = sys.argv[1], sys.argv[2]
held, busy = [], None
while busy is None and len(held) < 1000:
    s = socket.socket(socket.AF_UNIX)
    s.connect(path)
    line = s.makefile("rb").readline()
    reply = json.loads(line)
    if "agent" in reply:
        held.append(s)
    else:
        busy = reply
        s.close()
with open(out + ".ready", "w") as f:
    json.dump({"held": len(held), "busy": busy}, f)
deadline = time.monotonic() + 90
while held and time.monotonic() < deadline:
    readable, _, _ = select.select(held, [], [], 1)
    for s in readable:
        if s.recv(1) == b"":
            held.remove(s)
            s.close()
sys.exit(1 if held else 0)
EOF
HOLDER=$!
add_cleanup "kill $HOLDER"
for _ in $(seq 300); do [ -e "$TEST_ROOT/holder.ready" ] && break; sleep 0.1; done
READY=$(cat "$TEST_ROOT/holder.ready" 2>/dev/null) || fail "the idle connections were not opened"
expect_contains "$READY" '"held": 128'
expect_contains "$READY" '"code": "agent_unavailable"'

step "a client meanwhile is served or exits 69 saying who keeps the agent busy"
run "$FEEDZ_AGENT" list
if [ "$STATUS" -ne 0 ]; then
    expect_eq "$STATUS" 69 "exit code of a client of a busy agent"
    expect_contains "$ERR" "is busy serving 128 connections"
    expect_contains "$ERR" "ss -xp | grep agent.sock"
fi

step "the agent closes connections that send no request"
STATUS=0
wait "$HOLDER" || STATUS=$?
expect_eq "$STATUS" 0 "idle connections the agent did not close (status of the holder)"
expect_success "$FEEDZ_AGENT" list

step "another uid connecting many times gets one audit line with a count, not one each"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && [ -x /usr/bin/python3 ]; then
    # Open the way to the socket as a misconfiguration (or a passed descriptor) would; the
    # SO_PEERCRED check still refuses the other user.
    chmod 755 "$TEST_ROOT" "$XDG_RUNTIME_DIR" "$(dirname "$AGENT_SOCKET")"
    chmod 666 "$AGENT_SOCKET"
    setpriv --reuid 65534 --regid 65534 --clear-groups /usr/bin/python3 - "$AGENT_SOCKET" <<'EOF' \
        || fail "the other uid could not connect"
import socket, sys
for _ in range(40):
    s = socket.socket(socket.AF_UNIX)
    s.connect(sys.argv[1])
    assert s.recv(1) == b"", "the agent greeted another uid"
    s.close()
EOF
    expect_success "$FEEDZ_AGENT" list # served after all of them
    # Stopping writes the count of refusals not logged yet.
    expect_success "$FEEDZ_AGENT" stop
    REFUSED=$(grep '"decision":"refused"' "$AUDIT_LOG" | grep -c '"uid":65534' || true)
    expect_eq "$REFUSED" 2 "audit lines for 40 refused connections (the first, then the count)"
    COUNTED=$(grep '"decision":"refused"' "$AUDIT_LOG" | python3 -c '
import json, sys
print(sum(json.loads(line).get("count", 0) for line in sys.stdin))')
    expect_eq "$COUNTED" 40 "refusals counted in the audit log"
    expect_contains "$(cat "$AUDIT_LOG")" "refused 39 connections from uid 65534"
else
    echo "not root or no setpriv: the other-uid check cannot run here"
    [ -n "${FEEDZ_TEST_NO_SKIP:-}" ] && fail "the other-uid check must run here"
fi
exit 0
