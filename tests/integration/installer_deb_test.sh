#!/usr/bin/env bash
# The .deb: `cpack -G DEB` from the build directory, then the real dpkg -i / dpkg -r.
#   - the package: name feedz-agent, installs to /usr, Depends from dpkg-shlibdeps (libsecret,
#     Poco, OpenSSL), the three programs, the user units (ExecStart=/usr/bin/feedz-agent) in
#     /usr/lib/systemd/user with the socket enabled for every user, completion, docs;
#   - dpkg -i installs it (its dependencies are satisfied here); /usr/bin/feedz-agent --version
#     works, nuget-plugin-feedz is on PATH, the units pass systemd-analyze --user verify;
#   - dpkg -r removes every file dpkg -L listed, and leaves /usr and /etc as they were.
# dpkg runs against this machine's own dpkg database and /usr, /etc and /var, through overlays
# in a private mount namespace: the real thing, seen by no other process, and gone with the
# namespace even if the test dies (so tests running beside it never see /usr/bin/feedz-agent).
# Needs root (CI runs as root) for the namespace; with FEEDZ_DEB_TEST_SYSTEM=1 and no way to
# make one it uses the real system (a throwaway machine), with dpkg -r on every exit.
source "$(dirname "$0")/../lib/testlib.sh"
BUILD_DIR=${FEEDZ_BUILD_DIR:-$(cd "$(dirname "$FEEDZ_AGENT")/.." && pwd)}
require_tool cpack "apt-get install cmake"
require_tool dpkg-deb
require_tool dpkg-shlibdeps "apt-get install dpkg-dev"
require_tool systemd-analyze "apt-get install systemd"
use_throwaway_home

if [ -z "${FEEDZ_DEB_TEST_INSIDE:-}" ]; then
    [ -f "$BUILD_DIR/CPackConfig.cmake" ] || fail "no CPackConfig.cmake in $BUILD_DIR (installers/CMakeLists.txt)"

    step "cpack -G DEB from the build directory"
    started=$(date +%s)
    expect_success cpack -G DEB --config "$BUILD_DIR/CPackConfig.cmake" -B "$TEST_ROOT/package"
    DEB=$(ls "$TEST_ROOT"/package/feedz-agent_*.deb 2>/dev/null | head -n 1)
    [ -n "$DEB" ] || fail "cpack made no feedz-agent_*.deb:
$OUT"
    echo "built $(basename "$DEB") ($(du -k "$DEB" | cut -f1) KiB) in $(($(date +%s) - started)) s"

    step "the control fields: name, version, architecture, maintainer, section, dependencies"
    field() { dpkg-deb -f "$DEB" "$1"; }
    expect_eq "$(field Package)" feedz-agent "Package"
    expect_eq "$(field Version)" "$("$FEEDZ_AGENT" --version | sed 's/^feedz-agent //')" "Version"
    expect_eq "$(field Architecture)" "$(dpkg --print-architecture)" "Architecture"
    expect_eq "$(field Section)" utils "Section"
    [ -n "$(field Maintainer)" ] || fail "no Maintainer"
    [ -n "$(field Description)" ] || fail "no Description"
    depends=$(field Depends)
    for library in libsecret-1-0 libpoconet libpoconetssl libpocofoundation libssl3 libc6 libstdc++6; do
        expect_contains "$depends" "$library" "Depends"
    done

    step "the files: programs in /usr/bin, units in /usr/lib/systemd/user, completion, docs"
    contents=$(dpkg-deb -c "$DEB")
    for path in ./usr/bin/feedz-agent ./usr/bin/feedz-agentd ./usr/bin/feedz-agent-https ./usr/bin/nuget-plugin-feedz \
        ./usr/lib/systemd/user/feedz-agent.socket ./usr/lib/systemd/user/feedz-agent.service \
        "./usr/lib/systemd/user/sockets.target.wants/feedz-agent.socket -> ../feedz-agent.socket" \
        ./usr/share/bash-completion/completions/feedz-agent ./usr/share/zsh/vendor-completions/_feedz-agent \
        ./usr/share/fish/vendor_completions.d/feedz-agent.fish ./usr/share/doc/feedz-agent/README.md; do
        expect_contains "$contents" "$path" "the package's files"
    done
    expect_not_contains "$contents" "./usr/local" "the package's files"
    expect_not_contains "$contents" "test" "the package's files"
    mkdir "$TEST_ROOT/unpacked"
    dpkg-deb -x "$DEB" "$TEST_ROOT/unpacked"
    expect_contains "$(cat "$TEST_ROOT/unpacked/usr/lib/systemd/user/feedz-agent.service")" \
        "ExecStart=/usr/bin/feedz-agent serve --foreground" "the package's feedz-agent.service"
    file_type=$(file -b "$TEST_ROOT/unpacked/usr/bin/feedz-agentd" 2>/dev/null || echo "")
    [ -z "$file_type" ] || expect_contains "$file_type" "stripped" "feedz-agentd"
    expect_not_contains "$file_type" "not stripped" "feedz-agentd"

    # The rest runs in a private mount namespace with overlays on /usr, /etc and /var.
    if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null \
        && unshare -m --propagation private true 2>/dev/null; then
        step "dpkg -i / dpkg -r in a private mount namespace over this machine's /usr, /etc, /var"
        mkdir -p "$TEST_ROOT/overlay"
        run unshare -m --propagation private env FEEDZ_DEB_TEST_INSIDE=overlay DEB="$DEB" \
            OVERLAY="$TEST_ROOT/overlay" bash "$0"
    elif [ -n "${FEEDZ_DEB_TEST_SYSTEM:-}" ] && [ "$(id -u)" -eq 0 ]; then
        step "dpkg -i / dpkg -r on this machine (FEEDZ_DEB_TEST_SYSTEM)"
        run env FEEDZ_DEB_TEST_INSIDE=system DEB="$DEB" bash "$0"
    else
        skip "dpkg -i needs root and a private mount namespace (unshare -m), or FEEDZ_DEB_TEST_SYSTEM=1 as root on a throwaway machine"
    fi
    echo "$OUT"
    [ "$STATUS" -eq 0 ] || fail "dpkg -i / dpkg -r (exit $STATUS):
$ERR"
    echo "PASS: $TEST_NAME"
    exit 0
fi

# --- inside: install, use, remove ---
if [ "$FEEDZ_DEB_TEST_INSIDE" = overlay ]; then
    for dir in usr etc var; do
        mkdir -p "$OVERLAY/upper/$dir" "$OVERLAY/work/$dir"
        mount -t overlay overlay \
            -o "lowerdir=/$dir,upperdir=$OVERLAY/upper/$dir,workdir=$OVERLAY/work/$dir" "/$dir" \
            || fail "cannot mount an overlay on /$dir"
    done
else
    trap 'dpkg -r feedz-agent >/dev/null 2>&1 || true; finish' EXIT
fi
dpkg-query -W -f='${Status}' feedz-agent 2>/dev/null | grep -q "install ok installed" \
    && fail "feedz-agent is installed on this machine already; the test would remove it"

# What dpkg -r must leave as it was: the directories the package installs into.
watched="/usr/bin /usr/lib/systemd /usr/share/bash-completion /usr/share/zsh /usr/share/fish /usr/share/doc /etc/systemd"
listing() { find $watched -printf '%y %m %p\n' 2>/dev/null | sort; }
before=$(listing)

step "dpkg -i"
expect_success dpkg -i "$DEB"
expect_eq "$(dpkg-query -W -f='${Status}' feedz-agent)" "install ok installed" "the package's status"

step "/usr/bin/feedz-agent --version, nuget-plugin-feedz on PATH, the units verify"
expect_success /usr/bin/feedz-agent --version
expect_eq "$OUT" "$("$FEEDZ_AGENT" --version)" "/usr/bin/feedz-agent --version"
expect_eq "$(PATH=/usr/bin:/bin command -v nuget-plugin-feedz)" /usr/bin/nuget-plugin-feedz "nuget-plugin-feedz on PATH"
[ -x /usr/bin/feedz-agentd ] || fail "/usr/bin/feedz-agentd is not executable"
run systemd-analyze --user verify /usr/lib/systemd/user/feedz-agent.socket /usr/lib/systemd/user/feedz-agent.service
[ "$STATUS" -eq 0 ] && [ -z "$OUT$ERR" ] || fail "systemd-analyze --user verify:
$OUT
$ERR"
# The agent from the package: started on demand, it runs /usr/bin/feedz-agentd.
expect_success env FEEDZ_AGENT_STORE=memory /usr/bin/feedz-agent serve
expect_eq "$(readlink "/proc/$(cat "$AGENT_SOCKET.lock")/exe")" /usr/bin/feedz-agentd "the agent's executable"
expect_success /usr/bin/feedz-agent stop

step "dpkg -r removes every file it installed, and nothing else"
files=$(dpkg -L feedz-agent)
expect_contains "$files" /usr/bin/feedz-agent "dpkg -L"
expect_success dpkg -r feedz-agent
# Gone from dpkg's database, or known only as not installed (no conffiles, no scripts).
status=$(dpkg-query -W -f='${Status}' feedz-agent 2>/dev/null || true)
case $status in "" | *" not-installed") ;; *) fail "the package's status after dpkg -r: $status" ;; esac
while IFS= read -r path; do
    [ -d "$path" ] && [ ! -L "$path" ] && continue
    if [ -e "$path" ] || [ -L "$path" ]; then
        fail "$path is left after dpkg -r"
    fi
done <<<"$files"
after=$(listing)
[ "$after" = "$before" ] || fail "dpkg -r left these differences:
$(diff <(echo "$before") <(echo "$after"))"
echo "dpkg -i, --version, dpkg -r: ok"
