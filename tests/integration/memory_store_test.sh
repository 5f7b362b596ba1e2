#!/usr/bin/env bash
# FEEDZ_AGENT_STORE=memory with no D-Bus at all (an SSH box or a container): login, list and
# get work through the agent, and no token is written anywhere.
source "$(dirname "$0")/../lib/testlib.sh"
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS
export FEEDZ_AGENT_STORE=memory
TOKEN=$(new_token)

step "login, list and get through the agent"
login_with "$TOKEN" --feed acme/pkgs --access read-write --expires 2099-12-31
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
expect_contains "$OUT" "in the memory store"
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "${TOKEN:0:7}…"
expect_contains "$OUT" "2099-12-31"
expect_success "$FEEDZ_PROBE" get https://f.feedz.io/acme/pkgs/npm/@scope%2fpkg write
expect_eq "$(jq -r .sha256 <<<"$OUT")" "$(sha256_of "$TOKEN")" "served token"

step "FEEDZ_PAT in the environment of a client does not reach the agent's store"
FEEDZ_PAT=$(new_token) expect_success "$FEEDZ_AGENT" list
expect_eq "$(grep -c acme/pkgs <<<"$OUT")" "1" "tokens listed"

step "an idle agent keeps tokens held only in memory"
expect_success "$FEEDZ_AGENT" stop
FEEDZ_AGENT_IDLE_TIMEOUT=1 login_with "$TOKEN" --feed acme/pkgs
sleep 3
agent_running || fail "the agent exited while its memory store held a token"

step "without tokens an on-demand agent exits when idle"
expect_success "$FEEDZ_AGENT" logout acme/pkgs
for _ in $(seq 50); do
    agent_running || break
    sleep 0.1
done
agent_running && fail "the idle agent did not exit"
expect_contains "$(tail -n1 "$AUDIT_LOG")" '"reason":"idle for 1 s"'

step "stopping the agent forgets the tokens"
login_with "$TOKEN" --feed acme/pkgs
expect_success "$FEEDZ_AGENT" stop
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "No tokens stored"

step "nothing but the audit log and the lock files was written, and no token"
expect_success "$FEEDZ_AGENT" stop
FILES=$(cd "$HOME" && find . -type f | sort | tr '\n' ' ')
expect_eq "$FILES" "./.local/state/feedz-agent/audit.log ./run/feedz-agent/agent.sock.lock ./run/feedz-agent/agent.sock.start.lock " "files under HOME"
expect_secret_nowhere "$TOKEN" "$HOME"
echo "PASS"
