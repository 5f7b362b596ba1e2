#!/bin/sh
# uninstall.sh: removes what installers/install.sh installed for the current user.
#
#   installers/uninstall.sh [--logout-all | --keep-tokens]
#
#   --logout-all    first `feedz-agent logout --all`: removes every stored token from the
#                   keychain and exactly the NuGet.Config and ~/.npmrc entries login wrote;
#                   then the agent's own state (~/.local/state/feedz-agent: audit log, the
#                   record of those entries)
#   --keep-tokens   leave the tokens, those entries and the agent's state as they are (a later
#                   install picks them up again)
# With neither, it asks on the terminal; without a terminal it stops and says to choose.
#
# Then it stops the agent, disables and removes the systemd units, and removes every file and
# directory in ~/.local/share/feedz-agent/install-manifest (a directory only when it is
# empty). Nothing else is touched.
set -eu

tokens=ask
usage() {
    sed -n '2,17s/^# \{0,1\}//p' "$0"
}
while [ $# -gt 0 ]; do
    case $1 in
    --logout-all) tokens=remove; shift ;;
    --keep-tokens) tokens=keep; shift ;;
    -h | --help) usage; exit 0 ;;
    *) echo "uninstall.sh: unknown argument '$1'" >&2; usage >&2; exit 2 ;;
    esac
done

say() { printf '%s\n' "$*"; }
die() { printf 'uninstall.sh: %s\n' "$*" >&2; exit 1; }

data_home=${XDG_DATA_HOME:-$HOME/.local/share}
state_home=${XDG_STATE_HOME:-$HOME/.local/state}
manifest=$data_home/feedz-agent/install-manifest
if [ ! -f "$manifest" ]; then
    # Not installed (or removed already): running uninstall twice is not an error.
    say "feedz-agent is not installed for $(id -un 2>/dev/null || id -u): $manifest does not exist"
    say "(install.sh writes it), so there is nothing to remove."
    exit 0
fi
entries=$(cat "$manifest")

# The installed feedz-agent, from the manifest.
agent=$(printf '%s\n' "$entries" | sed -n 's|^file \(.*/feedz-agent\)$|\1|p' | head -n 1)
[ -n "$agent" ] && [ -x "$agent" ] || agent=""

if [ "$tokens" = ask ]; then
    if [ -t 0 ] && [ -t 1 ]; then
        if [ -n "$agent" ]; then
            say "Stored tokens:"
            "$agent" list 2>&1 | sed 's/^/    /' || true
        fi
        printf 'Remove every stored token and the NuGet/npm entries feedz-agent login wrote? [y/N] '
        read -r answer || answer=""
        case $answer in
        [yY] | [yY][eE][sS]) tokens=remove ;;
        *) tokens=keep ;;
        esac
    else
        die "no terminal to ask on: pass --logout-all (remove stored tokens and the NuGet/npm entries login wrote) or --keep-tokens"
    fi
fi

if [ "$tokens" = remove ]; then
    [ -n "$agent" ] || die "cannot log out: feedz-agent is no longer installed; nothing was removed"
    say "== feedz-agent logout --all"
    if ! "$agent" logout --all; then
        die "logout failed (see above), so nothing was removed; fix that and run uninstall.sh again, or pass --keep-tokens"
    fi
fi

# --- stop the agent and disable the units ---
say "== stopping the agent"
if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -S "$XDG_RUNTIME_DIR/systemd/private" ] \
    && command -v systemctl >/dev/null 2>&1 && systemctl --user show-environment >/dev/null 2>&1; then
    systemctl --user disable --now feedz-agent.socket >/dev/null 2>&1 || true
    systemctl --user stop feedz-agent.service >/dev/null 2>&1 || true
    units_changed=1
else
    units_changed=0
fi
if [ -n "$agent" ]; then
    "$agent" stop || true
fi

# --- remove the files, then the directories installations created (innermost first) ---
say "== removing files"
printf '%s\n' "$entries" | while IFS= read -r line; do
    case $line in
    "file "*)
        path=${line#file }
        if [ -e "$path" ] || [ -L "$path" ]; then
            rm -f "$path"
            say "removed $path"
        fi
        ;;
    esac
done
printf '%s\n' "$entries" | sed -n 's/^dir //p' | tac | while IFS= read -r dir; do
    [ -d "$dir" ] || continue
    if rmdir "$dir" 2>/dev/null; then
        say "removed $dir/"
    else
        say "kept $dir/ (not empty)"
    fi
done
if [ "$units_changed" = 1 ]; then
    systemctl --user daemon-reload >/dev/null 2>&1 || true
    systemctl --user reset-failed feedz-agent.socket feedz-agent.service >/dev/null 2>&1 || true
fi

# The agent's runtime directory (socket, lock) goes with the agent. Its state (audit log and
# the record of the NuGet/npm entries login wrote) goes only with the tokens.
if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR/feedz-agent" ]; then
    rm -f "$XDG_RUNTIME_DIR/feedz-agent/agent.sock" "$XDG_RUNTIME_DIR/feedz-agent/agent.sock.lock" \
        "$XDG_RUNTIME_DIR/feedz-agent/agent.sock.start.lock"
    rmdir "$XDG_RUNTIME_DIR/feedz-agent" 2>/dev/null || true
fi
if [ "$tokens" = remove ]; then
    if [ -d "$state_home/feedz-agent" ]; then
        rm -rf "$state_home/feedz-agent"
        say "removed $state_home/feedz-agent/ (audit log, record of the configuration entries)"
    fi
else
    say "kept: the stored tokens, the NuGet/npm entries login wrote, and $state_home/feedz-agent/"
    say "      (install again and run feedz-agent logout --all to remove them)"
fi
say ""
say "feedz-agent is uninstalled."
