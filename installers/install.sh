#!/bin/sh
# install.sh: installs feedz-agent for the current user, without root.
#
#   installers/install.sh [--build-dir DIR] [--prefix DIR] [--no-systemd] [--no-strip]
#
# Builds (or takes the programs from --build-dir), then installs
#   PREFIX/bin/{feedz-agent,feedz-agentd,feedz-agent-https,nuget-plugin-feedz} (PREFIX: ~/.local)
#   ~/.config/systemd/user/feedz-agent.{socket,service}                 (socket activation)
#   ~/.local/share/bash-completion/completions/feedz-agent              (and zsh/fish, if installed)
# enables the socket when a systemd user manager is running, and records every file and
# directory it created in ~/.local/share/feedz-agent/install-manifest, so that
# installers/uninstall.sh removes exactly those. Running it again updates the files and
# changes nothing else. It never edits your shell's start-up files: when PREFIX/bin is not on
# PATH it says what to add.
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=""
prefix=$HOME/.local
use_systemd=1
strip_programs=1

usage() {
    sed -n '2,15s/^# \{0,1\}//p' "$0"
}

while [ $# -gt 0 ]; do
    case $1 in
    --build-dir) build_dir=${2:?--build-dir needs a directory}; shift 2 ;;
    --build-dir=*) build_dir=${1#*=}; shift ;;
    --prefix) prefix=${2:?--prefix needs a directory}; shift 2 ;;
    --prefix=*) prefix=${1#*=}; shift ;;
    --no-systemd) use_systemd=0; shift ;;
    --no-strip) strip_programs=0; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "install.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

say() { printf '%s\n' "$*"; }
die() { printf 'install.sh: %s\n' "$*" >&2; exit 1; }

[ -n "${HOME:-}" ] && [ -d "$HOME" ] || die "HOME is not set to a directory"
[ "$(id -u)" -ne 0 ] || say "note: installing for root (in $HOME); for every user, use the .deb (cpack -G DEB)"
case $prefix in /*) ;; *) prefix=$(pwd)/$prefix ;; esac

config_home=${XDG_CONFIG_HOME:-$HOME/.config}
data_home=${XDG_DATA_HOME:-$HOME/.local/share}
bindir=$prefix/bin
unitdir=$config_home/systemd/user
bash_completion_dir=${BASH_COMPLETION_USER_DIR:-$data_home/bash-completion}/completions
manifest_dir=$data_home/feedz-agent
manifest=$manifest_dir/install-manifest

# --- the programs ---
if [ -z "$build_dir" ]; then
    build_dir=${BUILD_DIR:-$top/build}
    say "== building in $build_dir"
    BUILD_DIR=$build_dir "$top/installers/build.sh" \
        feedz-agent feedz-agentd feedz-agent-https nuget-plugin-feedz >/dev/null \
        || die "the build failed (above); installers/install-build-deps.sh installs what it needs"
fi
[ -d "$build_dir" ] || die "no build directory $build_dir"
build_dir=$(cd "$build_dir" && pwd)

# find_program NAME SUBDIR: the program in a build tree (SUBDIR) or an installed tree (bin/).
find_program() {
    for candidate in "$build_dir/$2/$1" "$build_dir/bin/$1"; do
        if [ -f "$candidate" ] && [ -x "$candidate" ]; then
            printf '%s\n' "$candidate"
            return 0
        fi
    done
    die "$1 is not in $build_dir (looked in $2/ and bin/); build it first"
}
agent_program=$(find_program feedz-agent agent)
daemon_program=$(find_program feedz-agentd agent)
https_program=$(find_program feedz-agent-https agent)
plugin_program=$(find_program nuget-plugin-feedz helpers/nuget)

# --- the manifest: what installations created, one "TYPE PATH" line each (TYPE: file or dir;
# a directory is recorded only when an installation created it, outermost first) ---
staged=""
trap 'rm -f "${staged:-}" "${tmp_unit:-}"' EXIT
# missing_dirs DIR: the directories mkdir -p DIR would create, outermost first.
missing_dirs() {
    dir=$1 missing=""
    while [ ! -d "$dir" ]; do
        missing="$dir
$missing"
        dir=$(dirname "$dir")
    done
    printf '%s' "$missing"
}
new_dirs=$(missing_dirs "$manifest_dir")
mkdir -p "$manifest_dir"
touch "$manifest"
record() {
    grep -qxF -- "$1 $2" "$manifest" || printf '%s %s\n' "$1" "$2" >>"$manifest"
}
printf '%s\n' "$new_dirs" | while IFS= read -r dir; do
    [ -z "$dir" ] || record dir "$dir"
done
record file "$manifest"

# make_dir DIR: mkdir -p, recording each directory it creates.
make_dir() {
    missing_dirs "$1" | while IFS= read -r dir; do
        [ -n "$dir" ] || continue
        mkdir -m 755 "$dir"
        record dir "$dir"
    done
}

# put SOURCE DEST MODE: installs a file atomically (a temporary file in the same directory,
# renamed over DEST), so a program that is running keeps its old file and nothing ever sees
# half a file.
put() {
    make_dir "$(dirname "$2")"
    staged=$(mktemp "$(dirname "$2")/.$(basename "$2").XXXXXX")
    cat "$1" >"$staged"
    if [ "$3" = 755 ] && [ "$strip_programs" = 1 ] && command -v strip >/dev/null 2>&1; then
        strip --strip-unneeded "$staged" 2>/dev/null || true
    fi
    chmod "$3" "$staged"
    mv -f "$staged" "$2"
    staged=""
    record file "$2"
}

say "== installing feedz-agent $("$agent_program" --version | sed 's/^feedz-agent //') for $(id -un 2>/dev/null || id -u)"
put "$agent_program" "$bindir/feedz-agent" 755
put "$daemon_program" "$bindir/feedz-agentd" 755
put "$https_program" "$bindir/feedz-agent-https" 755
put "$plugin_program" "$bindir/nuget-plugin-feedz" 755
say "programs:   $bindir/{feedz-agent,feedz-agentd,feedz-agent-https,nuget-plugin-feedz}"

# --- shell completion ---
put "$top/installers/completion/feedz-agent.bash" "$bash_completion_dir/feedz-agent" 644
say "completion: $bash_completion_dir/feedz-agent (bash)"
if command -v zsh >/dev/null 2>&1; then
    put "$top/installers/completion/_feedz-agent" "$data_home/zsh/site-functions/_feedz-agent" 644
    say "            $data_home/zsh/site-functions/_feedz-agent (zsh: add fpath+=($data_home/zsh/site-functions) before compinit)"
fi
if command -v fish >/dev/null 2>&1; then
    put "$top/installers/completion/feedz-agent.fish" "$config_home/fish/completions/feedz-agent.fish" 644
    say "            $config_home/fish/completions/feedz-agent.fish (fish)"
fi

# --- systemd user units, from the templates the .deb uses ---
units_installed=0
case $bindir in
*[[:space:]%\"\'\\]*)
    say "units:      skipped: systemd units cannot name $bindir as it is (spaces, %, quotes); the agent starts on demand"
    use_systemd=0
    ;;
esac
if [ "$use_systemd" = 1 ]; then
    tmp_unit=$(mktemp "${TMPDIR:-/tmp}/feedz-unit.XXXXXX")
    for unit in feedz-agent.socket feedz-agent.service; do
        sed "s|@FEEDZ_AGENT_BINDIR@|$bindir|g" "$top/installers/systemd/$unit.in" >"$tmp_unit"
        put "$tmp_unit" "$unitdir/$unit" 644
    done
    rm -f "$tmp_unit"
    units_installed=1
    say "units:      $unitdir/feedz-agent.{socket,service}"
fi

# --- socket activation, when a user manager runs ---
agent=$bindir/feedz-agent
# A user manager listens on $XDG_RUNTIME_DIR/systemd/private (checked first: asking the session
# bus for one that is not there makes D-Bus try to start it).
user_manager_running() {
    [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -S "$XDG_RUNTIME_DIR/systemd/private" ] \
        && command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1
}
socket=${XDG_RUNTIME_DIR:-/nonexistent}/feedz-agent/agent.sock
# An agent runs when its lock is held (agent/PROTOCOL.md).
agent_running() {
    [ -e "$socket.lock" ] && command -v flock >/dev/null 2>&1 && ! flock -n "$socket.lock" true
}
# service_settled: waits until feedz-agent.service is active for a second, or has failed.
service_settled() {
    i=0
    while [ "$i" -lt 10 ]; do
        systemctl --user --quiet is-active feedz-agent.service || return 1
        sleep 0.1
        i=$((i + 1))
    done
}
# The bus address without its guid: the same bus may be written with different guids.
bus_path() { printf '%s' "$1" | sed 's/,guid=[^,]*//'; }
# Why an agent that systemd starts would not reach the user's keychain, or nothing. Such an agent
# gets the user manager's environment, not this shell's, and a private /tmp (PrivateTmp=).
bus_problem() {
    manager_bus=$(systemctl --user show-environment 2>/dev/null | sed -n 's/^DBUS_SESSION_BUS_ADDRESS=//p')
    if [ -z "$manager_bus" ] && [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -S "$XDG_RUNTIME_DIR/bus" ]; then
        manager_bus=unix:path=$XDG_RUNTIME_DIR/bus # what GLib falls back to
    fi
    if [ -z "$manager_bus" ]; then
        echo "the user manager knows no session bus (install dbus-user-session)"
    elif [ -n "${DBUS_SESSION_BUS_ADDRESS:-}" ] \
        && [ "$(bus_path "$DBUS_SESSION_BUS_ADDRESS")" != "$(bus_path "$manager_bus")" ]; then
        echo "this session's D-Bus ($DBUS_SESSION_BUS_ADDRESS) is not the user manager's ($manager_bus)"
    else
        case $manager_bus in
        *=/tmp/* | *tmpdir=/tmp*)
            echo "the session bus is in /tmp ($manager_bus), which the unit's PrivateTmp= hides" ;;
        esac
    fi
}
if [ "$units_installed" = 1 ] && user_manager_running && [ -n "$(bus_problem)" ]; then
    say "systemd:    feedz-agent.socket not enabled: $(bus_problem), so an agent"
    say "            that systemd starts would not reach your keychain; clients start the agent on demand"
elif [ "$units_installed" = 1 ] && user_manager_running; then
    wants=$unitdir/sockets.target.wants
    [ -d "$wants" ] || record dir "$wants"
    systemctl --user daemon-reload
    systemctl --user enable feedz-agent.socket >/dev/null 2>&1
    record file "$wants/feedz-agent.socket"

    # An agent a client started on demand holds the socket's path: a socket unit started now
    # would take the path from under it. Stop it when its tokens are in the keychain (they stay
    # there); one that keeps tokens in memory only is left alone until the next login.
    if ! systemctl --user --quiet is-active feedz-agent.socket && agent_running \
        && "$agent" list --json 2>/dev/null | grep -q '"store": *"secret-service"'; then
        "$agent" stop >/dev/null 2>&1 || true
    fi
    if agent_running && ! systemctl --user --quiet is-active feedz-agent.socket; then
        say "systemd:    feedz-agent.socket enabled; it listens from your next login (an agent"
        say "            with tokens in memory runs now: feedz-agent stop, then systemctl --user start feedz-agent.socket)"
    elif systemctl --user start feedz-agent.socket && systemctl --user start feedz-agent.service \
        && service_settled; then
        # The agent started under the unit's sandbox: socket activation works on this system.
        say "systemd:    feedz-agent.socket enabled and listening; the agent starts on the first request"
    else
        say "systemd:    feedz-agent.service does not start here:"
        systemctl --user --no-pager --lines=5 status feedz-agent.service 2>&1 | sed 's/^/    /' || true
        systemctl --user disable --now feedz-agent.socket >/dev/null 2>&1 || true
        say "            so the socket is disabled again, and clients start the agent on demand"
    fi
elif [ "$units_installed" = 1 ]; then
    say "systemd:    no user manager reachable (systemctl --user), so the socket is not enabled;"
    say "            clients start the agent on demand. Later: systemctl --user enable --now feedz-agent.socket"
fi

# --- PATH and the NuGet plugin ---
on_path=0
case ":$PATH:" in *":$bindir:"*) on_path=1 ;; esac
if [ "$on_path" = 0 ]; then
    say ""
    say "$bindir is not on your PATH. Add it, e.g. in ~/.profile:"
    say "    export PATH=\"$bindir:\$PATH\""
    say "(dotnet finds nuget-plugin-feedz on PATH, so this matters for NuGet too.)"
else
    found=$(command -v feedz-agent 2>/dev/null || true)
    if [ -n "$found" ] && [ "$found" != "$bindir/feedz-agent" ]; then
        say ""
        say "note: 'feedz-agent' on your PATH is $found, which comes before $bindir"
    fi
fi
for variable in NUGET_PLUGIN_PATHS NUGET_NETCORE_PLUGIN_PATHS; do
    value=$(eval "printf '%s' \"\${$variable:-}\"")
    if [ -n "$value" ]; then
        say "note: $variable is set, so dotnet does not look on PATH: add $bindir/nuget-plugin-feedz to it"
    fi
done

say ""
say "Installed. Next: feedz-agent login --feed ORG/REPO   (then: feedz-agent doctor)"
say "Remove with: $top/installers/uninstall.sh"
