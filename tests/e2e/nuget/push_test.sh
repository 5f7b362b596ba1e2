#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `dotnet nuget push` through nuget-plugin-feedz, without an API key. NuGet does not tell a
# credential provider whether it restores or pushes, so the plugin first offers the Read token
# (least privilege); the feed answers the PUT with 403, NuGet asks again with IsRetry, and the
# plugin offers the Read/Write token, which publishes. With only a Read token the push fails and
# the output names the access level needed. The agent keeps the tokens in memory (no D-Bus).
source "$(dirname "$0")/lib.sh"
require_dotnet
use_throwaway_home
e2e_setup
unset DBUS_SESSION_BUS_ADDRESS
export FEEDZ_AGENT_STORE=memory
start_test_feed --revocation-delay 1
feed_admin repo create acme/private
feed_token READ dev read
feed_token WRITE ci read-write
ROOT=${FEED_URL}acme/private/
write_nuget_config "${ROOT}nuget/index.json"
for version in 1.0.0 1.1.0; do
    "$FEEDZ_TEST_FEED" pack nupkg Feedz.Push "$version" "$HOME/out" >/dev/null \
        || fail "cannot make the package"
done

step "a Read and a Read/Write token for the feed"
login_with "$READ" --feed "$ROOT" --access read --name dev
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
login_with "$WRITE" --feed "$ROOT" --access read-write --name ci
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"

step "push: Read is refused with 403, the plugin escalates to Read/Write"
mark=$(log_mark)
run_dotnet "$HOME" nuget push "$HOME/out/Feedz.Push.1.0.0.nupkg" --source feed1
[ "$STATUS" -eq 0 ] || fail "push failed:
$OUT
$ERR"
expect_contains "$OUT" "Your package was pushed" "push output"
requests=$(log_since "$mark")
expect_contains "$requests" "\"method\":\"PUT\",\"path\":\"/acme/private/nuget/api/v2/package/\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${READ:0:7}\",\"status\":403" "feed log"
expect_contains "$requests" "\"method\":\"PUT\",\"path\":\"/acme/private/nuget/api/v2/package/\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${WRITE:0:7}\",\"status\":201" "feed log"

step "push with only a Read token fails and names the access level needed"
expect_success "$FEEDZ_AGENT" logout ci
run_dotnet "$HOME" nuget push "$HOME/out/Feedz.Push.1.1.0.nupkg" --source feed1
[ "$STATUS" -ne 0 ] || fail "push with a Read token succeeded"
expect_contains "$OUT$ERR" "403" "push output"
expect_contains "$OUT$ERR" "publishing needs Read/Write; 'dev' is Read" "push output"
expect_contains "$OUT$ERR" "--access read-write" "push output"

step "the tokens are in no file and no output"
expect_no_dotnet_left
expect_secret_nowhere "$READ" "$HOME"
expect_secret_nowhere "$WRITE" "$HOME"
echo "PASS"
