#!/usr/bin/env bash
# Something other than a regular file where NuGet.Config or ~/.npmrc belongs (a FIFO, a symlink
# to /dev/zero, a file of gigabytes): login and logout refuse it at once with a clear error
# instead of hanging or reading until memory runs out, and keep the token.
source "$(dirname "$0")/../lib/testlib.sh"
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS NPM_CONFIG_USERCONFIG npm_config_userconfig
export FEEDZ_AGENT_STORE=memory
TOKEN=$(new_token)
CONFIG="$HOME/.nuget/NuGet/NuGet.Config"
NPMRC="$HOME/.npmrc"
mkdir -p "$(dirname "$CONFIG")"

# login, given up after 30 s (exit 124) should it wait on the file.
login_bounded() {
    run timeout 30 sh -c 't=$1; shift; printf "%s" "$t" | "$FEEDZ_AGENT" login --pat-stdin "$@"' \
        sh "$TOKEN" --feed acme/pkgs --no-verify "$@"
}

step "a FIFO as NuGet.Config"
mkfifo "$CONFIG"
login_bounded --npm none
expect_eq "$STATUS" 1 "exit code"
expect_contains "$ERR" "$CONFIG is not a regular file (a FIFO)"
expect_contains "$ERR" "--no-nuget"
expect_contains "$ERR" "the token is stored"
rm "$CONFIG"

step "a FIFO as ~/.npmrc"
mkfifo "$NPMRC"
login_bounded --no-nuget
expect_eq "$STATUS" 1 "exit code"
expect_contains "$ERR" "$NPMRC is not a regular file (a FIFO)"
rm "$NPMRC"

step "~/.npmrc a symlink to /dev/zero"
ln -s /dev/zero "$NPMRC"
login_bounded --no-nuget
expect_eq "$STATUS" 1 "exit code"
expect_contains "$ERR" "/dev/zero is not a regular file (a device)"
rm "$NPMRC"

step "a NuGet.Config over 16 MiB"
truncate -s 17M "$CONFIG"
login_bounded --npm none
expect_eq "$STATUS" 1 "exit code"
expect_contains "$ERR" "$CONFIG is larger than 16 MiB"
rm "$CONFIG"

step "logout of a login whose NuGet.Config became a FIFO"
login_bounded --npm none
expect_eq "$STATUS" 0 "exit code"
mv "$CONFIG" "$TEST_ROOT/saved.config"
mkfifo "$CONFIG"
run timeout 30 "$FEEDZ_AGENT" logout acme/pkgs
expect_eq "$STATUS" 1 "exit code"
expect_contains "$ERR" "is not a regular file (a FIFO)"
echo "PASS"
