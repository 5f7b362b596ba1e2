#!/usr/bin/env bash
# installers/install.sh and uninstall.sh for one user, in a fresh HOME with a real keychain:
#   - install --build-dir: the three programs in ~/.local/bin (feedz-agent and nuget-plugin-feedz
#     resolve from PATH once it is added; install says how), the units (made from the same
#     templates as the .deb's; they pass systemd-analyze --user verify), bash completion that
#     knows every command and option `--help` lists (zsh and fish files too), a manifest;
#   - the agent a client starts runs from ~/.local/bin (feedz-agentd beside feedz-agent);
#   - installing again changes nothing;
#   - uninstall without a terminal or a choice removes nothing; --logout-all removes the token,
#     the NuGet/npm entries login wrote, the agent's state and every file install added: HOME
#     lists exactly as before the install; --keep-tokens (with --prefix) keeps the token, the
#     entries and the agent's state, and removes the rest.
source "$(dirname "$0")/../lib/testlib.sh"
INSTALLERS=$(cd "$(dirname "$0")/../../installers" && pwd)
BUILD_DIR=${FEEDZ_BUILD_DIR:-$(cd "$(dirname "$FEEDZ_AGENT")/.." && pwd)}
require_tool systemd-analyze "apt-get install systemd"
require_tool secret-tool "apt-get install libsecret-tools"
run_inside_test_keyring
use_throwaway_home
ORIGINAL_PATH=$PATH
BIN=$HOME/.local/bin
UNITS=$HOME/.config/systemd/user
COMPLETION=$HOME/.local/share/bash-completion/completions/feedz-agent
MANIFEST=$HOME/.local/share/feedz-agent/install-manifest

# Everything under HOME but the keychain's own files (gnome-keyring writes its keyring when the
# first item is stored, and keeps the file when the last one goes) and the runtime directory.
home_listing() {
    (cd "$HOME" && find . -mindepth 1 \( -path ./.local/share/keyrings -o -path ./run \) -prune \
        -o -printf '%y %m %p\n' | sort)
}
keychain_items() {
    secret-tool search --all xdg:schema io.feedz.Agent.Token 2>/dev/null | grep -c '^\[' || true
}

# The user's own files, which login adds to and logout must restore byte for byte.
printf '; my npm settings\nsave-exact=true\n' >"$HOME/.npmrc"
chmod 600 "$HOME/.npmrc"
cp "$HOME/.npmrc" "$TEST_ROOT/npmrc.original"
mkdir -p "$HOME/.nuget/NuGet"
cat >"$HOME/.nuget/NuGet/NuGet.Config" <<'XML'
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <!-- mine -->
  <packageSources>
    <add key="nuget.org" value="https://api.nuget.org/v3/index.json" protocolVersion="3" />
  </packageSources>
</configuration>
XML
cp "$HOME/.nuget/NuGet/NuGet.Config" "$TEST_ROOT/nuget.config.original"
BEFORE=$(home_listing)

step "install.sh --build-dir: programs, units, completion; it says how to put ~/.local/bin on PATH"
expect_success "$INSTALLERS/install.sh" --build-dir "$BUILD_DIR"
expect_contains "$OUT" "$BIN is not on your PATH"
expect_contains "$OUT" "export PATH=\"$BIN:\$PATH\""
expect_contains "$OUT" "no user manager reachable" # this test has no systemd user manager
for program in feedz-agent feedz-agentd feedz-agent-https nuget-plugin-feedz; do
    [ -x "$BIN/$program" ] || fail "$BIN/$program is not installed"
done
for file in "$UNITS/feedz-agent.socket" "$UNITS/feedz-agent.service" "$COMPLETION" "$MANIFEST"; do
    [ -f "$file" ] || fail "$file is not installed"
done

step "with ~/.local/bin on PATH, feedz-agent and nuget-plugin-feedz resolve from it"
export PATH="$BIN:$ORIGINAL_PATH"
expect_eq "$(command -v feedz-agent)" "$BIN/feedz-agent" "feedz-agent on PATH"
expect_eq "$(command -v nuget-plugin-feedz)" "$BIN/nuget-plugin-feedz" "nuget-plugin-feedz on PATH"
expect_success feedz-agent --version
expect_eq "$OUT" "$("$FEEDZ_AGENT" --version)" "the installed version"

step "the units: socket activation on the agent's socket path, the hardening options"
socket_unit=$(cat "$UNITS/feedz-agent.socket")
service_unit=$(cat "$UNITS/feedz-agent.service")
expect_contains "$socket_unit" "ListenStream=%t/feedz-agent/agent.sock" "feedz-agent.socket"
expect_contains "$socket_unit" "SocketMode=0600" "feedz-agent.socket"
expect_contains "$socket_unit" "DirectoryMode=0700" "feedz-agent.socket"
expect_contains "$socket_unit" "WantedBy=sockets.target" "feedz-agent.socket"
expect_contains "$service_unit" "ExecStart=$BIN/feedz-agent serve --foreground" "feedz-agent.service"
for option in LimitCORE=0 NoNewPrivileges=yes PrivateTmp=yes; do
    expect_contains "$service_unit" "$option" "feedz-agent.service"
done
# The .deb's units come from the same templates through configure_file: the same bytes but
# for the directory of the programs.
configured=$BUILD_DIR/installers/configured
if [ -f "$configured/feedz-agent.service" ]; then
    cmake_bindir=$(sed -n 's|^ExecStart=\(.*\)/feedz-agent serve --foreground$|\1|p' "$configured/feedz-agent.service")
    expect_eq "$(sed "s|$cmake_bindir/|$BIN/|" "$configured/feedz-agent.service")" "$service_unit" \
        "feedz-agent.service from install.sh and from CMake"
    cmp -s "$configured/feedz-agent.socket" "$UNITS/feedz-agent.socket" \
        || fail "feedz-agent.socket from install.sh differs from CMake's"
else
    fail "no units configured in $configured (installers/CMakeLists.txt)"
fi

step "systemd-analyze --user verify passes the units (and fails a broken one)"
# --user needs XDG_RUNTIME_DIR (for %t), not a running user manager.
run systemd-analyze --user verify "$UNITS/feedz-agent.socket" "$UNITS/feedz-agent.service"
[ "$STATUS" -eq 0 ] && [ -z "$OUT$ERR" ] || fail "systemd-analyze --user verify:
$OUT
$ERR"
mkdir -p "$TEST_ROOT/broken"
sed 's|^ExecStart=.*|ExecStart=/nonexistent/feedz-agent serve --foreground|; s|^NoNewPrivileges=yes|NoNewPrivileges=perhaps|' \
    "$UNITS/feedz-agent.service" >"$TEST_ROOT/broken/feedz-agent.service"
cp "$UNITS/feedz-agent.socket" "$TEST_ROOT/broken/"
run systemd-analyze --user verify "$TEST_ROOT/broken/feedz-agent.socket" "$TEST_ROOT/broken/feedz-agent.service"
[ "$STATUS" -ne 0 ] || fail "systemd-analyze --user verify passed a unit with a missing ExecStart"
expect_contains "$ERR" "Failed to parse boolean value" "systemd-analyze on a broken unit"
rm -r "$TEST_ROOT/broken"

step "bash completion: commands, options and their values"
complete_words() { # the completions bash offers for the words given (the last one is completed)
    bash -c 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _feedz_agent
             printf "%s\n" "${COMPREPLY[@]}"' sh "$COMPLETION" feedz-agent "$@" | sort -u | tr '\n' ' '
}
expect_eq "$(complete_words lo)" "login logout " "completion of 'lo'"
expect_eq "$(complete_words login --n)" "--name --no-nuget --no-verify --npm --npm-scope --nuget-pattern " \
    "completion of 'login --n'"
expect_eq "$(complete_words login --access r)" "read read-write " "completion of 'login --access r'"
expect_eq "$(complete_words login --npm "")" "exec none pnpm-helper userconfig " "completion of 'login --npm'"
expect_eq "$(complete_words login --yarn "")" "auto berry none " "completion of 'login --yarn'"
expect_eq "$(complete_words exec --feed x -- np)" "$(compgen -c -- np | sort -u | tr '\n' ' ')" \
    "completion of the command after 'exec --'"

step "every command and option of --help is in the bash, zsh and fish completion"
commands=$(feedz-agent --help | sed -n '/^commands:/,/^$/s/^  \([a-z]\{1,\}\) .*/\1/p')
[ -n "$commands" ] || fail "no commands in feedz-agent --help"
expect_eq "$(echo $commands)" "$(sed -n 's/^    local commands="\(.*\)"$/\1/p' "$COMPLETION")" \
    "the commands of the bash completion"
ZSH=$INSTALLERS/completion/_feedz-agent
FISH=$INSTALLERS/completion/feedz-agent.fish
for command in $commands; do
    # The options the command's --help names, and --help itself, which every command takes.
    help_options=$({ feedz-agent "$command" --help | grep -o -- '--[a-z][a-z-]*'; echo --help; } \
        | sort -u | tr '\n' ' ')
    bash_options=$(bash -c 'source "$1"; _feedz_agent_options "$2"' sh "$COMPLETION" "$command" \
        | tr -s ' \n' '\n\n' | sed '/^$/d' | sort -u | tr '\n' ' ')
    expect_eq "$bash_options" "$help_options" "bash completion of '$command' against its --help"
    grep -q "'$command:" "$ZSH" || fail "zsh completion lacks the command $command"
    grep -q -- "-a $command " "$FISH" || fail "fish completion lacks the command $command"
    zsh_branch=$(awk -v c="$command" '
        /^    [a-z |]+\)$/ { n = split(substr($0, 5, length($0) - 5), names, / \| /); inside = 0
                             for (i = 1; i <= n; i++) if (names[i] == c) inside = 1 }
        inside { print } /^        ;;$/ { inside = 0 }' "$ZSH")
    for option in $help_options; do
        [ "$option" = --help ] && continue
        expect_contains "$zsh_branch" "$option[" "zsh completion of '$command'"
        grep -E -q -- "__fish_seen_subcommand_from [a-z ]*\\b$command\\b.* -l ${option#--}( |$)" "$FISH" \
            || fail "fish completion of '$command' lacks $option"
    done
done

step "login through the installed programs: the agent runs from ~/.local/bin"
TOKEN=$(new_token)
run sh -c 'printf "%s" "$1" | feedz-agent login --pat-stdin --feed https://f.feedz.io/acme/pkgs/ --no-verify' \
    sh "$TOKEN"
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$(cat "$HOME/.npmrc")" "//f.feedz.io/acme/pkgs/npm/:_auth=" "~/.npmrc after login"
expect_contains "$(cat "$HOME/.nuget/NuGet/NuGet.Config")" "https://f.feedz.io/acme/pkgs/nuget/index.json" \
    "NuGet.Config after login"
expect_eq "$(keychain_items)" 1 "keychain items after login"
agent_running || fail "no agent runs after login"
agent_pid=$(cat "$AGENT_SOCKET.lock")
expect_eq "$(readlink "/proc/$agent_pid/exe")" "$BIN/feedz-agentd" "the agent's executable"

step "install.sh again changes nothing"
listing=$(home_listing)
sums=$(cd "$HOME" && sha256sum .local/bin/* .config/systemd/user/* "${COMPLETION#"$HOME/"}" "${MANIFEST#"$HOME/"}")
expect_success "$INSTALLERS/install.sh" --build-dir "$BUILD_DIR"
expect_not_contains "$OUT" "is not on your PATH"
expect_eq "$(home_listing)" "$listing" "HOME after the second install"
expect_eq "$(cd "$HOME" && sha256sum .local/bin/* .config/systemd/user/* "${COMPLETION#"$HOME/"}" "${MANIFEST#"$HOME/"}")" \
    "$sums" "the installed files after the second install"
expect_success feedz-agent list
expect_contains "$OUT" "acme/pkgs"

step "uninstall.sh with no terminal and no choice removes nothing"
expect_exit 1 "$INSTALLERS/uninstall.sh" </dev/null
expect_contains "$ERR" "--logout-all"
expect_contains "$ERR" "--keep-tokens"
[ -x "$BIN/feedz-agent" ] || fail "uninstall without a choice removed feedz-agent"
expect_eq "$(keychain_items)" 1 "keychain items after uninstall without a choice"
expect_exit 2 "$INSTALLERS/uninstall.sh" --bogus

step "uninstall.sh --logout-all: no token, no entry, no agent, and HOME as before the install"
expect_success "$INSTALLERS/uninstall.sh" --logout-all
expect_eq "$(keychain_items)" 0 "keychain items after uninstall --logout-all"
agent_running && fail "the agent still runs after uninstall"
# (it has released its lock; wait until its parent has reaped it, too)
for _ in $(seq 50); do kill -0 "$agent_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$agent_pid" 2>/dev/null && fail "the agent (pid $agent_pid) still runs after uninstall"
cmp -s "$HOME/.npmrc" "$TEST_ROOT/npmrc.original" || fail "~/.npmrc is not as it was: $(cat -A "$HOME/.npmrc")"
cmp -s "$HOME/.nuget/NuGet/NuGet.Config" "$TEST_ROOT/nuget.config.original" \
    || fail "NuGet.Config is not as it was: $(cat -A "$HOME/.nuget/NuGet/NuGet.Config")"
after=$(home_listing)
[ "$after" = "$BEFORE" ] || fail "HOME differs from before the install:
$(diff <(echo "$BEFORE") <(echo "$after"))"
hash -r
command -v feedz-agent >/dev/null && fail "feedz-agent is still on PATH: $(command -v feedz-agent)"

step "install --prefix, login, uninstall --keep-tokens: the token, its entries and state stay"
PREFIX=$HOME/opt/feedz
expect_success "$INSTALLERS/install.sh" --build-dir "$BUILD_DIR" --prefix "$PREFIX"
expect_contains "$(cat "$UNITS/feedz-agent.service")" "ExecStart=$PREFIX/bin/feedz-agent serve --foreground"
export PATH="$PREFIX/bin:$ORIGINAL_PATH"
run sh -c 'printf "%s" "$1" | feedz-agent login --pat-stdin --feed https://f.feedz.io/acme/pkgs/ --no-verify' \
    sh "$TOKEN"
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
npmrc_with_token=$(cat "$HOME/.npmrc")
expect_success "$INSTALLERS/uninstall.sh" --keep-tokens
expect_contains "$OUT" "kept: the stored tokens"
expect_eq "$(keychain_items)" 1 "keychain items after uninstall --keep-tokens"
expect_eq "$(cat "$HOME/.npmrc")" "$npmrc_with_token" "~/.npmrc after uninstall --keep-tokens"
[ -f "$XDG_STATE_HOME/feedz-agent/managed.json" ] || fail "uninstall --keep-tokens removed the agent's state"
for gone in "$PREFIX" "$HOME/opt" "$UNITS/feedz-agent.service" "$COMPLETION" "$MANIFEST"; do
    [ -e "$gone" ] && fail "$gone is left after uninstall --keep-tokens"
done
agent_running && fail "the agent still runs after uninstall --keep-tokens"
# A second uninstall is not an error: there is nothing left to remove, and it says so.
expect_exit 0 "$INSTALLERS/uninstall.sh" --keep-tokens
expect_contains "$OUT" "nothing to remove"

expect_secret_nowhere "$TOKEN" "$HOME/.local" "$HOME/.config" "$XDG_STATE_HOME"
echo "PASS: $TEST_NAME"
