#!/usr/bin/env bash
# login / list / disable / enable / logout against a real gnome-keyring on a private D-Bus,
# with the Secret Service checked independently through secret-tool.
source "$(dirname "$0")/../lib/testlib.sh"
require_tool secret-tool "apt-get install libsecret-tools"
run_inside_test_keyring "$@"
use_throwaway_home

READ_TOKEN=$(new_token)
WRITE_TOKEN=$(new_token)
FEED_URL=https://f.feedz.io/acme/pkgs/

step "login stores the token in the Secret Service"
login_with "$READ_TOKEN" --feed acme/pkgs --access read --name laptop
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
expect_contains "$OUT" "Stored token 'laptop' (${READ_TOKEN:0:7}…) in the secret-service store"
expect_contains "$OUT" "not checked against the feed"
expect_eq "$(secret-tool lookup name laptop)" "$READ_TOKEN" "secret-tool lookup"
# Not through run(): secret-tool prints the secret, which must not count as our output.
ITEM=$(secret-tool search --all name laptop 2>&1 | grep -v '^secret = ')
expect_contains "$ITEM" "attribute.prefix = ${READ_TOKEN:0:7}"
expect_contains "$ITEM" "attribute.scopes = $FEED_URL"
expect_contains "$ITEM" "attribute.access = read"
expect_contains "$ITEM" "schema = io.feedz.Agent.Token"
expect_not_contains "$ITEM" "$READ_TOKEN" "item attributes and label"

step "list shows the prefix and never the token"
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "laptop"
expect_contains "$OUT" "${READ_TOKEN:0:7}…"
expect_contains "$OUT" "active"
expect_success "$FEEDZ_AGENT" list --json
expect_eq "$(jq -r '.tokens[0].prefix' <<<"$OUT")" "${READ_TOKEN:0:7}" "list --json prefix"
expect_eq "$(jq -r '.tokens[0].state' <<<"$OUT")" "active" "list --json state"
expect_eq "$(jq -r '.store' <<<"$OUT")" "secret-service" "list --json store"

step "the agent hands the token out for URLs under the feed only"
expect_success "$FEEDZ_PROBE" get "${FEED_URL}nuget/index.json" read
expect_eq "$(jq -r .sha256 <<<"$OUT")" "$(sha256_of "$READ_TOKEN")" "served token"
expect_exit 1 "$FEEDZ_PROBE" get https://f.feedz.io/acme/pkgs2/nuget/index.json read
expect_eq "$(jq -r .found <<<"$OUT")" "false" "other feed"

step "a second, read-write token: the least privileged one per operation"
login_with "$WRITE_TOKEN" --feed "${FEED_URL}npm/" --access read-write --name ci
[ "$STATUS" -eq 0 ] || fail "second login failed: $ERR"
expect_success "$FEEDZ_PROBE" get "${FEED_URL}npm/some-package" read
expect_eq "$(jq -r .name <<<"$OUT")" "laptop" "token for reading"
expect_success "$FEEDZ_PROBE" get "${FEED_URL}npm/some-package" write
expect_eq "$(jq -r .name <<<"$OUT")" "ci" "token for publishing"
expect_eq "$(jq -r .sha256 <<<"$OUT")" "$(sha256_of "$WRITE_TOKEN")" "served write token"

step "disable keeps the token but stops serving it; enable undoes that"
expect_success "$FEEDZ_AGENT" disable laptop
expect_eq "$(secret-tool lookup name laptop)" "$READ_TOKEN" "disabled token kept"
expect_contains "$(secret-tool search --all name laptop 2>&1 | grep disabled)" "attribute.disabled = true"
expect_success "$FEEDZ_PROBE" get "${FEED_URL}nuget/index.json" read
expect_eq "$(jq -r .name <<<"$OUT")" "ci" "with laptop disabled"
expect_contains "$OUT" '"reason":"disabled"'
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "disabled"
expect_success "$FEEDZ_AGENT" enable laptop
expect_contains "$(secret-tool search --all name laptop 2>&1 | grep disabled)" "attribute.disabled = false"
expect_success "$FEEDZ_PROBE" get "${FEED_URL}nuget/index.json" read
expect_eq "$(jq -r .name <<<"$OUT")" "laptop" "after enable"
expect_exit 1 "$FEEDZ_AGENT" disable nosuchtoken
expect_contains "$ERR" "no token named 'nosuchtoken'"

step "logging in again under the same name replaces the token"
NEW_READ_TOKEN=$(new_token)
login_with "$NEW_READ_TOKEN" --feed acme/pkgs --access read --name laptop
[ "$STATUS" -eq 0 ] || fail "re-login failed: $ERR"
expect_eq "$(secret-tool lookup name laptop)" "$NEW_READ_TOKEN" "replaced token"
expect_eq "$(secret-tool search --all name laptop 2>&1 | grep -c '^\[')" "1" "items named laptop"

step "the same token under a second name is pointed out"
login_with "$WRITE_TOKEN" --feed acme/other --name duplicate
expect_contains "$OUT" "also stored as 'ci'"

step "logout removes the item from the keychain"
expect_success "$FEEDZ_AGENT" logout laptop
expect_exit 1 secret-tool lookup name laptop
expect_exit 1 "$FEEDZ_AGENT" logout laptop
expect_contains "$ERR" "no token named 'laptop'"
expect_success "$FEEDZ_AGENT" logout --all
expect_contains "$OUT" "Removed 2 tokens."
expect_exit 1 secret-tool lookup name ci
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "No tokens stored"

step "the agent restarted: tokens come back from the keychain"
login_with "$READ_TOKEN" --feed acme/pkgs --access read --name laptop
expect_success "$FEEDZ_AGENT" stop
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "laptop"
expect_success "$FEEDZ_PROBE" get "${FEED_URL}nuget/index.json" read
expect_eq "$(jq -r .sha256 <<<"$OUT")" "$(sha256_of "$READ_TOKEN")" "token after restart"

step "the tokens are in no file and no output"
expect_success "$FEEDZ_AGENT" stop
[ -s "$AUDIT_LOG" ] || fail "no audit log at $AUDIT_LOG"
expect_contains "$(cat "$AUDIT_LOG")" "\"token\":\"${READ_TOKEN:0:7}\""
for token in "$READ_TOKEN" "$WRITE_TOKEN" "$NEW_READ_TOKEN"; do
    expect_secret_nowhere "$token" "$HOME"
done
echo "PASS"
