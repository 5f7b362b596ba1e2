#!/usr/bin/env bash
# feedz-agent doctor: every check is made to fail once, and its message and fix are asserted;
# with everything in order it passes and exits 0.
source "$(dirname "$0")/../lib/testlib.sh"
: "${FEEDZ_TEST_FEED:?set FEEDZ_TEST_FEED to the feedz-test-feed binary}"
: "${NUGET_PLUGIN:?set NUGET_PLUGIN to the nuget-plugin-feedz binary}"
require_tool secret-tool "apt-get install libsecret-tools"
require_tool gdbus "apt-get install libglib2.0-bin"
run_inside_test_keyring "$@"
use_throwaway_home
unset NUGET_PLUGIN_PATHS NUGET_NETCORE_PLUGIN_PATHS
FEED_SCRIPTS="$TESTS_LIB/../feed"
FEED_DIR="$TEST_ROOT/feed"
"$FEED_SCRIPTS/start-test-feed.sh" "$FEED_DIR" --revocation-delay 0 >/dev/null \
    || fail "cannot start the test feed"
add_cleanup '"$FEED_SCRIPTS/stop-test-feed.sh" "$FEED_DIR"'
source "$FEED_DIR/feed.env"
admin() { "$FEEDZ_TEST_FEED" "$@" --data "$FEED_DATA"; }
admin repo create acme/pkgs >/dev/null
TOKEN=$(admin token create --name laptop --access read)
FEED="${FEED_URL}acme/pkgs/"
PLUGIN_DIR="$TEST_ROOT/plugin"
mkdir -p "$PLUGIN_DIR"
cp "$NUGET_PLUGIN" "$PLUGIN_DIR/nuget-plugin-feedz"
export PATH="$PLUGIN_DIR:$PATH"

doctor() {
    run "$FEEDZ_AGENT" doctor "$@"
}

# doctor fails, with a line for AREA containing MESSAGE and a fix line containing FIX.
expect_doctor_failure() {
    local message=$1 fix=$2
    doctor
    [ "$STATUS" -eq 1 ] || fail "doctor exited $STATUS instead of 1; expected a failure '$message':
$OUT"
    expect_contains "$OUT" "✗" "doctor's output"
    local lines
    lines=$(grep -F -m1 -A1 -- "$message" <<<"$OUT") || fail "no line '$message' in:
$OUT"
    expect_contains "$(tail -n1 <<<"$lines")" "fix: " "the line after '$message'"
    expect_contains "$(tail -n1 <<<"$lines")" "$fix" "the fix for '$message'"
}

step "no token at all"
expect_doctor_failure "no tokens stored" "feedz-agent login --feed org/repo"

step "everything in order: exit 0, --json says ok"
login_with_feed() {
    run sh -c 't=$1; shift; printf "%s" "$t" | "$FEEDZ_AGENT" login --pat-stdin --npm none "$@"' \
        sh "$@"
}
login_with_feed "$TOKEN" --feed "$FEED" --access read --name laptop
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
doctor
[ "$STATUS" -eq 0 ] || fail "doctor failed with everything in order:
$OUT"
expect_contains "$OUT" "accepted by $FEED"
expect_contains "$OUT" "nuget-plugin-feedz is on PATH ($PLUGIN_DIR/nuget-plugin-feedz)"
expect_contains "$OUT" "export NUGET_PLUGIN_PATHS=$PLUGIN_DIR/nuget-plugin-feedz to skip that walk"
expect_contains "$OUT" "the Secret Service is reachable and unlocked"
expect_contains "$OUT" "read access: restores and installs only; publishing"
doctor --json
expect_eq "$(jq -r .ok <<<"$OUT")" "true" "doctor --json .ok"
expect_eq "$(jq -r '[.checks[] | select(.status == "fail")] | length' <<<"$OUT")" "0" "failures"

step "a token Feedz rejected (deactivated): named by its prefix"
admin token deactivate "${TOKEN:0:7}" >/dev/null
expect_doctor_failure "'laptop' (${TOKEN:0:7}…): Feedz rejected it at $FEED (401" \
    "re-activate it on Feedz, or create a new token and run: feedz-agent login --name laptop"
doctor --json
expect_eq "$(jq -r .ok <<<"$OUT")" "false" "doctor --json .ok with a rejected token"
admin token activate "${TOKEN:0:7}" >/dev/null

step "a disabled token"
expect_success "$FEEDZ_AGENT" disable laptop
expect_doctor_failure "'laptop' (${TOKEN:0:7}…): disabled" "feedz-agent enable laptop"
expect_success "$FEEDZ_AGENT" enable laptop

step "an expired token, and one that expires soon (warning only)"
printf '%s' "$(new_token)" | secret-tool store --label="old token" xdg:schema io.feedz.Agent.Token \
    name old prefix T-oldxx scopes "$FEED" access read expires 2020-01-31 \
    created 2020-01-01T00:00:00Z disabled false
expect_doctor_failure "'old' (T-oldxx…): expired on 2020-01-31" \
    "create a new token on Feedz, then: feedz-agent login --name old"
expect_success "$FEEDZ_AGENT" logout old
SOON=$(date -u -d '+3 days' +%F)
login_with_feed "$TOKEN" --feed "$FEED" --access read --name laptop --expires "$SOON"
doctor
[ "$STATUS" -eq 0 ] || fail "a token expiring soon must only warn:
$OUT"
expect_contains "$OUT" "! token       'laptop' (${TOKEN:0:7}…): expires on $SOON (in 3 days)"
login_with_feed "$TOKEN" --feed "$FEED" --access read --name laptop

step "the plugin: not on PATH, not executable, hidden by NUGET_PLUGIN_PATHS or the netcore list"
PATH="${PATH#"$PLUGIN_DIR:"}" expect_doctor_failure "nuget-plugin-feedz is not on PATH" "add "
chmod -x "$PLUGIN_DIR/nuget-plugin-feedz"
expect_doctor_failure "$PLUGIN_DIR/nuget-plugin-feedz is on PATH but not executable" \
    "chmod +x $PLUGIN_DIR/nuget-plugin-feedz"
chmod +x "$PLUGIN_DIR/nuget-plugin-feedz"
NUGET_PLUGIN_PATHS=/opt/other expect_doctor_failure "NUGET_PLUGIN_PATHS is set" \
    "add "
NUGET_PLUGIN_PATHS="/opt/other:$PLUGIN_DIR" doctor
expect_contains "$OUT" "nuget-plugin-feedz is listed in NUGET_PLUGIN_PATHS"
NUGET_NETCORE_PLUGIN_PATHS=/opt/x.dll expect_doctor_failure "NUGET_NETCORE_PLUGIN_PATHS is set" \
    "unset NUGET_NETCORE_PLUGIN_PATHS"

step "the NuGet source: disabled, unmapped, removed"
CONFIG="$HOME/.nuget/NuGet/NuGet.Config"
cp "$CONFIG" "$TEST_ROOT/good.config"
sed -i 's#</configuration>#  <disabledPackageSources>\n    <add key="acme/pkgs" value="true" />\n  </disabledPackageSources>\n</configuration>#' "$CONFIG"
expect_doctor_failure "source 'acme/pkgs' in ~/.nuget/NuGet/NuGet.Config is disabled" \
    'dotnet nuget enable source "acme/pkgs"'
cp "$TEST_ROOT/good.config" "$CONFIG"
sed -i 's#</configuration>#  <packageSourceMapping>\n    <packageSource key="nuget.org">\n      <package pattern="*" />\n    </packageSource>\n  </packageSourceMapping>\n</configuration>#' "$CONFIG"
expect_doctor_failure "has no packageSourceMapping entry" "--nuget-pattern"
cp "$TEST_ROOT/good.config" "$CONFIG"
sed -i "\#acme/pkgs/nuget/index.json#d" "$CONFIG"
expect_doctor_failure "source 'acme/pkgs' (${FEED}nuget/index.json) is no longer in" \
    "run feedz-agent login again"
cp "$TEST_ROOT/good.config" "$CONFIG"

step "npm: an unscoped _authToken breaks every npm command"
printf '_authToken=abc\n' >"$HOME/.npmrc"
doctor
[ "$STATUS" -eq 1 ] || fail "doctor did not fail on an unscoped _authToken:
$OUT"
expect_contains "$OUT" "✗ npm"
expect_contains "$OUT" "_authToken"
expect_contains "$OUT" "fix:"
rm "$HOME/.npmrc"

step "CI: with FEEDZ_CREDENTIALS the agent and keychain are not needed"
FEEDZ_CREDENTIALS="[{\"feed\": \"$FEED\", \"token\": \"$TOKEN\"}]" \
    FEEDZ_AGENT_SOCKET="$TEST_ROOT/nowhere/agent.sock" doctor
[ "$STATUS" -eq 0 ] || fail "doctor failed in CI mode:
$OUT"
expect_contains "$OUT" "nuget-plugin-feedz takes tokens only from there"
expect_contains "$OUT" "FEEDZ_CREDENTIALS[0] (${TOKEN:0:7}…): accepted by $FEED"
[ -e "$TEST_ROOT/nowhere" ] && fail "doctor started an agent in CI mode"

step "FEEDZ_CREDENTIALS that cannot be read"
FEEDZ_CREDENTIALS='[{"feed": 1}]' expect_doctor_failure "FEEDZ_CREDENTIALS[0]" \
    "fix FEEDZ_PAT / FEEDZ_CREDENTIALS"

step "a clock far from the feed's"
"$FEED_SCRIPTS/stop-test-feed.sh" "$FEED_DIR" >/dev/null
"$FEED_SCRIPTS/start-test-feed.sh" "$FEED_DIR" --clock-offset 3600 >/dev/null \
    || fail "cannot restart the feed"
source "$FEED_DIR/feed.env"
login_with_feed "$TOKEN" --feed "${FEED_URL}acme/pkgs/" --access read --name laptop
expect_doctor_failure "s off the feed's clock" "timedatectl set-ntp true"
expect_contains "$OUT" "the system clock is -3"

step "an unsafe socket directory"
chmod 755 "$XDG_RUNTIME_DIR/feedz-agent"
expect_doctor_failure "is not private (mode 0755" "chmod 700 $XDG_RUNTIME_DIR/feedz-agent"
chmod 700 "$XDG_RUNTIME_DIR/feedz-agent"

step "an unsafe socket"
chmod 666 "$XDG_RUNTIME_DIR/feedz-agent/agent.sock"
expect_doctor_failure "agent.sock has mode 0666" "chmod 600 $XDG_RUNTIME_DIR/feedz-agent/agent.sock"
chmod 600 "$XDG_RUNTIME_DIR/feedz-agent/agent.sock"

step "an agent that cannot start"
expect_success "$FEEDZ_AGENT" stop
FEEDZ_AGENT_STORE=keyring expect_doctor_failure "is not a store" \
    "feedz-agent serve --foreground"

step "a locked keychain"
gdbus call --session --dest org.freedesktop.secrets --object-path /org/freedesktop/secrets \
    --method org.freedesktop.Secret.Service.Lock "['/org/freedesktop/secrets/collection/login']" >/dev/null
expect_doctor_failure "is locked" "unlock or start the keychain"
expect_not_contains "$OUT" "no tokens stored"

step "doctor printed no token"
expect_secret_nowhere "$TOKEN" "$HOME/.nuget" "$HOME/.local" "$HOME/.config" "$HOME/run"
echo "PASS"
