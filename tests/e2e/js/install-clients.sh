#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# install-clients.sh: the set-up of the JavaScript client tests (ctest fixture js_clients).
# Installs the pinned pnpm, yarn 1, yarn berry and bun (client-versions.sh) from the npm
# registry into $JS_CLIENTS_DIR (a directory of the build tree), one directory per client and
# version, and points $JS_CLIENTS_DIR/bin at them. A client already installed is reused, so
# only the first run downloads. Never installs globally and never writes to $HOME: npm runs
# with its cache under $JS_CLIENTS_DIR and an empty user config.
#
# yarn berry (@yarnpkg/cli-dist) is $JS_CLIENTS_DIR/bin/yarn-berry, as yarn 1 is yarn.
#
# Exit status: 0 ready, 1 failed (the registry cannot be reached, an install or a client is
# broken), 77 node or npm is missing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/client-versions.sh"
: "${JS_CLIENTS_DIR:?set JS_CLIENTS_DIR to the directory that caches the clients}"
registry=${JS_CLIENTS_REGISTRY:-https://registry.npmjs.org/}

die() {
    echo "install-clients.sh: $*" >&2
    exit 1
}

for tool in node npm; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        # The client tests cannot run either; with FEEDZ_TEST_NO_SKIP (CI) that is a failure.
        [ -z "${FEEDZ_TEST_NO_SKIP:-}" ] || die "$tool is not installed, and FEEDZ_TEST_NO_SKIP forbids skipping"
        echo "SKIP: install-clients.sh: $tool is not installed" >&2
        exit 77
    fi
done

mkdir -p "$JS_CLIENTS_DIR/bin" "$JS_CLIENTS_DIR/tmp"
JS_CLIENTS_DIR=$(cd "$JS_CLIENTS_DIR" && pwd)
: >"$JS_CLIENTS_DIR/userrc"
# An empty user config instead of ~/.npmrc; the machine's global config and CA settings stay,
# since they may be what reaches the registry (a proxy, a company CA).
export npm_config_userconfig=$JS_CLIENTS_DIR/userrc
export npm_config_cache=$JS_CLIENTS_DIR/npm-cache npm_config_registry=$registry
export npm_config_update_notifier=false npm_config_audit=false npm_config_fund=false
export npm_config_loglevel=warn TMPDIR=$JS_CLIENTS_DIR/tmp
unset NPM_CONFIG_USERCONFIG

# install NAME PACKAGE VERSION: PACKAGE@VERSION into $JS_CLIENTS_DIR/NAME-VERSION, unless there.
# A directory counts as installed only once its marker is written, after a complete install.
install() {
    local name=$1 package=$2 version=$3
    local dir=$JS_CLIENTS_DIR/$name-$version
    [ -f "$dir/.installed" ] && return 0
    echo "installing $package@$version into $dir"
    rm -rf "$dir"
    mkdir -p "$dir"
    # bun's postinstall links its platform binary (from @oven/bun-linux-x64) into place; npm 11
    # runs a dependency's install scripts only when allowScripts names it.
    printf '{"private":true,"dependencies":{"%s":"%s"},"allowScripts":{"%s@%s":true}}\n' \
        "$package" "$version" "$package" "$version" >"$dir/package.json"
    local log=$dir/npm-install.log
    if ! timeout 300 npm install --prefix "$dir" --no-package-lock --fetch-timeout=60000 --fetch-retries=1 \
        >"$log" 2>&1; then
        if grep -q -e ENOTFOUND -e ECONNREFUSED -e ETIMEDOUT -e EAI_AGAIN -e ECONNRESET "$log"; then
            die "cannot reach the npm registry $registry to install $package@$version (the JavaScript client tests need it; set JS_CLIENTS_REGISTRY for a mirror):
$(tail -n 5 "$log")"
        fi
        die "npm install $package@$version failed:
$(tail -n 20 "$log")"
    fi
    touch "$dir/.installed"
}

# check NAME COMMAND VERSION: COMMAND --version runs and prints VERSION.
check() {
    local printed
    printed=$("$JS_CLIENTS_DIR/bin/$2" --version 2>&1) || die "$2 --version failed: $printed"
    [ "$printed" = "$3" ] || die "$2 --version printed '$printed', not $3"
    echo "$1: $2 $printed"
}

link() {
    ln -sfn "../$1/node_modules/.bin/$2" "$JS_CLIENTS_DIR/bin/${3:-$2}"
}

install pnpm pnpm "$PNPM_VERSION"
install yarn1 yarn "$YARN1_VERSION"
install bun bun "$BUN_VERSION"
link "pnpm-$PNPM_VERSION" pnpm
link "pnpm-$PNPM_VERSION" pnpx
link "yarn1-$YARN1_VERSION" yarn
link "yarn1-$YARN1_VERSION" yarnpkg
link "bun-$BUN_VERSION" bun
link "bun-$BUN_VERSION" bunx
check pnpm pnpm "$PNPM_VERSION"
check "yarn 1" yarn "$YARN1_VERSION"
check bun bun "$BUN_VERSION"
install yarn-berry @yarnpkg/cli-dist "$YARN_BERRY_VERSION"
link "yarn-berry-$YARN_BERRY_VERSION" yarn yarn-berry
check "yarn berry" yarn-berry "$YARN_BERRY_VERSION"
