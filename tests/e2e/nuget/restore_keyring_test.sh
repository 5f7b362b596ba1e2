#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real `dotnet restore` against the local HTTPS feed, credentials from nuget-plugin-feedz
# (found on PATH) with the token in a real gnome-keyring behind the agent:
#   - login with a Read token, then restore of a package only the feed has; the feed saw Basic
#     with username feedz and the token's prefix;
#   - two concurrent restores; a restore with NuGet's strict System.Text.Json parser;
#   - the token deactivated on the feed: restore fails with NuGet's 401 and the plugin's warning
#     naming the token's prefix; re-activated: restore works again;
#   - the token is in no file under HOME (project, NuGet caches, plugin log, feed) and in no
#     output.
source "$(dirname "$0")/lib.sh"
require_dotnet
run_inside_test_keyring
use_throwaway_home
e2e_setup
start_test_feed --revocation-delay 1
feed_admin repo create acme/private
feed_nuget_package acme/private Feedz.Restore 1.0.0
feed_token READ dev read
PREFIX=${READ:0:7}
SOURCE=${FEED_URL}acme/private/nuget/index.json
# A user NuGet.Config that clears the machine's sources (this test reaches no other registry);
# login adds the feed to it.
write_nuget_config

step "login checks the Read token, stores it in the keychain and adds the NuGet source"
run sh -c 't=$1; shift; printf "%s" "$t" | "$FEEDZ_AGENT" login --pat-stdin "$@"' sh "$READ" \
    --feed "${FEED_URL}acme/private/" --access read --npm none
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$OUT" "secret-service"
expect_contains "$OUT" "The feed accepted the token."
expect_contains "$OUT" "added source 'acme/private' ($SOURCE)"
expect_contains "$(cat "$HOME/.nuget/NuGet/NuGet.Config")" "<add key=\"acme/private\" value=\"$SOURCE\" />" "NuGet.Config"
expect_not_contains "$(cat "$HOME/.nuget/NuGet/NuGet.Config")" "Password" "NuGet.Config"

step "dotnet restore gets the token from the plugin"
make_project "$HOME/app" Feedz.Restore 1.0.0
mark=$(log_mark)
NUGET_PACKAGES_DIR=$HOME/packages-1 restore "$HOME/app"
[ "$STATUS" -eq 0 ] || fail "restore failed:
$OUT
$ERR"
grep -qF '"Feedz.Restore/1.0.0"' "$HOME/app/obj/project.assets.json" \
    || fail "Feedz.Restore 1.0.0 is not in the assets file"
[ -f "$HOME/packages-1/feedz.restore/1.0.0/feedz.restore.1.0.0.nupkg" ] \
    || fail "the package is not in the package folder"
requests=$(log_since "$mark")
expect_contains "$requests" '"path":"/acme/private/nuget/index.json","auth":"none","username":"","token_prefix":"","status":401' "feed log"
expect_contains "$requests" "\"path\":\"/acme/private/nuget/v3-flatcontainer/feedz.restore/1.0.0/feedz.restore.1.0.0.nupkg\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"$PREFIX\",\"status\":200" "feed log"
expect_contains "$(cat "$PLUGIN_LOG")" "\"decision\":\"success\",\"token_prefix\":\"$PREFIX\"" "plugin log"

step "two concurrent restores both succeed"
make_project "$HOME/app-a" Feedz.Restore 1.0.0
make_project "$HOME/app-b" Feedz.Restore 1.0.0
for name in a b; do
    NUGET_PACKAGES_DIR=$HOME/packages-2
    dotnet_env
    (cd "$HOME/app-$name" && exec "${DOTNET_CMD[@]}" dotnet restore --tl:off --no-http-cache) \
        >"$TEST_ROOT/restore-$name.out" 2>&1 &
    eval "pid_$name=\$!"
done
status_a=0 status_b=0
wait "$pid_a" || status_a=$?
wait "$pid_b" || status_b=$?
ALL_OUTPUT="$ALL_OUTPUT$(cat "$TEST_ROOT/restore-a.out" "$TEST_ROOT/restore-b.out")"
[ "$status_a" -eq 0 ] || fail "the first concurrent restore failed: $(cat "$TEST_ROOT/restore-a.out")"
[ "$status_b" -eq 0 ] || fail "the second concurrent restore failed: $(cat "$TEST_ROOT/restore-b.out")"

step "restore with NuGet's strict System.Text.Json message parser"
make_project "$HOME/app-stj" Feedz.Restore 1.0.0
NUGET_PACKAGES_DIR=$HOME/packages-3 NUGET_USE_SYSTEM_TEXT_JSON_DESERIALIZATION=true restore "$HOME/app-stj"
[ "$STATUS" -eq 0 ] || fail "restore with NUGET_USE_SYSTEM_TEXT_JSON_DESERIALIZATION failed:
$OUT
$ERR"

step "the token deactivated on Feedz: restore fails, and the output names the token"
feed_admin token deactivate "$PREFIX"
sleep 1.5 # the feed's revocation delay
make_project "$HOME/app-deactivated" Feedz.Restore 1.0.0
NUGET_PACKAGES_DIR=$HOME/packages-4 restore "$HOME/app-deactivated"
[ "$STATUS" -ne 0 ] || fail "restore succeeded with a deactivated token"
expect_contains "$OUT" "401 (Unauthorized" "restore output"
expect_contains "$OUT" "the feed rejected token 'acme/private' ($PREFIX" "restore output"
expect_contains "$OUT" "deactivated or expired on Feedz" "restore output"
expect_contains "$(cat "$PLUGIN_LOG")" "\"decision\":\"refused\"" "plugin log"

step "re-activated: restore works again"
feed_admin token activate "$PREFIX"
sleep 1.5
NUGET_PACKAGES_DIR=$HOME/packages-5 restore "$HOME/app-deactivated"
[ "$STATUS" -eq 0 ] || fail "restore after re-activation failed:
$OUT
$ERR"

step "the token is in no file and no output; no dotnet process is left"
expect_no_dotnet_left
expect_secret_nowhere "$READ" "$HOME"
expect_not_contains "$(cat "$PLUGIN_LOG")" "${READ:0:12}" "plugin log"
echo "PASS"
