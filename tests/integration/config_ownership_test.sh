#!/usr/bin/env bash
# A NuGet.Config (or ~/.npmrc) that login created belongs to every token that wrote into it:
# it goes with the last logout, in whichever order the tokens are logged out.
source "$(dirname "$0")/../lib/testlib.sh"
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS NPM_CONFIG_USERCONFIG npm_config_userconfig
export FEEDZ_AGENT_STORE=memory
CONFIG="$HOME/.nuget/NuGet/NuGet.Config"
NPMRC="$HOME/.npmrc"

login_feed() {
    run sh -c 't=$1; shift; printf "%s" "$t" | "$FEEDZ_AGENT" login --pat-stdin "$@"' \
        sh "$(new_token)" --no-verify "$@"
    [ "$STATUS" -eq 0 ] || fail "login $* failed: $ERR"
}

for order in "first second" "second first"; do
    step "two tokens share the files login created; logout $order"
    login_feed --feed acme/first --name first
    login_feed --feed acme/second --name second
    [ -e "$CONFIG" ] || fail "login created no NuGet.Config"
    [ -e "$NPMRC" ] || fail "login created no ~/.npmrc"
    for name in $order; do
        expect_success "$FEEDZ_AGENT" logout "$name"
    done
    [ ! -e "$CONFIG" ] || fail "NuGet.Config stayed after logout $order: $(cat "$CONFIG")"
    [ ! -e "$HOME/.nuget" ] || fail "~/.nuget stayed after logout $order"
    [ ! -e "$NPMRC" ] || fail "~/.npmrc stayed after logout $order"
done
echo "PASS"
