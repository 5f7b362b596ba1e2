#!/usr/bin/env bash
# Socket activation under a real, unprivileged systemd user manager, with the units install.sh
# installs and all their hardening:
#   - a user manager (systemd --user) with its own session bus at $XDG_RUNTIME_DIR/bus (as
#     dbus-user-session gives a desktop) and an unlocked gnome-keyring on it;
#   - install.sh enables feedz-agent.socket and checks that the agent starts under the unit;
#     the socket is 0600 in a 0700 directory; the agent runs ~/.local/bin/feedz-agentd with
#     NoNewPrivs, a seccomp filter, no core dumps, a private /tmp and a user namespace that maps
#     only the user's uid;
#   - login through the socket stores the token in the keychain (the sandbox reaches D-Bus);
#     after `feedz-agent stop` the next client starts the agent again through the socket;
#   - install.sh again changes nothing; uninstall.sh --logout-all disables the socket, empties
#     the keychain and leaves HOME as it was.
# The manager runs as nobody, in a cgroup subtree delegated to it, in private mount and cgroup
# namespaces (with /run/systemd/system on a private tmpfs, so that systemd --user runs on a
# machine whose PID 1 is not systemd): nothing outside the subtree is touched, and every process
# in it is gone at the end. Needs root for that (CI runs as root).
source "$(dirname "$0")/../lib/testlib.sh"
SOURCE_DIR=$(cd "$(dirname "$0")/../.." && pwd)
BUILD_DIR=${FEEDZ_BUILD_DIR:-$(cd "$(dirname "$FEEDZ_AGENT")/.." && pwd)}
SYSTEMD=/lib/systemd/systemd
TEST_USER=nobody

if [ -z "${FEEDZ_SYSTEMD_TEST_INSIDE:-}" ]; then
    [ "$(id -u)" -eq 0 ] || skip "needs root, to give a user manager its own cgroup subtree"
    [ -x "$SYSTEMD" ] || skip "$SYSTEMD is missing (apt-get install systemd)"
    [ -f /usr/lib/systemd/user/dbus.socket ] || skip "no user bus unit (apt-get install dbus-user-session)"
    for tool in unshare setpriv gnome-keyring-daemon gdbus secret-tool systemctl; do
        require_tool "$tool"
    done
    [ "$(cat /proc/1/comm)" != systemd ] \
        || skip "PID 1 is systemd: the test runs its own user manager only where systemd does not run"
    id "$TEST_USER" >/dev/null 2>&1 || skip "no user $TEST_USER"
    use_throwaway_home

    # Everything the user may read, outside /tmp (the unit's PrivateTmp= hides /tmp): the
    # programs, the installers and a HOME.
    ROOT=$(mktemp -d /home/feedz-systemd-test.XXXXXX 2>/dev/null || mktemp -d /var/lib/feedz-systemd-test.XXXXXX)
    chmod 755 "$ROOT"
    mkdir -p "$ROOT/src" "$ROOT/build/agent" "$ROOT/build/helpers/nuget" "$ROOT/home" "$ROOT/run"
    cp -r "$SOURCE_DIR/installers" "$ROOT/src/"
    cp "$BUILD_DIR/agent/feedz-agent" "$BUILD_DIR/agent/feedz-agentd" "$BUILD_DIR/agent/feedz-agent-https" \
        "$ROOT/build/agent/"
    cp "$BUILD_DIR/helpers/nuget/nuget-plugin-feedz" "$ROOT/build/helpers/nuget/"
    mkdir -p "$ROOT/lib"
    cp "$0" "$ROOT/src/"
    cp "$SOURCE_DIR/tests/lib/testlib.sh" "$ROOT/lib/"
    chmod -R a+rX "$ROOT/src" "$ROOT/lib" "$ROOT/build"
    chown "$TEST_USER:" "$ROOT/home" "$ROOT/run"
    chmod 700 "$ROOT/run"

    # The cgroup subtree the manager gets (hybrid: the systemd and unified hierarchies; or a
    # pure cgroup v2 machine).
    CGROUP=feedz-systemd-test-$$
    if [ "$(stat -f -c %T /sys/fs/cgroup)" = cgroup2fs ]; then
        HIERARCHIES=/sys/fs/cgroup
    elif [ -d /sys/fs/cgroup/systemd ] && [ -d /sys/fs/cgroup/unified ]; then
        HIERARCHIES="/sys/fs/cgroup/systemd /sys/fs/cgroup/unified"
    else
        skip "an unknown cgroup layout under /sys/fs/cgroup"
    fi
    cgroup_processes() {
        local hierarchy
        for hierarchy in $HIERARCHIES; do
            [ -d "$hierarchy/$CGROUP" ] && find "$hierarchy/$CGROUP" -name cgroup.procs -exec cat {} + 2>/dev/null
        done | sort -u
    }
    remove_subtree() {
        local pid hierarchy
        # Whatever still runs in the subtree was started by this test.
        for pid in $(cgroup_processes); do kill -9 "$pid" 2>/dev/null || true; done
        sleep 0.2
        for hierarchy in $HIERARCHIES; do
            [ -d "$hierarchy/$CGROUP" ] && find "$hierarchy/$CGROUP" -depth -type d -exec rmdir {} + 2>/dev/null
        done
        rm -rf "$ROOT"
    }
    add_cleanup remove_subtree
    for hierarchy in $HIERARCHIES; do
        mkdir "$hierarchy/$CGROUP"
        chown -R "$TEST_USER:" "$hierarchy/$CGROUP"
    done

    step "a user manager as $TEST_USER in its own cgroup subtree and mount namespace"
    SCRIPT=$ROOT/src/$(basename "$0")
    export ROOT CGROUP HIERARCHIES TEST_USER SCRIPT
    run bash -c '
        for hierarchy in $HIERARCHIES; do echo $$ >"$hierarchy/$CGROUP/cgroup.procs"; done
        exec unshare -m -C --propagation private bash -c "
            set -e
            mount -t tmpfs tmpfs /run/systemd
            mkdir /run/systemd/system
            for hierarchy in \$HIERARCHIES; do mount --bind \$hierarchy/\$CGROUP \$hierarchy; done
            exec setpriv --reuid=$(id -u $TEST_USER) --regid=$(id -g $TEST_USER) --clear-groups --inh-caps=-all \
                env -i PATH=/usr/local/bin:/usr/bin:/bin LANG=C.UTF-8 HOME=$ROOT/home \
                XDG_RUNTIME_DIR=$ROOT/run FEEDZ_AGENT=$ROOT/build/agent/feedz-agent \
                FEEDZ_PROBE=/nonexistent FEEDZ_SYSTEMD_TEST_INSIDE=1 ROOT=$ROOT \
                ${ASAN_OPTIONS:+ASAN_OPTIONS=$ASAN_OPTIONS} ${LSAN_OPTIONS:+LSAN_OPTIONS=$LSAN_OPTIONS} \
                ${UBSAN_OPTIONS:+UBSAN_OPTIONS=$UBSAN_OPTIONS} bash $SCRIPT"'
    echo "$OUT" | sed 's/^/    | /'
    [ "$STATUS" -eq 0 ] || fail "inside the user manager (exit $STATUS):
$ERR"
    # The keyring daemon leaves once its bus has gone; give it a moment.
    for _ in $(seq 30); do
        left=$(cgroup_processes)
        [ -z "$left" ] && break
        sleep 0.1
    done
    [ -z "$left" ] || fail "processes left in the test's cgroup: $(ps -o pid,user,args -p "$(echo $left | tr ' ' ,)")"
    echo "PASS: $TEST_NAME"
    exit 0
fi

# --- inside: the user nobody, HOME=$ROOT/home, our own mount and cgroup namespaces ---
INSTALLERS=$ROOT/src/installers
export XDG_CONFIG_HOME=$HOME/.config XDG_DATA_HOME=$HOME/.local/share
export XDG_STATE_HOME=$HOME/.local/state XDG_CACHE_HOME=$HOME/.cache
mkdir -p "$XDG_CONFIG_HOME" "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$XDG_CACHE_HOME"
TEST_ROOT=$HOME
AGENT_SOCKET=$XDG_RUNTIME_DIR/feedz-agent/agent.sock
manager_pid=""
stop_manager() {
    [ -n "$manager_pid" ] || return 0
    systemctl --user exit >/dev/null 2>&1 || kill "$manager_pid" 2>/dev/null || true
    wait "$manager_pid" 2>/dev/null || true
    manager_pid=""
}
trap 'status=$?; stop_manager; exit $status' EXIT

"$SYSTEMD" --user >"$HOME/manager.log" 2>&1 &
manager_pid=$!
for _ in $(seq 100); do
    state=$(systemctl --user is-system-running 2>/dev/null || true)
    case $state in running | degraded) break ;; esac
    sleep 0.1
done
case $state in running | degraded) ;; *) fail "the user manager did not start ($state): $(tail -n 5 "$HOME/manager.log")" ;; esac
echo "user manager: $state"
# In the sanitizer build (tests/sanitize/run-sanitized.sh) the agent the manager starts keeps
# its reports where every other program of ours does.
for name in ASAN_OPTIONS LSAN_OPTIONS UBSAN_OPTIONS; do
    [ -z "${!name:-}" ] || systemctl --user set-environment "$name=${!name}"
done

# The session bus of the user manager (dbus.socket), as on a desktop, with the keychain on it.
export DBUS_SESSION_BUS_ADDRESS=unix:path=$XDG_RUNTIME_DIR/bus
printf 'pass' | gnome-keyring-daemon --unlock --components=secrets >/dev/null
gdbus wait --session --timeout 10 org.freedesktop.secrets || fail "no keychain on the user bus"
keychain_items() {
    secret-tool search --all xdg:schema io.feedz.Agent.Token 2>/dev/null | grep -c '^\[' || true
}
home_listing() {
    (cd "$HOME" && find . -mindepth 1 \( -path ./.local/share/keyrings -o -name manager.log \) -prune \
        -o -printf '%y %m %p\n' | sort)
}
BEFORE=$(home_listing)
BIN=$HOME/.local/bin

step "install.sh enables the socket and checks that the agent starts under the unit"
expect_success sh "$INSTALLERS/install.sh" --build-dir "$ROOT/build"
expect_contains "$OUT" "feedz-agent.socket enabled and listening"
expect_eq "$(systemctl --user is-enabled feedz-agent.socket)" enabled "feedz-agent.socket"
expect_eq "$(systemctl --user is-active feedz-agent.socket)" active "feedz-agent.socket"
expect_eq "$(stat -c %a "$XDG_RUNTIME_DIR/feedz-agent")" 700 "the socket's directory"
expect_eq "$(stat -c '%a %F' "$AGENT_SOCKET")" "600 socket" "the socket"
export PATH="$BIN:$PATH"

step "the agent runs sandboxed: NoNewPrivs, seccomp, no core, private /tmp, own user namespace"
pid=$(systemctl --user show -p MainPID --value feedz-agent.service)
[ "${pid:-0}" -gt 0 ] || fail "feedz-agent.service has no main process"
expect_eq "$(readlink "/proc/$pid/exe")" "$BIN/feedz-agentd" "the agent's executable"
expect_contains "$(cat "/proc/$pid/status")" "NoNewPrivs:	1" "the agent's status"
expect_contains "$(cat "/proc/$pid/status")" "Seccomp:	2" "the agent's status"
expect_eq "$(awk '/^Max core file size/ { print $5, $6 }' "/proc/$pid/limits")" "0 0" "the agent's core limit"
expect_contains "$(awk '$5 == "/tmp" { print $4 }' "/proc/$pid/mountinfo")" "systemd-private-" "the agent's /tmp"
expect_eq "$(awk '{ print $1, $2, $3 }' "/proc/$pid/uid_map")" "$(id -u) $(id -u) 1" "the agent's uid map"

step "login through the socket stores the token in the keychain"
TOKEN=$(new_token)
run sh -c 'printf "%s" "$1" | feedz-agent login --pat-stdin --feed https://f.feedz.io/acme/pkgs/ --no-verify --no-nuget --npm none' \
    sh "$TOKEN"
[ "$STATUS" -eq 0 ] || fail "login through the socket failed: $OUT $ERR"
expect_contains "$OUT" "secret-service"
expect_eq "$(keychain_items)" 1 "keychain items after login"
expect_eq "$(systemctl --user show -p MainPID --value feedz-agent.service)" "$pid" "the agent's pid after login"

step "feedz-agent stop; the next client starts the agent again through the socket"
expect_success feedz-agent stop
for _ in $(seq 50); do
    [ "$(systemctl --user is-active feedz-agent.service)" = inactive ] && break
    sleep 0.1
done
expect_eq "$(systemctl --user is-active feedz-agent.service)" inactive "feedz-agent.service after stop"
expect_eq "$(systemctl --user is-active feedz-agent.socket)" active "feedz-agent.socket after stop"
expect_success feedz-agent list
expect_contains "$OUT" "acme/pkgs"
new_pid=$(systemctl --user show -p MainPID --value feedz-agent.service)
[ "${new_pid:-0}" -gt 0 ] && [ "$new_pid" != "$pid" ] || fail "the socket did not start a new agent ($pid, $new_pid)"

step "install.sh again changes nothing"
listing=$(home_listing)
expect_success sh "$INSTALLERS/install.sh" --build-dir "$ROOT/build"
expect_eq "$(home_listing)" "$listing" "HOME after the second install"
expect_eq "$(systemctl --user is-active feedz-agent.socket)" active "feedz-agent.socket"

step "uninstall.sh --logout-all: socket disabled, keychain empty, HOME as before"
expect_success sh "$INSTALLERS/uninstall.sh" --logout-all
expect_eq "$(keychain_items)" 0 "keychain items after uninstall"
run systemctl --user is-enabled feedz-agent.socket
[ "$STATUS" -ne 0 ] || fail "feedz-agent.socket is still known after uninstall: $OUT"
expect_eq "$(systemctl --user is-active feedz-agent.service)" inactive "feedz-agent.service after uninstall"
[ -e "$AGENT_SOCKET" ] && fail "the socket is left after uninstall"
after=$(home_listing)
[ "$after" = "$BEFORE" ] || fail "HOME differs from before the install:
$(diff <(echo "$BEFORE") <(echo "$after"))"
expect_secret_nowhere "$TOKEN" "$HOME/.local" "$HOME/.config"
stop_manager
echo "inside: ok"
