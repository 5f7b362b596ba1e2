#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# CI mode: no keychain, no D-Bus, no agent; tokens only in FEEDZ_CREDENTIALS. The real
# `dotnet restore` of a project that needs two feeds gets each feed's own token from
# nuget-plugin-feedz, no agent is started, and a token the feed refuses is reported by prefix
# with the fix for CI. The tokens end up in no file and no output.
#
# The two feeds are on different hosts (127.0.0.1 and localhost): within one process NuGet
# reuses credentials for every source on the same scheme and host, so only different hosts show
# which token the plugin chose for which feed.
source "$(dirname "$0")/lib.sh"
require_dotnet
use_throwaway_home
e2e_setup
unset DBUS_SESSION_BUS_ADDRESS FEEDZ_AGENT_STORE
start_test_feed --revocation-delay 1
feed_admin repo create acme/one
feed_admin repo create acme/two
feed_nuget_package acme/one Feedz.One 1.0.0
feed_nuget_package acme/two Feedz.Two 2.0.0
feed_token TOKEN_ONE ci-one read
feed_token TOKEN_TWO ci-two read
ROOT_ONE=https://127.0.0.1:$FEED_PORT/acme/one/
ROOT_TWO=https://localhost:$FEED_PORT/acme/two/
write_nuget_config "${ROOT_ONE}nuget/index.json" "${ROOT_TWO}nuget/index.json"
export FEEDZ_CREDENTIALS="[{\"feed\":\"$ROOT_ONE\",\"token\":\"$TOKEN_ONE\"},{\"feed\":\"$ROOT_TWO\",\"token\":\"$TOKEN_TWO\",\"access\":\"read\"}]"

step "restore with two feeds, each with its own token from FEEDZ_CREDENTIALS"
make_project "$HOME/app" Feedz.One 1.0.0 Feedz.Two 2.0.0
mark=$(log_mark)
NUGET_PACKAGES_DIR=$HOME/packages-1 restore "$HOME/app"
[ "$STATUS" -eq 0 ] || fail "restore failed:
$OUT
$ERR"
requests=$(log_since "$mark")
expect_contains "$requests" "\"path\":\"/acme/one/nuget/v3-flatcontainer/feedz.one/1.0.0/feedz.one.1.0.0.nupkg\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${TOKEN_ONE:0:7}\",\"status\":200" "feed log"
expect_contains "$requests" "\"path\":\"/acme/two/nuget/v3-flatcontainer/feedz.two/2.0.0/feedz.two.2.0.0.nupkg\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${TOKEN_TWO:0:7}\",\"status\":200" "feed log"
expect_not_contains "$(grep '"path":"/acme/one/' <<<"$requests")" "${TOKEN_TWO:0:7}" "requests to feed one"
expect_not_contains "$(grep '"path":"/acme/two/' <<<"$requests")" "${TOKEN_ONE:0:7}" "requests to feed two"

step "no agent was started, nothing was written for one"
[ ! -e "$AGENT_SOCKET" ] || fail "an agent socket exists: $AGENT_SOCKET"
[ ! -e "$XDG_STATE_HOME/feedz-agent" ] || fail "the agent's state directory was created"

step "a token the feed refuses: NotFound, and the warning says to fix FEEDZ_CREDENTIALS"
feed_admin token deactivate "${TOKEN_ONE:0:7}"
sleep 1.5 # the feed's revocation delay
NUGET_PACKAGES_DIR=$HOME/packages-2 restore "$HOME/app"
[ "$STATUS" -ne 0 ] || fail "restore succeeded with a deactivated token"
expect_contains "$OUT" "401 (Unauthorized" "restore output"
expect_contains "$OUT" "the feed rejected token 'FEEDZ_CREDENTIALS[0]' (${TOKEN_ONE:0:7}" "restore output"
expect_contains "$OUT" "replace it in FEEDZ_PAT/FEEDZ_CREDENTIALS" "restore output"

step "a malformed FEEDZ_CREDENTIALS is reported, without quoting it"
FEEDZ_CREDENTIALS="[{\"feed\":\"$ROOT_ONE\",\"token\":\"$TOKEN_TWO\"" \
    NUGET_PACKAGES_DIR=$HOME/packages-3 restore "$HOME/app"
[ "$STATUS" -ne 0 ] || fail "restore succeeded with a malformed FEEDZ_CREDENTIALS"
expect_contains "$OUT" "FEEDZ_CREDENTIALS is not a JSON list" "restore output"

step "the tokens are in no file and no output"
expect_no_dotnet_left
expect_secret_nowhere "$TOKEN_ONE" "$HOME"
expect_secret_nowhere "$TOKEN_TWO" "$HOME"
echo "PASS"
