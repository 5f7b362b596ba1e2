#!/usr/bin/env bash
# The keychain daemon restarted under a running agent (an update, a crash, a re-login): the
# agent finds the new daemon by itself, without a restart of its own.
source "$(dirname "$0")/../lib/testlib.sh"
require_tool secret-tool "apt-get install libsecret-tools"
require_tool gdbus "apt-get install libglib2.0-bin"
run_inside_test_keyring "$@"
use_throwaway_home

TOKEN=$(new_token)
FEED_URL=https://f.feedz.io/acme/pkgs/

# The pid of the process that owns org.freedesktop.secrets, as the bus knows it.
keyring_pid() {
    gdbus call --session --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets \
        | sed -n 's/.*uint32 \([0-9]*\).*/\1/p'
}

step "a running agent that has used the keychain"
login_with "$TOKEN" --feed acme/pkgs --name laptop
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "laptop"
AGENT_PID=$(cat "$AGENT_SOCKET.lock")

step "gnome-keyring-daemon is stopped and started again"
OLD_KEYRING=$(keyring_pid)
[ -n "$OLD_KEYRING" ] || fail "no process owns org.freedesktop.secrets"
kill "$OLD_KEYRING"
for _ in $(seq 100); do
    kill -0 "$OLD_KEYRING" 2>/dev/null || break
    sleep 0.1
done
kill -0 "$OLD_KEYRING" 2>/dev/null && fail "gnome-keyring-daemon did not stop"
printf '%s' "${KEYRING_PASSWORD:-feedz-test-keyring}" \
    | gnome-keyring-daemon --unlock --components=secrets >/dev/null
gdbus wait --session --timeout 10 org.freedesktop.secrets \
    || fail "the new gnome-keyring-daemon did not take org.freedesktop.secrets"
NEW_KEYRING=$(keyring_pid)
add_cleanup "kill $NEW_KEYRING"
[ "$NEW_KEYRING" != "$OLD_KEYRING" ] || fail "the keyring daemon was not replaced"
expect_eq "$(secret-tool lookup name laptop)" "$TOKEN" "secret-tool lookup in the new daemon"

step "the same agent lists and serves the token from the new daemon"
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "laptop"
expect_success "$FEEDZ_PROBE" get "${FEED_URL}nuget/index.json" read
expect_eq "$(jq -r .sha256 <<<"$OUT")" "$(sha256_of "$TOKEN")" "served token"
expect_eq "$(cat "$AGENT_SOCKET.lock")" "$AGENT_PID" "agent pid (the agent was not restarted)"

step "and stores into it"
SECOND=$(new_token)
login_with "$SECOND" --feed acme/other --name second
[ "$STATUS" -eq 0 ] || fail "login after the restart failed: $ERR"
expect_eq "$(secret-tool lookup name second)" "$SECOND" "secret-tool lookup of the new token"
expect_success "$FEEDZ_AGENT" stop
expect_secret_nowhere "$TOKEN" "$HOME"
echo "PASS"
