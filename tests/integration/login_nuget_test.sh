#!/usr/bin/env bash
# login against the local HTTPS test feed: the token is checked before anything is stored,
# the feed is added to the user's NuGet.Config without credentials and without disturbing a
# byte of the rest, and logout removes exactly that.
source "$(dirname "$0")/../lib/testlib.sh"
: "${FEEDZ_TEST_FEED:?set FEEDZ_TEST_FEED to the feedz-test-feed binary}"
require_tool openssl
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS
export FEEDZ_AGENT_STORE=memory
FEED_DIR="$TEST_ROOT/feed"
"$(dirname "$0")/../feed/start-test-feed.sh" "$FEED_DIR" --revocation-delay 0 >/dev/null \
    || fail "cannot start the test feed"
add_cleanup '"$TESTS_LIB/../feed/stop-test-feed.sh" "$FEED_DIR"' 
source "$FEED_DIR/feed.env"
admin() { "$FEEDZ_TEST_FEED" "$@" --data "$FEED_DATA"; }
admin repo create acme/pkgs >/dev/null
READ_TOKEN=$(admin token create --name laptop --access read)
WRITE_TOKEN=$(admin token create --name ci --access read-write)
FEED="${FEED_URL}acme/pkgs/"
SOURCE="${FEED}nuget/index.json"
CONFIG="$HOME/.nuget/NuGet/NuGet.Config"
mkdir -p "$(dirname "$CONFIG")"
printf '\xef\xbb\xbf<?xml version="1.0" encoding="utf-8"?>\r\n<!-- mine -->\r\n<configuration>\r\n\t<packageSources>\r\n\t\t<clear />\r\n\t\t<add key="local" value="/srv/packages" />\r\n\t</packageSources>\r\n</configuration>\r\n' >"$CONFIG"
cp "$CONFIG" "$TEST_ROOT/original.config"

login() {
    local token=$1
    shift
    run sh -c 't=$1; shift; printf "%s" "$t" | "$FEEDZ_AGENT" login --pat-stdin "$@"' sh "$token" "$@"
}

step "a wrong token is refused by the feed and nothing is stored"
login "T-$(head -c 30 /dev/urandom | base64 | tr -dc A-Za-z0-9)" --feed "$FEED"
expect_eq "$STATUS" 1 "exit code for a rejected token"
expect_contains "$ERR" "the feed rejected the token"
expect_contains "$ERR" "Nothing was stored"
expect_success "$FEEDZ_AGENT" list
expect_contains "$OUT" "No tokens stored"
cmp -s "$CONFIG" "$TEST_ROOT/original.config" || fail "a refused login changed NuGet.Config"

step "a feed that does not exist, and one that cannot be reached"
login "$READ_TOKEN" --feed "${FEED_URL}acme/nosuchrepo/"
expect_eq "$STATUS" 2 "exit code for a missing feed"
expect_contains "$ERR" "there is no feed at ${FEED_URL}acme/nosuchrepo/"
login "$READ_TOKEN" --feed https://127.0.0.1:1/acme/pkgs/
expect_eq "$STATUS" 1 "exit code for an unreachable feed"
expect_contains "$ERR" "cannot check the token against https://127.0.0.1:1/acme/pkgs/"
expect_contains "$ERR" "add --no-verify"
login "$READ_TOKEN" --feed https://127.0.0.1:1/acme/pkgs/ --no-verify --no-nuget --name offline
expect_eq "$STATUS" 0 "--no-verify stores anyway"
expect_success "$FEEDZ_AGENT" logout offline

step "login checks the token, stores it and adds the source"
login "$READ_TOKEN" --feed "$FEED" --access read
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
expect_contains "$OUT" "The feed accepted the token."
expect_contains "$OUT" "added source 'acme/pkgs' ($SOURCE)"
expect_contains "$(tail -n 5 "$FEED_LOG")" '"username":"feedz"'
expect_contains "$(tail -n 5 "$FEED_LOG")" "\"token_prefix\":\"${READ_TOKEN:0:7}\""
expect_eq "$(grep -c "$SOURCE" "$CONFIG")" 1 "sources for the feed"
printf '\t\t<add key="acme/pkgs" value="%s" />\r\n' "$SOURCE" >"$TEST_ROOT/line"
diff <(grep -v -F -f "$TEST_ROOT/line" "$CONFIG") "$TEST_ROOT/original.config" >/dev/null \
    || fail "NuGet.Config changed beyond the new source:
$(diff "$CONFIG" "$TEST_ROOT/original.config")"
grep -q -F -f "$TEST_ROOT/line" "$CONFIG" || fail "the source line is not indented like its siblings"

step "the same login again changes nothing"
cp "$CONFIG" "$TEST_ROOT/after-first.config"
cp "$XDG_STATE_HOME/feedz-agent/managed.json" "$TEST_ROOT/after-first.json"
login "$READ_TOKEN" --feed "$FEED" --access read
[ "$STATUS" -eq 0 ] || fail "second login failed: $ERR"
cmp -s "$CONFIG" "$TEST_ROOT/after-first.config" || fail "a second login changed NuGet.Config"
cmp -s "$XDG_STATE_HOME/feedz-agent/managed.json" "$TEST_ROOT/after-first.json" \
    || fail "a second login changed managed.json"

step "a second token for the same feed shares the source"
login "$WRITE_TOKEN" --feed "${FEED}npm/" --access read-write --name ci
[ "$STATUS" -eq 0 ] || fail "login of the second token failed: $ERR"
expect_contains "$OUT" "already has $SOURCE as source 'acme/pkgs'"
expect_eq "$(grep -c "$SOURCE" "$CONFIG")" 1 "sources for the feed"
expect_success "$FEEDZ_AGENT" logout acme/pkgs
expect_eq "$(grep -c "$SOURCE" "$CONFIG")" 1 "sources after the first logout"
expect_success "$FEEDZ_AGENT" logout ci
expect_contains "$OUT" "removed source 'acme/pkgs'"
cmp -s "$CONFIG" "$TEST_ROOT/original.config" || fail "logout did not restore the original bytes"

step "through an HTTP proxy (https_proxy), unless no_proxy names the feed"
require_tool python3
python3 "$TESTS_LIB/connect-proxy.py" "$TEST_ROOT/proxy.port" "$TEST_ROOT/proxy.log" &
PROXY_PID=$!
add_cleanup 'kill $PROXY_PID'
for _ in $(seq 50); do [ -s "$TEST_ROOT/proxy.port" ] && break; sleep 0.1; done
PROXY="http://someone:pass%40word@127.0.0.1:$(cat "$TEST_ROOT/proxy.port")"
https_proxy=$PROXY login "$READ_TOKEN" --feed "$FEED" --name proxied --no-nuget --npm none
[ "$STATUS" -eq 0 ] || fail "login through the proxy failed: $ERR"
FEED_HOST_PORT=${FEED_URL#https://}
expect_contains "$(cat "$TEST_ROOT/proxy.log")" "CONNECT ${FEED_HOST_PORT%/}" "the proxy's log"
expect_contains "$(cat "$TEST_ROOT/proxy.log")" "user=someone" "the proxy's log"
https_proxy=$PROXY no_proxy=localhost,127.0.0.1 login "$READ_TOKEN" --feed "$FEED" --name direct \
    --no-nuget --npm none
[ "$STATUS" -eq 0 ] || fail "login with no_proxy failed: $ERR"
expect_eq "$(wc -l <"$TEST_ROOT/proxy.log")" 1 "tunnels through the proxy"
https_proxy=http://127.0.0.1:1 login "$READ_TOKEN" --feed "$FEED" --name unreachable --no-nuget --npm none
expect_eq "$STATUS" 1 "exit code with an unreachable proxy"
expect_contains "$ERR" "cannot check the token"
expect_success "$FEEDZ_AGENT" logout proxied
expect_success "$FEEDZ_AGENT" logout direct

step "a deactivated token is refused"
admin token deactivate "${READ_TOKEN:0:7}" >/dev/null
login "$READ_TOKEN" --feed "$FEED"
expect_eq "$STATUS" 1 "exit code for a deactivated token"
expect_contains "$ERR" "wrong, expired or deactivated"
admin token activate "${READ_TOKEN:0:7}" >/dev/null

step "packageSourceMapping: a warning, or the mapping with --nuget-pattern"
cat >"$CONFIG" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
  </packageSources>
  <packageSourceMapping>
    <packageSource key="nuget.org">
      <package pattern="*" />
    </packageSource>
  </packageSourceMapping>
</configuration>
XML
cp "$CONFIG" "$TEST_ROOT/mapped.config"
login "$READ_TOKEN" --feed "$FEED"
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
expect_contains "$OUT" "serves no package until mapped"
expect_contains "$OUT" "--nuget-pattern"
login "$READ_TOKEN" --feed "$FEED" --nuget-pattern 'Acme.*'
[ "$STATUS" -eq 0 ] || fail "login with a pattern failed: $ERR"
expect_not_contains "$OUT" "serves no package until mapped"
grep -q '<package pattern="Acme.\*" />' "$CONFIG" || fail "no mapping added:
$(cat "$CONFIG")"
expect_success "$FEEDZ_AGENT" logout acme/pkgs
cmp -s "$CONFIG" "$TEST_ROOT/mapped.config" || fail "logout left the mapping or source behind:
$(diff "$CONFIG" "$TEST_ROOT/mapped.config")"

step "a NuGet.Config that is not XML is left alone; the error names file and line"
printf '<configuration>\n  <packageSources>\n    <add key="x" value="y">\n</configuration>\n' >"$CONFIG"
cp "$CONFIG" "$TEST_ROOT/broken.config"
login "$READ_TOKEN" --feed "$FEED"
expect_eq "$STATUS" 1 "exit code for a broken NuGet.Config"
expect_contains "$ERR" "$CONFIG:4:"
expect_contains "$ERR" "left as it was"
expect_contains "$ERR" "--no-nuget"
cmp -s "$CONFIG" "$TEST_ROOT/broken.config" || fail "the broken NuGet.Config was modified"
expect_success "$FEEDZ_AGENT" logout acme/pkgs 2>/dev/null || true

step "self-closing elements are expanded for the source and collapsed again by logout"
printf '<?xml version="1.0"?>\r\n<configuration />\r\n' >"$CONFIG"
cp "$CONFIG" "$TEST_ROOT/self-closing.config"
login "$READ_TOKEN" --feed "$FEED"
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
grep -q "$SOURCE" "$CONFIG" || fail "no source added to <configuration />"
expect_success "$FEEDZ_AGENT" logout acme/pkgs
cmp -s "$CONFIG" "$TEST_ROOT/self-closing.config" || fail "logout did not restore <configuration />:
$(cat -A "$CONFIG")"

step "no NuGet.Config at all: created as dotnet would, removed again by logout"
rm -rf "$HOME/.nuget" "$XDG_STATE_HOME/feedz-agent/managed.json"
login "$READ_TOKEN" --feed "$FEED"
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
grep -q 'key="nuget.org"' "$CONFIG" || fail "the new NuGet.Config lacks nuget.org"
grep -q "$SOURCE" "$CONFIG" || fail "the new NuGet.Config lacks the feed"
expect_success "$FEEDZ_AGENT" logout acme/pkgs
[ -e "$CONFIG" ] && fail "logout left the NuGet.Config it had created"
[ -e "$HOME/.nuget" ] && fail "logout left the directories it had created for NuGet.Config"

step "no token in any file under HOME or in any output"
expect_success "$FEEDZ_AGENT" stop
expect_secret_nowhere "$READ_TOKEN" "$HOME/.nuget" "$HOME/.local" "$HOME/.config" "$HOME/run"
expect_secret_nowhere "$WRITE_TOKEN" "$HOME/.nuget" "$HOME/.local" "$HOME/.config" "$HOME/run"
echo "PASS"
