#!/bin/sh
# with-test-keyring.sh COMMAND [ARG]...
# Runs COMMAND with a private session D-Bus and a real, unlocked gnome-keyring whose 'login'
# collection lives under a throwaway HOME (KEYRING_HOME, default: a new temporary directory),
# with XDG_* directories and a private XDG_RUNTIME_DIR inside it.
# When COMMAND exits the bus goes away, and with it the keyring daemon and any agent started
# inside. Exits 77 (skip) when dbus-run-session or gnome-keyring-daemon is missing.
set -eu
for tool in dbus-run-session gnome-keyring-daemon gdbus; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool is not installed (apt-get install dbus gnome-keyring libglib2.0-bin)" >&2
        [ -n "${FEEDZ_TEST_NO_SKIP:-}" ] && exit 1
        exit 77
    fi
done
# A KEYRING_HOME made here is removed afterwards; one given is the caller's to keep.
made_home=""
if [ -z "${KEYRING_HOME:-}" ]; then
    KEYRING_HOME=$(mktemp -d "${TMPDIR:-/tmp}/feedz-keyring.XXXXXX")
    made_home=1
fi
# Set before dbus-run-session: services it activates inherit the bus's environment.
export HOME="$KEYRING_HOME" XDG_DATA_HOME="$KEYRING_HOME/.local/share" \
    XDG_CACHE_HOME="$KEYRING_HOME/.cache" XDG_CONFIG_HOME="$KEYRING_HOME/.config" \
    XDG_STATE_HOME="$KEYRING_HOME/.local/state" XDG_RUNTIME_DIR="$KEYRING_HOME/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_CACHE_HOME" "$XDG_CONFIG_HOME" "$XDG_STATE_HOME"
mkdir -p -m 700 "$XDG_RUNTIME_DIR"
unset DISPLAY WAYLAND_DISPLAY DBUS_SESSION_BUS_ADDRESS
status=0
dbus-run-session -- sh -eu -c '
    printf "%s" "${KEYRING_PASSWORD:-feedz-test-keyring}" \
        | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    gdbus wait --session --timeout 10 org.freedesktop.secrets
    exec "$@"' sh "$@" || status=$?
if [ -n "$made_home" ]; then
    rm -rf "$KEYRING_HOME"
fi
exit "$status"
