#!/usr/bin/env bash
# The README's commands, as a newcomer runs them, on one fresh checkout: each works after any
# other and when run again. The checkout is a copy of this one's files (what git tracks, plus
# new files not ignored) with no build directory, in a throwaway HOME and keyring; the commands
# build in its default build/, as they would for a user.
#
# Orders: the README's (deps, install, demo, tests, .deb, uninstall), then each command again
# after another predecessor (uninstall with nothing installed, the .deb before install, tests
# right after install, install twice, uninstall twice in a row). The tests are run as `run-all.sh -L
# unit`: the same script and code path, without running this test inside itself.
source "$(dirname "$0")/../lib/testlib.sh"
TOP=$(cd "$(dirname "$0")/../.." && pwd)
require_tool git
require_tool cmake
require_tool cpack
require_tool dotnet "the .NET 10 SDK, for the demo"
require_tool npm "npm 11, for the demo"
require_tool gnome-keyring-daemon
# The copy lives in this build directory, under the parent of the source tree that CMakeLists.txt
# gives ccache as its base: the copy's compiles hit the cache the main build filled. The
# throwaway HOME would hide that cache, so its directory is named here.
: "${FEEDZ_BUILD_DIR:?set FEEDZ_BUILD_DIR to the build directory (ctest does)}"
if command -v ccache >/dev/null 2>&1; then
    CCACHE_DIR=$(ccache --get-config cache_dir)
    export CCACHE_DIR
fi
run_inside_test_keyring "$@"
use_throwaway_home

checkout=$(mktemp -d "$FEEDZ_BUILD_DIR/readme-sequence.XXXXXX")
add_cleanup "rm -rf '$checkout'"
(cd "$TOP" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done \
    | tar --null -T - -cf -) | tar -xf - -C "$checkout"
[ -x "$checkout/installers/install.sh" ] || fail "the copy of the checkout has no installers/install.sh"
[ ! -e "$checkout/build" ] || fail "the copy of the checkout has a build directory already"
cd "$checkout"
unset BUILD_DIR
export FEEDZ_DEMO_STRICT=1 # the demo's npm and dotnet steps must run, not be skipped

# command NAME: one README command, run in the checkout; fails the test unless it exits 0.
readme_command() {
    local name=$1
    local started=$SECONDS
    case $name in
    deps) run installers/install-build-deps.sh ;;
    install) run installers/install.sh ;;
    demo) run installers/demo.sh ;;
    tests) run tests/run-all.sh -L unit ;;
    deb) run sh -c 'installers/build.sh && (cd build && cpack -G DEB)' ;;
    uninstall) run installers/uninstall.sh --logout-all ;;
    *) fail "no README command is called $name" ;;
    esac
    echo "    $name: exit $STATUS after $((SECONDS - started)) s"
    [ "$STATUS" -eq 0 ] || fail "'$name' failed (exit $STATUS) after: ${DONE:-nothing}
stdout: $(printf '%s\n' "$OUT" | tail -n 30)
stderr: $(printf '%s\n' "$ERR" | tail -n 30)"
    DONE="${DONE:-}${DONE:+, }$name"
}

installed() {
    [ -x "$HOME/.local/bin/feedz-agent" ] && [ -f "$XDG_DATA_HOME/feedz-agent/install-manifest" ]
}

step "in the README's order"
for name in deps install demo tests deb uninstall; do
    readme_command "$name"
    case $name in
    install) installed || fail "install.sh did not install feedz-agent" ;;
    tests) expect_contains "$(printf '%s\n' "$OUT" | tail -n 4)" "tests passed, 0 tests failed out of" \
        "the last lines of run-all.sh" ;;
    deb) ls build/feedz-agent_*.deb >/dev/null 2>&1 || fail "cpack made no .deb in build/" ;;
    uninstall) installed && fail "uninstall.sh left feedz-agent installed" ;;
    esac
done

step "each again, after other commands"
for name in uninstall deps deb install tests demo install uninstall uninstall; do
    readme_command "$name"
done
installed && fail "feedz-agent is still installed after the last uninstall"
expect_contains "$OUT" "nothing to remove" "the output of the second uninstall in a row"

step "nothing named like a NuGet plugin but the plugin in the checkout's build tree"
stray=$(find build -type f -name 'nuget-plugin-*' ! -name nuget-plugin-feedz)
[ -z "$stray" ] || fail "dotnet would run these as plugins: $stray"

echo "PASS: $TEST_NAME"
