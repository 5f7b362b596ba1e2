#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# `feedz-agent exec [--nuget-env] -- dotnet ...`: NuGet credentials through
# NuGetPackageSourceCredentials_<key> instead of the plugin (the plugin is switched off with an
# empty NUGET_PLUGIN_PATHS, so only exec can authenticate), tokens in a real gnome-keyring
# behind the agent:
#   - without exec the restore gets 401, and without --nuget-env too (restore reads configs
#     exec cannot all see); with it the restore works with the Read token, for a source a
#     project's nuget.config names under a key with a space, from the project's directory and
#     from elsewhere with the project as argument;
#   - a variable the user set for the source wins;
#   - push (no --nuget-env needed) gets the Read/Write token for its --source; with only a Read
#     token exec refuses before running, naming the level, and nothing reaches the feed;
#   - a deactivated token with the plugin on PATH: the plugin's warning names its prefix;
#   - a key a project below redefines (in other case, with another URL) gets no credentials;
#   - node gets no NuGet variables; other programs do, with MSBuild node reuse and the compiler
#     server off, so that no process outlives `dotnet build` with the token in its environment;
#   - the token is in no file, no output, not in MSBuild's diagnostic log or binary log.
source "$(dirname "$0")/lib.sh"
require_dotnet
run_inside_test_keyring
use_throwaway_home
e2e_setup
start_test_feed --revocation-delay 0
feed_admin repo create acme/private
feed_nuget_package acme/private Feedz.Exec 1.0.0
feed_token READ dev read
feed_token WRITE ci read-write
ROOT=${FEED_URL}acme/private/
SOURCE=${ROOT}nuget/index.json
mkdir -p "$HOME/no-plugins"
# The user's NuGet.Config has a plain-http source exec cannot serve (it must not stop exec);
# the repository's clears it and names the feed.
write_nuget_config "http://nexus.corp.example/repository/nuget/" "https://%NEXUS_HOST%/nuget/"
mkdir -p "$HOME/repo"
cat >"$HOME/repo/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="Team Feed" value="$SOURCE" />
  </packageSources>
</configuration>
XML
make_project "$HOME/repo/app" Feedz.Exec 1.0.0
"$FEEDZ_TEST_FEED" pack nupkg Feedz.Exec.Push 1.0.0 "$HOME/out" >/dev/null || fail "cannot make the package"
"$FEEDZ_TEST_FEED" pack nupkg Feedz.Exec.Push 1.1.0 "$HOME/out" >/dev/null || fail "cannot make the package"

# exec_dotnet DIR [VAR=VALUE]... -- ARGS...: `feedz-agent exec $EXEC_OPTIONS -- dotnet ARGS` in
# DIR, with the credential plugin switched off and the variables given.
EXEC_OPTIONS=(--nuget-env)
exec_dotnet() {
    local dir=$1 variables=()
    shift
    while [ "$1" != -- ]; do
        variables+=("$1")
        shift
    done
    shift
    dotnet_env
    # env, not sh -c: a shell drops variables whose names are not identifiers ("..._Team Feed").
    run "${DOTNET_CMD[@]}" NUGET_PLUGIN_PATHS="$HOME/no-plugins" \
        env -C "$dir" "${variables[@]}" "$FEEDZ_AGENT" exec "${EXEC_OPTIONS[@]}" -- dotnet "$@"
}

step "login stores a Read and a Read/Write token (no NuGet source of its own)"
for pair in "dev read $READ" "ci read-write $WRITE"; do
    set -- $pair
    login_with "$3" --feed "$ROOT" --name "$1" --access "$2"
    [ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
done

step "without exec, and with the plugin off, the restore gets 401"
dotnet_env
run "${DOTNET_CMD[@]}" NUGET_PLUGIN_PATHS="$HOME/no-plugins" \
    sh -c 'cd "$1" && exec dotnet restore --no-http-cache' sh "$HOME/repo/app"
[ "$STATUS" -ne 0 ] || fail "restore without credentials succeeded"
expect_contains "$OUT$ERR" "401" "restore output"

step "exec without --nuget-env leaves restore to the plugin (switched off here: 401)"
EXEC_OPTIONS=()
exec_dotnet "$HOME/repo/app" NUGET_PACKAGES="$HOME/packages-0" -- restore --no-http-cache
[ "$STATUS" -ne 0 ] || fail "restore through exec without --nuget-env succeeded without the plugin"
expect_contains "$OUT$ERR" "401" "restore output"
EXEC_OPTIONS=(--nuget-env)

step "exec --nuget-env: the restore authenticates with the Read token and starts no plugin"
: >"$PLUGIN_LOG"
mark=$(log_mark)
exec_dotnet "$HOME/repo/app" NUGET_PACKAGES="$HOME/packages-1" -- restore --no-http-cache -v:diag \
    "-bl:$TEST_ROOT/restore.binlog"
[ "$STATUS" -eq 0 ] || fail "restore through exec failed:
$OUT
$ERR"
requests=$(log_since "$mark")
expect_contains "$requests" "\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${READ:0:7}\",\"status\":200" "feed log"
expect_not_contains "$requests" "${WRITE:0:7}" "feed log (a restore gets the least privileged token)"
[ ! -s "$PLUGIN_LOG" ] || fail "the plugin ran: $(cat "$PLUGIN_LOG")"
[ -f "$HOME/packages-1/feedz.exec/1.0.0/feedz.exec.1.0.0.nupkg" ] || fail "the package was not restored"
dotnet_env
run "${DOTNET_CMD[@]}" dotnet msbuild "$TEST_ROOT/restore.binlog" -v:diag -noconlog "-flp:logfile=$TEST_ROOT/replay.log;verbosity=diagnostic"
[ "$STATUS" -eq 0 ] || fail "cannot replay the binary log: $OUT $ERR"
[ -s "$TEST_ROOT/replay.log" ] || fail "the binary log replay is empty"
expect_secret_nowhere "$READ" "$TEST_ROOT/replay.log"

step "exec: the project given as argument from another directory"
exec_dotnet "$HOME" NUGET_PACKAGES="$HOME/packages-2" -- restore repo/app/Project.csproj --no-http-cache
[ "$STATUS" -eq 0 ] || fail "restore of repo/app/Project.csproj failed:
$OUT
$ERR"

step "a NuGetPackageSourceCredentials_ variable of the user's own wins"
exec_dotnet "$HOME/repo/app" NUGET_PACKAGES="$HOME/packages-3" \
    "NuGetPackageSourceCredentials_Team Feed=Username=me;Password=not-a-token" -- restore --no-http-cache
[ "$STATUS" -ne 0 ] || fail "restore with the user's wrong password succeeded"
expect_contains "$OUT$ERR" "401" "restore output"

step "exec (without --nuget-env): push gets the Read/Write token for its source"
EXEC_OPTIONS=()
mark=$(log_mark)
exec_dotnet "$HOME/repo" -- nuget push "$HOME/out/Feedz.Exec.Push.1.0.0.nupkg" --source "Team Feed"
[ "$STATUS" -eq 0 ] || fail "push through exec failed:
$OUT
$ERR"
expect_contains "$OUT" "Your package was pushed" "push output"
expect_contains "$(log_since "$mark")" "\"method\":\"PUT\",\"path\":\"/acme/private/nuget/api/v2/package/\",\"auth\":\"basic\",\"username\":\"feedz\",\"token_prefix\":\"${WRITE:0:7}\",\"status\":201" "feed log"

step "exec (without --nuget-env): push with only a Read token is refused before it runs"
expect_success "$FEEDZ_AGENT" logout ci
mark=$(log_mark)
exec_dotnet "$HOME/repo" -- nuget push "$HOME/out/Feedz.Exec.Push.1.1.0.nupkg" --source "Team Feed"
expect_eq "$STATUS" 77 "exit status"
expect_contains "$ERR" "dotnet nuget push needs a Read/Write token for $SOURCE, and 'dev' (${READ:0:7}…) is Read; nothing was run" "exec's error"
expect_contains "$ERR" "feedz-agent login --access read-write --feed $SOURCE" "exec's error"
expect_eq "$(log_since "$mark")" "" "feed log"

EXEC_OPTIONS=(--nuget-env)

step "a deactivated token: with the plugin on PATH, its warning names the token"
feed_admin token deactivate "${READ:0:7}" >/dev/null
dotnet_env
run "${DOTNET_CMD[@]}" NUGET_PACKAGES="$HOME/packages-4" \
    sh -c 'cd "$1" && exec "$FEEDZ_AGENT" exec --nuget-env -- dotnet restore --tl:off -v n --no-http-cache' sh "$HOME/repo/app"
[ "$STATUS" -ne 0 ] || fail "restore with a deactivated token succeeded"
expect_contains "$OUT" "401 (Unauthorized" "restore output"
expect_contains "$OUT" "the feed rejected token 'dev' (${READ:0:7}" "restore output"
expect_contains "$OUT" "deactivated or expired on Feedz" "restore output"

feed_admin token activate "${READ:0:7}" >/dev/null

step "a key a project below defines with another URL (as <Add Key VALUE>) gets no credentials"
mkdir -p "$HOME/repo/app/tools"
cat >"$HOME/repo/app/tools/NuGet.Config" <<XML
<configuration>
  <packageSources>
    <Add Key="team feed" VALUE="${FEED_URL}acme/other/nuget/index.json" />
  </packageSources>
</configuration>
XML
mark=$(log_mark)
exec_dotnet "$HOME/repo/app" NUGET_PACKAGES="$HOME/packages-5" -- restore --no-http-cache
[ "$STATUS" -ne 0 ] || fail "restore succeeded although the key is ambiguous"
expect_contains "$ERR" "NuGet source 'Team Feed' names different URLs" "exec's warning"
expect_contains "$ERR" "$HOME/repo/app/tools/NuGet.Config:3" "exec's warning"
expect_not_contains "$(log_since "$mark")" "${READ:0:7}" "feed log"
rm -r "$HOME/repo/app/tools"

step "node gets no NuGet variables; other programs get them and no lingering build servers"
run env -C "$HOME/repo" "$FEEDZ_AGENT" exec --nuget-env -- node -e \
    'console.log("nuget:" + Object.keys(process.env).filter(k => k.startsWith("NuGetPackageSource")).length)'
[ "$STATUS" -eq 0 ] || fail "exec -- node failed: $ERR"
expect_contains "$OUT" "nuget:0" "node's environment"
run env -C "$HOME/repo" "$FEEDZ_AGENT" exec --nuget-env -- python3 -c \
    'import os; print(sorted(k + ("=" + os.environ[k] if not k.startswith("NuGet") else "") for k in os.environ if k.startswith(("NuGet", "MSBUILDDISABLE", "DOTNET_CLI_USE_MSBUILD", "UseShared"))))'
[ "$STATUS" -eq 0 ] || fail "exec -- python3 failed: $ERR"
expect_contains "$OUT" "['DOTNET_CLI_USE_MSBUILD_SERVER=0', 'MSBUILDDISABLENODEREUSE=1', 'NuGetPackageSourceCredentials_Team Feed', 'UseSharedCompilation=false']" "the command's environment"
dotnet_env
run "${DOTNET_CMD[@]}" env -u MSBUILDDISABLENODEREUSE -u DOTNET_CLI_USE_MSBUILD_SERVER -u UseSharedCompilation \
    -C "$HOME/repo/app" NUGET_PLUGIN_PATHS="$HOME/no-plugins" NUGET_PACKAGES="$HOME/packages-6" \
    "$FEEDZ_AGENT" exec --nuget-env -- dotnet build --no-http-cache
[ "$STATUS" -eq 0 ] || fail "build through exec failed:
$OUT
$ERR"
holders=$(grep -lF -- "$READ" /proc/[0-9]*/environ 2>/dev/null || true)
[ -z "$holders" ] || fail "processes outlived the build with the token in their environment: $holders"

step "the tokens are in no file and no output"
expect_no_dotnet_left
expect_secret_nowhere "$READ" "$HOME" "$TEST_ROOT/replay.log"
expect_secret_nowhere "$WRITE" "$HOME"
echo "PASS"
