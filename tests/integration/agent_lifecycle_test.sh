#!/usr/bin/env bash
# One agent per user, started on demand by concurrent clients without a race, socket-activated
# by systemd, stopped by signals, replaced after a crash, and refusing unsafe directories.
source "$(dirname "$0")/../lib/testlib.sh"
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS
export FEEDZ_AGENT_STORE=memory
SOCKET_DIR="$XDG_RUNTIME_DIR/feedz-agent"

starts() { grep -c '"op":"start"' "$AUDIT_LOG" 2>/dev/null || echo 0; }

step "concurrent clients start exactly one agent"
for i in $(seq 8); do
    "$FEEDZ_AGENT" list >"$TEST_ROOT/list.$i" 2>&1 &
done
wait
for i in $(seq 8); do
    expect_contains "$(cat "$TEST_ROOT/list.$i")" "No tokens stored" "client $i"
done
expect_eq "$(starts)" 1 "agents started"
expect_eq "$(stat -c %a "$SOCKET_DIR")" 700 "socket directory mode"
expect_eq "$(stat -c %a "$SOCKET_DIR/agent.sock")" 600 "socket mode"

step "an agent started on demand keeps none of its starter's descriptors"
expect_success "$FEEDZ_AGENT" stop
# Were fd 3 (the command substitution's pipe) inherited, this would wait for the agent to exit.
timeout 20 bash -c 'x=$( { "$FEEDZ_AGENT" list >/dev/null 2>&1; } 3>&1 )' \
    || fail "a command substitution around feedz-agent list waited for the agent (status $?)"
agent_running || fail "no agent was started"
AGENT_FDS=$(ls -l "/proc/$(cat "$AGENT_SOCKET.lock")/fd" | grep -c -E 'pipe:' || true)
expect_eq "$AGENT_FDS" 0 "pipes the agent holds"

step "a second serve says one is running and exits non-zero"
PID=$(cat "$AGENT_SOCKET.lock")
expect_exit 1 "$FEEDZ_AGENT" serve
expect_contains "$ERR" "already running for this user (pid $PID)"
expect_exit 1 "$FEEDZ_AGENT" serve --foreground
expect_contains "$ERR" "already running"

step "SIGTERM: a clean exit that removes the socket"
kill -TERM "$PID"
for _ in $(seq 50); do agent_running || break; sleep 0.1; done
agent_running && fail "the agent ignored SIGTERM"
[ -e "$AGENT_SOCKET" ] && fail "SIGTERM left the socket behind"
expect_contains "$(tail -n1 "$AUDIT_LOG")" '"reason":"signal Terminated"'

step "a killed agent leaves a stale socket that the next start replaces"
expect_success "$FEEDZ_AGENT" serve
PID=$(cat "$AGENT_SOCKET.lock")
kill -KILL "$PID"
for _ in $(seq 50); do agent_running || break; sleep 0.1; done
[ -S "$AGENT_SOCKET" ] || fail "expected the killed agent's socket to remain"
TOKEN=$(new_token)
login_with "$TOKEN" --feed acme/pkgs
[ "$STATUS" -eq 0 ] || fail "login after a crash failed: $ERR"
[ "$(cat "$AGENT_SOCKET.lock")" != "$PID" ] || fail "the dead agent's pid is still recorded"

step "serve --foreground stops on SIGINT"
expect_success "$FEEDZ_AGENT" stop
"$FEEDZ_AGENT" serve --foreground 2>"$TEST_ROOT/foreground.log" &
FOREGROUND=$!
for _ in $(seq 50); do [ -S "$AGENT_SOCKET" ] && break; sleep 0.1; done
expect_success "$FEEDZ_AGENT" list
kill -INT "$FOREGROUND"
wait "$FOREGROUND" || fail "serve --foreground exited with $? after SIGINT"
[ -e "$AGENT_SOCKET" ] && fail "SIGINT left the socket behind"
expect_contains "$(cat "$TEST_ROOT/foreground.log")" "stopped (signal Interrupt)"

step "systemd socket activation (LISTEN_FDS)"
if command -v systemd-socket-activate >/dev/null; then
    ACTIVATED_SOCKET="$TEST_ROOT/activated/agent.sock"
    mkdir -m 700 "$TEST_ROOT/activated"
    FEEDZ_AGENT_SOCKET="$ACTIVATED_SOCKET" systemd-socket-activate -l "$ACTIVATED_SOCKET" \
        -E FEEDZ_AGENT_SOCKET -E FEEDZ_AGENT_STORE -E HOME -E XDG_STATE_HOME -E XDG_RUNTIME_DIR \
        "$FEEDZ_AGENT" serve --foreground 2>"$TEST_ROOT/activated.log" &
    ACTIVATOR=$!
    for _ in $(seq 50); do [ -S "$ACTIVATED_SOCKET" ] && break; sleep 0.1; done
    FEEDZ_AGENT_SOCKET="$ACTIVATED_SOCKET" expect_success "$FEEDZ_AGENT" list
    expect_contains "$(grep '"op":"start"' "$AUDIT_LOG" | tail -n1)" '"socket_activated":true'
    FEEDZ_AGENT_SOCKET="$ACTIVATED_SOCKET" expect_success "$FEEDZ_AGENT" stop
    wait "$ACTIVATOR" || true
else
    echo "systemd-socket-activate not installed: socket activation not exercised"
    [ -n "${FEEDZ_TEST_NO_SKIP:-}" ] && fail "systemd-socket-activate is required here"
fi

step "an unsafe socket directory is refused with the fix"
chmod 755 "$SOCKET_DIR"
expect_exit 77 "$FEEDZ_AGENT" serve --foreground
expect_contains "$ERR" "has mode 0755"
expect_contains "$ERR" "chmod 700 $SOCKET_DIR"
chmod 700 "$SOCKET_DIR"
mv "$SOCKET_DIR" "$TEST_ROOT/elsewhere"
ln -s "$TEST_ROOT/elsewhere" "$SOCKET_DIR"
expect_exit 77 "$FEEDZ_AGENT" serve --foreground
expect_contains "$ERR" "is not a directory (a symlink?)"
rm "$SOCKET_DIR"

step "a socket another user listens on gets no token"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null && [ -x /usr/bin/python3 ]; then
    FOREIGN_DIR="$TEST_ROOT/foreign"
    chmod 711 "$TEST_ROOT"
    mkdir -m 777 "$FOREIGN_DIR"
    setpriv --reuid 65534 --regid 65534 --clear-groups /usr/bin/python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
s.bind(sys.argv[1] + "/agent.sock")
s.listen(4)
open(sys.argv[1] + "/ready", "w").close()
while True:
    c, _ = s.accept()
    c.sendall(b"{\"agent\":\"feedz-agent\",\"protocol\":1,\"version\":\"0\",\"pid\":1,\"store\":\"memory\"}\n")
    time.sleep(1)
' "$FOREIGN_DIR" &
    FOREIGN=$!
    add_cleanup "kill $FOREIGN"
    for _ in $(seq 50); do [ -e "$FOREIGN_DIR/ready" ] && break; sleep 0.1; done
    FEEDZ_AGENT_SOCKET="$FOREIGN_DIR/agent.sock" login_with "$(new_token)" --feed acme/pkgs
    expect_eq "$STATUS" 77 "exit code with a foreign agent"
    expect_contains "$ERR" "runs as uid 65534, not as you"
    expect_contains "$ERR" "no token is sent to it"
else
    echo "not root, or no setpriv/python3: the foreign-socket check cannot run here"
    [ -n "${FEEDZ_TEST_NO_SKIP:-}" ] && fail "the foreign-socket check must run here"
fi

step "no agent is left running"
stop_agent_if_running
agent_running && fail "an agent is still running"
echo "PASS"
