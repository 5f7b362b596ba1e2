#!/usr/bin/env bash
# A NuGet.Config or ~/.npmrc that cannot be written: login says so (naming the file and the
# fix), exits 1, keeps the token, and records nothing, so that a later logout cannot remove a
# line the user added by hand. Logout removes only what still reads as login wrote it.
source "$(dirname "$0")/../lib/testlib.sh"
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS NPM_CONFIG_USERCONFIG npm_config_userconfig
export FEEDZ_AGENT_STORE=memory
use_unprivileged_user
TOKEN=$(new_token)
CONFIG="$HOME/.nuget/NuGet/NuGet.Config"
SOURCE="https://f.feedz.io/acme/pkgs/nuget/index.json"
STATE="$XDG_STATE_HOME/feedz-agent/managed.json"
NPMRC="$HOME/.npmrc"

# Nothing of kind $1 recorded in managed.json.
expect_unrecorded() {
    if [ -e "$STATE" ]; then
        expect_not_contains "$(cat "$STATE")" "\"kind\": \"$1\"" "managed.json"
    fi
}

step "a NuGet directory the user cannot write: login fails, says why, records nothing"
as_user mkdir -p "$(dirname "$CONFIG")"
as_user sh -c "printf '%s\n' '<?xml version=\"1.0\" encoding=\"utf-8\"?>' '<configuration>' '  <packageSources>' '  </packageSources>' '</configuration>' >'$CONFIG'"
cp "$CONFIG" "$TEST_ROOT/original.config"
chmod 555 "$(dirname "$CONFIG")"
login_as_user "$TOKEN" --feed acme/pkgs --no-verify --npm none
expect_eq "$STATUS" 1 "exit code for an unwritable NuGet.Config"
expect_contains "$ERR" "NuGet: the feed was not added to ~/.nuget/NuGet/NuGet.Config"
expect_contains "$ERR" "Permission denied"
expect_contains "$ERR" "--no-nuget"
expect_contains "$ERR" "the token is stored"
expect_not_contains "$OUT" "added source"
expect_unrecorded nuget-source
expect_unrecorded nuget-file
cmp -s "$CONFIG" "$TEST_ROOT/original.config" || fail "NuGet.Config changed"
expect_success as_user "$FEEDZ_AGENT" list
expect_contains "$OUT" "acme/pkgs"

step "the user adds that source by hand; logout leaves it"
chmod 755 "$(dirname "$CONFIG")"
as_user sed -i "s|  </packageSources>|    <!-- added by hand -->\n    <add key=\"acme/pkgs\" value=\"$SOURCE\" />\n  </packageSources>|" "$CONFIG"
cp "$CONFIG" "$TEST_ROOT/by-hand.config"
expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
cmp -s "$CONFIG" "$TEST_ROOT/by-hand.config" || fail "logout changed the user's NuGet.Config: $(cat "$CONFIG")"

step "a dangling NuGet.Config symlink: login fails and records nothing"
as_user rm "$CONFIG"
as_user ln -s /nonexistent/NuGet.Config "$CONFIG"
login_as_user "$TOKEN" --feed acme/pkgs --no-verify --npm none
expect_eq "$STATUS" 1 "exit code for a dangling NuGet.Config symlink"
expect_contains "$ERR" "NuGet: the feed was not added to ~/.nuget/NuGet/NuGet.Config"
expect_not_contains "$OUT" "added source"
expect_unrecorded nuget-source
expect_unrecorded nuget-file
expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
as_user rm "$CONFIG"

if [ "$RUN_AS_ROOT" -eq 1 ]; then
    step "a root-owned ~/.npmrc: login fails, says why, records nothing"
    printf 'registry=https://registry.npmjs.org/\n' >"$NPMRC"
    cp "$NPMRC" "$TEST_ROOT/original.npmrc"
    login_as_user "$TOKEN" --feed acme/pkgs --no-verify --no-nuget
    expect_eq "$STATUS" 1 "exit code for a root-owned .npmrc"
    expect_contains "$ERR" "npm: ~/.npmrc was not changed"
    expect_contains "$ERR" "--npm exec"
    expect_not_contains "$OUT" "wrote the credential"
    expect_unrecorded npm-auth
    cmp -s "$NPMRC" "$TEST_ROOT/original.npmrc" || fail ".npmrc changed"
    expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
    rm "$NPMRC"
fi

step "a read-only NuGet.Config: login refuses, names the file and the fix, records nothing"
as_user sh -c "printf '%s\n' '<?xml version=\"1.0\" encoding=\"utf-8\"?>' '<configuration>' '  <packageSources>' '  </packageSources>' '</configuration>' >'$CONFIG'"
as_user chmod 444 "$CONFIG"
cp "$CONFIG" "$TEST_ROOT/read-only.config"
login_as_user "$TOKEN" --feed acme/pkgs --no-verify --npm none
expect_eq "$STATUS" 1 "exit code for a read-only NuGet.Config"
expect_contains "$ERR" "NuGet.Config is read-only (mode 0444)"
expect_contains "$ERR" "--no-nuget"
expect_unrecorded nuget-source
cmp -s "$CONFIG" "$TEST_ROOT/read-only.config" || fail "a read-only NuGet.Config changed"
expect_eq "$(stat -c %a "$CONFIG")" 444 "mode of the read-only NuGet.Config"
expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
as_user rm -f "$CONFIG"

step "a read-only ~/.npmrc: login refuses, suggests --npm exec, records nothing"
as_user sh -c "printf 'registry=https://registry.npmjs.org/\n' >'$NPMRC'"
as_user chmod 444 "$NPMRC"
cp "$NPMRC" "$TEST_ROOT/read-only.npmrc"
login_as_user "$TOKEN" --feed acme/pkgs --no-verify --no-nuget
expect_eq "$STATUS" 1 "exit code for a read-only .npmrc"
expect_contains "$ERR" ".npmrc is read-only (mode 0444)"
expect_contains "$ERR" "--npm exec"
expect_unrecorded npm-auth
cmp -s "$NPMRC" "$TEST_ROOT/read-only.npmrc" || fail "a read-only .npmrc changed"
expect_eq "$(stat -c %a "$NPMRC")" 444 "mode of the read-only .npmrc"
expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
as_user rm -f "$NPMRC"

if [ "$RUN_AS_ROOT" -eq 1 ]; then
    step "a NuGet.Config of another user (root) in the user's home: login refuses, keeps its owner"
    printf '%s\n' '<?xml version="1.0" encoding="utf-8"?>' '<configuration>' '  <packageSources>' '  </packageSources>' '</configuration>' >"$CONFIG"
    chmod 666 "$CONFIG"
    cp "$CONFIG" "$TEST_ROOT/root-owned.config"
    login_as_user "$TOKEN" --feed acme/pkgs --no-verify --npm none
    expect_eq "$STATUS" 1 "exit code for a root-owned NuGet.Config"
    expect_contains "$ERR" "NuGet.Config belongs to another user (uid 0)"
    expect_contains "$ERR" "--no-nuget"
    expect_unrecorded nuget-source
    cmp -s "$CONFIG" "$TEST_ROOT/root-owned.config" || fail "a root-owned NuGet.Config changed"
    expect_eq "$(stat -c %u "$CONFIG")" 0 "owner of the root-owned NuGet.Config"
    expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
    rm -f "$CONFIG"
fi

step "logout leaves a NuGet source the user changed since login"
login_as_user "$TOKEN" --feed acme/pkgs --no-verify --npm none
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
expect_contains "$OUT" "added source 'acme/pkgs'"
as_user sed -i "s|<add key=\"acme/pkgs\" value=\"$SOURCE\" />|<add key=\"acme/pkgs\" value=\"$SOURCE\" protocolVersion=\"3\" />|" "$CONFIG"
cp "$CONFIG" "$TEST_ROOT/changed.config"
expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
expect_contains "$OUT" "is not what feedz-agent wrote; it was left as it is"
cmp -s "$CONFIG" "$TEST_ROOT/changed.config" || fail "logout removed the changed source"
as_user rm "$CONFIG"

step "logout leaves an npm credential the user replaced since login"
login_as_user "$TOKEN" --feed acme/pkgs --no-verify --no-nuget
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
expect_contains "$OUT" "wrote the credential"
OTHER=$(new_token)
as_user sed -i "s|:_auth=.*|:_auth=$(printf 'me:%s' "$OTHER" | base64 -w0)|" "$NPMRC"
cp "$NPMRC" "$TEST_ROOT/replaced.npmrc"
expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
expect_contains "$OUT" "is not the one feedz-agent wrote; it was left as it is"
cmp -s "$NPMRC" "$TEST_ROOT/replaced.npmrc" || fail "logout removed the user's credential"

step "and removes what it wrote when it is unchanged"
as_user rm "$NPMRC" "$CONFIG"
login_as_user "$TOKEN" --feed acme/pkgs --no-verify
[ "$STATUS" -eq 0 ] || fail "login failed: $ERR"
expect_success as_user "$FEEDZ_AGENT" logout acme/pkgs
[ ! -e "$NPMRC" ] || fail "logout left ~/.npmrc: $(cat "$NPMRC")"
[ ! -e "$CONFIG" ] || fail "logout left NuGet.Config: $(cat "$CONFIG")"
echo "PASS"
