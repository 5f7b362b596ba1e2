#!/bin/sh
# demo.sh: the main job on a fresh Debian 12 machine, with nothing of yours touched. Installs
# what is missing, builds, then, in a throwaway HOME with a throwaway keyring (a real
# gnome-keyring on a private D-Bus), stores a token with `feedz-agent login`, lists it, shows
# the agent handing it out, and removes it. Nothing is left running or on disk afterwards.
#   BUILD_DIR  build directory (default: build)
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
build_dir=${BUILD_DIR:-$top/build}

if [ -z "${FEEDZ_DEMO_INSIDE:-}" ]; then
    echo "== installing what is missing and building"
    "$top/installers/install-build-deps.sh" --tests
    cmake -S "$top" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
    cmake --build "$build_dir" -j"$(nproc)" --target feedz-agent feedz-agent-probe >/dev/null
    demo_home=$(mktemp -d "${TMPDIR:-/tmp}/feedz-demo.XXXXXX")
    trap 'rm -rf "$demo_home"' EXIT
    echo "== a throwaway HOME and keyring in $demo_home"
    FEEDZ_DEMO_INSIDE=1 BUILD_DIR="$build_dir" KEYRING_HOME="$demo_home" \
        "$top/tests/lib/with-test-keyring.sh" sh "$0" 2>&1 | grep -v 'Failed to set fd limit'
    exit 0
fi

agent="$build_dir/agent/feedz-agent"
probe="$build_dir/tests/support/feedz-agent-probe"
token="T-$(head -c 64 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' | head -c 40)"
say() { printf '\n$ %s\n' "$*"; }

say "feedz-agent --version"
"$agent" --version
say "printf '%s' \"\$TOKEN\" | feedz-agent login --pat-stdin --feed acme/packages --access read --no-verify --no-nuget"
printf '%s' "$token" | "$agent" login --pat-stdin --feed acme/packages --access read --no-verify --no-nuget
say "feedz-agent list"
"$agent" list
say "secret-tool search name acme/packages   # the keychain holds it, with its metadata"
secret-tool search name acme/packages 2>&1 | grep -E '^(label|attribute)'
say "(a shim asks the agent) get https://f.feedz.io/acme/packages/nuget/index.json"
"$probe" get https://f.feedz.io/acme/packages/nuget/index.json read
say "feedz-agent disable acme/packages && (get again)"
"$agent" disable acme/packages
"$probe" get https://f.feedz.io/acme/packages/nuget/index.json read || true
say "feedz-agent logout acme/packages"
"$agent" logout acme/packages
say "feedz-agent list"
"$agent" list
say "tail -n 3 ~/.local/state/feedz-agent/audit.log   # who asked for what; never the token"
tail -n 3 "$XDG_STATE_HOME/feedz-agent/audit.log"
say "feedz-agent stop"
"$agent" stop
