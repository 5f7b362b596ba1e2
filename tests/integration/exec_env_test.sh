#!/usr/bin/env bash
# feedz-agent exec --access and --env against a real gnome-keyring on a private D-Bus: the
# token of the level asked for reaches the command in the variable named, and in no process's
# argv, no output and no file; what exec cannot do is refused before the command runs; a
# command exec cannot read gets one line saying which level it got and how to choose.
source "$(dirname "$0")/../lib/testlib.sh"
require_tool sha256sum
run_inside_test_keyring "$@"
use_throwaway_home

READ_TOKEN=$(new_token)
WRITE_TOKEN=$(new_token)
OTHER_TOKEN=$(new_token)
login_with "$READ_TOKEN" --feed acme/pkgs --access read --name laptop
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
login_with "$WRITE_TOKEN" --feed acme/pkgs --access read-write --name ci
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
login_with "$OTHER_TOKEN" --feed other/repo --access read --name other
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"

REPORT=$TEST_ROOT/child-report
# The command exec runs: it looks at the token only through bash builtins (no argument of a
# process it starts holds it) and writes what it found, never the token itself:
#   sha=<sha256 of $NAME>  in-argv=<pids whose /proc/PID/cmdline holds it>  auth=<sha256 of
#   the _auth value in the npm user config exec made>
# shellcheck disable=SC2016
CHILD='
    value=${!1-}
    {
        printf "sha=%s\n" "$(printf %s "$value" | sha256sum | cut -d" " -f1)"
        seen=""
        if [ -n "$value" ]; then
            for file in /proc/[0-9]*/cmdline; do
                words=$(tr "\0" " " 2>/dev/null <"$file") || continue
                if [[ $words == *"$value"* ]]; then
                    seen="$seen ${file//[^0-9]/}"
                fi
            done
        fi
        printf "in-argv=%s\n" "$seen"
        auth=$(sed -n "s/^\/\/.*:_auth=//p" "${NPM_CONFIG_USERCONFIG:-/dev/null}" | head -n 1)
        printf "auth=%s\n" "$(printf %s "$auth" | sha256sum | cut -d" " -f1)"
    } >"$REPORT"'
export REPORT

child_report() {
    grep "^$1=" "$REPORT" | cut -d= -f2-
}

basic_sha() {
    sha256_of "$(printf 'feedz:%s' "$1" | base64 -w0)"
}

step "--env puts the token of the level asked for into NAME, and nowhere else"
rm -f "$REPORT"
expect_success "$FEEDZ_AGENT" exec --feed acme/pkgs --access read --env FEEDZ_TOKEN \
    -- bash -c "$CHILD" child FEEDZ_TOKEN
expect_eq "$(child_report sha)" "$(sha256_of "$READ_TOKEN")" "FEEDZ_TOKEN (read)"
expect_eq "$(child_report in-argv)" "" "processes whose argv held the token"
expect_eq "$ERR" "" "stderr"

rm -f "$REPORT"
expect_success "$FEEDZ_AGENT" exec --feed https://f.feedz.io/acme/pkgs/npm/ \
    --access read-write --env PUBLISH_KEY -- bash -c "$CHILD" child PUBLISH_KEY
expect_eq "$(child_report sha)" "$(sha256_of "$WRITE_TOKEN")" "PUBLISH_KEY (read-write)"
expect_eq "$(child_report in-argv)" "" "processes whose argv held the token"
# --access also sets the npm credential's level.
expect_eq "$(child_report auth)" "$(basic_sha "$WRITE_TOKEN")" "npm _auth (read-write)"

step "a value the user set for NAME is replaced, for the command only"
rm -f "$REPORT"
expect_success env FEEDZ_TOKEN=stale "$FEEDZ_AGENT" exec --feed other/repo --access read \
    --env FEEDZ_TOKEN -- bash -c "$CHILD" child FEEDZ_TOKEN
expect_eq "$(child_report sha)" "$(sha256_of "$OTHER_TOKEN")" "FEEDZ_TOKEN (other feed)"
[ -z "${FEEDZ_TOKEN:-}" ] || fail "FEEDZ_TOKEN leaked into the test's environment"

step "what --env cannot do is refused, and the command does not run"
refused() {
    local code=$1 expected=$2
    shift 2
    rm -f "$REPORT"
    expect_exit "$code" "$FEEDZ_AGENT" exec "$@" -- bash -c "$CHILD" child FEEDZ_TOKEN
    expect_contains "$ERR" "$expected"
    [ ! -e "$REPORT" ] || fail "the command ran after: exec $*"
}
refused 77 "needs a Full API token for https://f.feedz.io/acme/pkgs/" \
    --feed acme/pkgs --access full --env FEEDZ_TOKEN
expect_contains "$ERR" "feedz-agent login --access full --feed https://f.feedz.io/acme/pkgs/"
refused 77 "needs a Read/Write token" --feed other/repo --access read-write --env FEEDZ_TOKEN
refused 1 "no stored token covers https://f.feedz.io/nobody/here/" \
    --feed nobody/here --access read --env FEEDZ_TOKEN
refused 2 "not a variable a token may go into" --feed acme/pkgs --access read --env LD_PRELOAD
refused 2 "not a variable a token may go into" --feed acme/pkgs --access read --env 'A B'
refused 2 "--env needs the token's level" --feed acme/pkgs --env FEEDZ_TOKEN
refused 2 "--env needs the one feed" --access read --env FEEDZ_TOKEN
refused 2 "unknown access level 'write'" --feed acme/pkgs --access write --env FEEDZ_TOKEN

step "--access chooses the npm credential's level for a command exec cannot read"
rm -f "$REPORT"
expect_success "$FEEDZ_AGENT" exec --feed acme/pkgs -- bash -c "$CHILD" child NONE
expect_eq "$(child_report auth)" "$(basic_sha "$READ_TOKEN")" "npm _auth without --access"
expect_eq "$(grep -c . <<<"$ERR")" "1" "warning lines"
expect_contains "$ERR" "feedz-agent: warning: exec cannot tell from 'bash -c ...'"
expect_contains "$ERR" "(Read)"
expect_contains "$ERR" "feedz-agent exec --access read|read-write|full -- bash -c"
rm -f "$REPORT"
expect_success "$FEEDZ_AGENT" exec --feed acme/pkgs --access read-write \
    -- bash -c "$CHILD" child NONE
expect_eq "$(child_report auth)" "$(basic_sha "$WRITE_TOKEN")" "npm _auth with --access"
expect_eq "$ERR" "" "stderr with --access"
if command -v npm >/dev/null 2>&1; then
    expect_success "$FEEDZ_AGENT" exec --feed acme/pkgs -- npm --version
    expect_eq "$ERR" "" "stderr of a command exec reads"
fi
refused 77 "exec --access full needs a Full API token" --access full
refused 2 "unknown access level 'admin'" --access admin

step "the tokens are in no file and no output"
expect_secret_nowhere "$READ_TOKEN" "$HOME"
expect_secret_nowhere "$WRITE_TOKEN" "$HOME"
expect_secret_nowhere "$OTHER_TOKEN" "$HOME"
echo "PASS: $TEST_NAME"
