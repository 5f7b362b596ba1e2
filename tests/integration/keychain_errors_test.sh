#!/usr/bin/env bash
# Each way the keychain can be out of reach gets its own message and exit code, stores nothing,
# deletes nothing and never falls back to a file: a locked collection, a bus without a Secret
# Service, a Secret Service without a default collection, and no D-Bus at all.
source "$(dirname "$0")/../lib/testlib.sh"
require_tool secret-tool "apt-get install libsecret-tools"
require_tool dbus-daemon "apt-get install dbus"
require_tool gdbus "apt-get install libglib2.0-bin"

# Inside the test keyring (second run of this script): store one token, lock the collection,
# then try to store another.
if [ "${1:-}" = locked-inside ]; then
    use_throwaway_home
    login_with "$KEPT_TOKEN" --feed acme/pkgs --name kept
    [ "$STATUS" -eq 0 ] || fail "login before locking failed: $ERR"
    expect_success "$FEEDZ_PROBE" get https://f.feedz.io/acme/pkgs/npm/ read
    expect_eq "$(jq -r .sha256 <<<"$OUT")" "$(sha256_of "$KEPT_TOKEN")" "token before locking"
    gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
        --method org.freedesktop.Secret.Service.Lock \
        "['/org/freedesktop/secrets/collection/login']" >/dev/null
    # A tenth of a second after the lock (the agent asks the keychain at most that often),
    # before anything else made the agent read the keychain: the token it had cached is not
    # handed out.
    sleep 0.2
    expect_exit 1 "$FEEDZ_PROBE" get https://f.feedz.io/acme/pkgs/npm/ read
    expect_eq "$(jq -r .error.code <<<"$OUT")" "store_locked" "look-up right after locking"
    login_with "$REFUSED_TOKEN" --feed acme/pkgs --name refused
    expect_eq "$STATUS" 77 "exit code of login into a locked keychain"
    expect_contains "$ERR" "is locked"
    expect_contains "$ERR" "gnome-keyring-daemon --unlock"
    expect_exit 77 "$FEEDZ_AGENT" list
    expect_contains "$ERR" "is locked"
    # The agent no longer hands out the token it had cached.
    expect_exit 1 "$FEEDZ_PROBE" get https://f.feedz.io/acme/pkgs/npm/ read
    expect_eq "$(jq -r .error.code <<<"$OUT")" "store_locked" "look-up in a locked keychain"
    expect_exit 77 "$FEEDZ_AGENT" logout kept
    expect_secret_nowhere "$REFUSED_TOKEN" "$HOME"
    exit 0
fi

# Inside the test keyring: the keyring daemon stops answering (SIGSTOP stands for a hang).
if [ "${1:-}" = hung-inside ]; then
    use_throwaway_home
    KEYRING_PID=$(gdbus call --session --dest org.freedesktop.DBus \
        --object-path /org/freedesktop/DBus \
        --method org.freedesktop.DBus.GetConnectionUnixProcessID org.freedesktop.secrets \
        | sed -n 's/.*uint32 \([0-9]*\).*/\1/p')
    [ -n "$KEYRING_PID" ] || fail "no process owns org.freedesktop.secrets"
    kill -STOP "$KEYRING_PID"
    add_cleanup "kill -CONT $KEYRING_PID"
    # The agent started by this command reads the timeout from its environment.
    FEEDZ_AGENT_KEYCHAIN_TIMEOUT=1 run "$FEEDZ_AGENT" list
    expect_eq "$STATUS" 69 "exit code of list with a hung keychain"
    expect_contains "$ERR" "the keychain did not answer within 1 s"
    expect_contains "$ERR" "gnome-keyring-daemon may be hung"
    expect_not_contains "$ERR" "no D-Bus session bus"
    stop_agent_if_running
    kill -CONT "$KEYRING_PID"
    exit 0
fi

use_throwaway_home
export KEPT_TOKEN=$(new_token) REFUSED_TOKEN=$(new_token)

step "a locked keychain: its own message; nothing stored, nothing deleted"
KEYRING_HOME="$TEST_ROOT/locked"
mkdir -p "$KEYRING_HOME"
FEEDZ_TEST_IN_KEYRING=1 KEYRING_HOME="$KEYRING_HOME" "$TESTS_LIB/with-test-keyring.sh" \
    bash "$0" locked-inside || fail "the locked-keychain scenario failed"
# Unlock the same keyring again (same password) and look inside.
KEYRING_HOME="$KEYRING_HOME" "$TESTS_LIB/with-test-keyring.sh" sh -c '
    [ "$(secret-tool lookup name kept)" = "$KEPT_TOKEN" ] || { echo "the kept token is gone"; exit 1; }
    if secret-tool lookup name refused >/dev/null; then echo "the refused token was stored"; exit 1; fi
' || fail "keychain content after the locked scenario is wrong"

step "a keychain that does not answer: a timeout, not \"no D-Bus\""
FEEDZ_TEST_IN_KEYRING=1 KEYRING_HOME="$TEST_ROOT/hung" "$TESTS_LIB/with-test-keyring.sh" \
    bash "$0" hung-inside || fail "the hung-keychain scenario failed"

step "a session bus without a Secret Service"
cat >"$TEST_ROOT/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$TEST_ROOT</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
exec 5>"$TEST_ROOT/bus.address" 6>"$TEST_ROOT/bus.pid"
dbus-daemon --config-file="$TEST_ROOT/bus.conf" --fork --print-address=5 --print-pid=6 \
    || fail "cannot start a private dbus-daemon"
exec 5>&- 6>&-
BUS_PID=$(cat "$TEST_ROOT/bus.pid")
add_cleanup 'kill $BUS_PID' 
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$TEST_ROOT/bus.address")
login_with "$REFUSED_TOKEN" --feed acme/pkgs
expect_eq "$STATUS" 69 "exit code without a Secret Service"
expect_contains "$ERR" "no Secret Service on the session bus"
expect_contains "$ERR" "apt install gnome-keyring"
expect_contains "$ERR" "FEEDZ_AGENT_STORE=memory"
expect_exit 69 "$FEEDZ_AGENT" list
expect_contains "$ERR" "no Secret Service on the session bus"
stop_agent_if_running
kill "$BUS_PID"

step "a Secret Service whose D-Bus activation fails"
mkdir -p "$TEST_ROOT/services"
printf '[D-BUS Service]\nName=org.freedesktop.secrets\nExec=/bin/false\n' \
    >"$TEST_ROOT/services/org.freedesktop.secrets.service"
sed "s|<auth>EXTERNAL</auth>|<auth>EXTERNAL</auth><servicedir>$TEST_ROOT/services</servicedir>|" \
    "$TEST_ROOT/bus.conf" >"$TEST_ROOT/activating-bus.conf"
exec 5>"$TEST_ROOT/bus.address" 6>"$TEST_ROOT/bus.pid"
dbus-daemon --config-file="$TEST_ROOT/activating-bus.conf" --fork --print-address=5 \
    --print-pid=6 || fail "cannot start a private dbus-daemon"
exec 5>&- 6>&-
BUS_PID=$(cat "$TEST_ROOT/bus.pid")
add_cleanup 'kill $BUS_PID'
export DBUS_SESSION_BUS_ADDRESS=$(head -n1 "$TEST_ROOT/bus.address")
expect_exit 69 "$FEEDZ_AGENT" list
expect_contains "$ERR" "no Secret Service on the session bus"
expect_not_contains "$ERR" "no D-Bus session bus"
stop_agent_if_running
kill "$BUS_PID"

step "a Secret Service without a default collection (gnome-keyring started by D-Bus activation)"
HOME="$TEST_ROOT/nocollection" XDG_DATA_HOME="$TEST_ROOT/nocollection/share" \
    dbus-run-session -- bash -c '
    source "$TESTS_LIB/testlib.sh"
    login_with "$REFUSED_TOKEN" --feed acme/pkgs
    expect_eq "$STATUS" 69 "exit code without a default collection"
    expect_contains "$ERR" "has no default collection"
    expect_contains "$ERR" "Seahorse"
    "$FEEDZ_AGENT" stop >/dev/null
' || fail "the no-default-collection scenario failed"

step "no D-Bus at all (an SSH box or a container)"
unset DBUS_SESSION_BUS_ADDRESS
login_with "$REFUSED_TOKEN" --feed acme/pkgs
expect_eq "$STATUS" 69 "exit code without D-Bus"
expect_contains "$ERR" "no D-Bus session bus"
expect_contains "$ERR" "FEEDZ_AGENT_STORE=memory"
stop_agent_if_running

step "distinct messages, and the refused token is in no file and no output"
expect_secret_nowhere "$REFUSED_TOKEN" "$TEST_ROOT"
echo "PASS"
