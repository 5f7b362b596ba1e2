#!/bin/sh
# install-build-deps.sh [--tests]: installs what building feedz-agent needs on Debian 12 (and,
# with --tests, what its tests need: clang and its runtime for the fuzzers, and ccache, so that
# the test of the README's commands builds its copy of the checkout from the cache), with
# apt-get. Packages already installed are skipped, so it is quick to run again. Uses sudo when
# not root.
set -eu

build_packages="build-essential cmake pkg-config libpoco-dev libsecret-1-dev nlohmann-json3-dev
libssl-dev catch2"
test_packages="gnome-keyring libsecret-tools dbus dbus-daemon dbus-user-session libglib2.0-bin jq
curl zip unzip openssl ca-certificates util-linux systemd python3 git ccache clang-14 libclang-rt-14-dev"

packages=$build_packages
if [ "${1:-}" = "--tests" ]; then
    packages="$packages $test_packages"
    # npm for the demo and the npm tests, from Debian when there is none at all (a newer one,
    # as from NodeSource, is kept: Debian's npm package would replace it). pnpm, yarn 1 and bun
    # are not apt packages: the test e2e.js.clients_setup installs the pinned ones with this npm
    # from the npm registry into the build tree.
    if ! command -v npm >/dev/null 2>&1; then
        packages="$packages nodejs npm"
    fi
fi

missing=""
for package in $packages; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $package"
    fi
done
if [ -z "$missing" ]; then
    exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null || { echo "need root or sudo to install:$missing" >&2; exit 1; }
    sudo=sudo
fi
echo "installing:$missing"
$sudo apt-get update -qq
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
