#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# What login and logout do to the user's npm config, checked byte for byte and through the real
# npm's own reading of it, for a set of varied files (comments, CRLF, scoped registries, ${VAR}
# lines, arrays, quoted values, sections, a BOM, no final newline, a symlinked ~/.npmrc,
# NPM_CONFIG_USERCONFIG, no file at all):
#   - login adds exactly our lines, and npm reads every other setting as before;
#   - a second identical login changes no byte; logout restores the original bytes;
#   - a credential for the feed that we did not write, or a scope routed elsewhere, is left
#     alone with a warning; a file npm could not be ours to edit (a NUL byte) is left untouched;
#   - login's preflight names file, line and fix for what breaks npm.
# The agent keeps tokens in memory, and no feed is asked (--no-verify): this is about files.
source "$(dirname "$0")/lib.sh"
require_npm
use_throwaway_home
npm_setup
export FEEDZ_AGENT_STORE=memory
FEED=https://f.feedz.io/acme/pkgs/
REGISTRY=${FEED}npm/
NERF=//f.feedz.io/acme/pkgs/npm/
TOKEN=$(new_token)
AUTH=$(printf 'feedz:%s' "$TOKEN" | base64 -w0)
MANAGED=$XDG_STATE_HOME/feedz-agent/managed.json

# npm's view of its whole configuration, without our two keys.
npm_view() { # OUT-FILE
    (cd "$HOME" && npm config list --json) >"$1.raw" 2>"$1.err" || fail "npm config list failed: $(cat "$1.err")"
    node -e '
        const c = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
        delete c[process.argv[2] + ":_auth"]; delete c["@acme:registry"];
        process.stdout.write(JSON.stringify(c, Object.keys(c).sort(), 1));' "$1.raw" "$NERF" >"$1"
}

login_twice_logout() { # NAME FILE (the user config npm reads)
    local name=$1 file=$2 existed=1 mode=
    [ -e "$file" ] || existed=0
    [ "$existed" -eq 0 ] || { cp "$file" "$TEST_ROOT/original"; mode=$(stat -L -c %a "$file"); }
    npm_view "$TEST_ROOT/view-before"

    npm_login "$TOKEN" --feed "$FEED" --no-verify --npm-scope @acme --name "$name"
    [ "$STATUS" -eq 0 ] || fail "$name: login failed: $OUT $ERR"
    [ "$(grep -c "^$NERF:_auth=$AUTH" "$file")" -eq 1 ] || fail "$name: not exactly one credential line:
$(cat -A "$file")"
    [ "$(grep -c "^@acme:registry=$REGISTRY" "$file")" -eq 1 ] || fail "$name: not exactly one scope line"
    expect_eq "$(stat -L -c %a "$file")" 600 "$name: mode"
    npm_view "$TEST_ROOT/view-after"
    cmp -s "$TEST_ROOT/view-before" "$TEST_ROOT/view-after" || fail "$name: npm reads other settings differently after login:
$(diff "$TEST_ROOT/view-before" "$TEST_ROOT/view-after")"
    (cd "$HOME" && npm config get @acme:registry) >"$TEST_ROOT/scope" 2>/dev/null
    expect_eq "$(cat "$TEST_ROOT/scope")" "$REGISTRY" "$name: npm's @acme:registry"

    cp "$file" "$TEST_ROOT/after-first"
    cp "$MANAGED" "$TEST_ROOT/managed-first"
    npm_login "$TOKEN" --feed "$FEED" --no-verify --npm-scope @acme --name "$name"
    [ "$STATUS" -eq 0 ] || fail "$name: second login failed: $OUT $ERR"
    cmp -s "$file" "$TEST_ROOT/after-first" || fail "$name: the second login changed the file"
    cmp -s "$MANAGED" "$TEST_ROOT/managed-first" || fail "$name: the second login changed managed.json"

    run "$FEEDZ_AGENT" logout "$name"
    [ "$STATUS" -eq 0 ] || fail "$name: logout failed: $OUT $ERR"
    if [ "$existed" -eq 1 ]; then
        cmp "$file" "$TEST_ROOT/original" || fail "$name: logout did not restore the bytes:
$(cat -A "$file")
instead of
$(cat -A "$TEST_ROOT/original")"
        # Login made the file 0600 (it held a token); the last logout gives the mode back.
        expect_eq "$(stat -L -c %a "$file")" "$mode" "$name: mode after logout"
    else
        [ ! -e "$file" ] || fail "$name: logout left the file login created: $(cat -A "$file")"
    fi
}

declare -a NAMES FILES
add_case() { NAMES+=("$1"); FILES+=("$2"); }
add_case "comments-crlf" $'# team settings\r\n  ; indented\r\nsave-exact=true\r\n\t# tab\r\n'
add_case "scoped-registries" $'@other:registry=https://npm.pkg.github.com/\n//npm.pkg.github.com/:_authToken=ghp_notreal\n@x:registry=https://f.feedz.io/x/y/npm/\n'
add_case "placeholders" $'//f.feedz.io/acme/ci/npm/:_authToken=${FEEDZ_CI_TOKEN?}\ninit-author-name=${USER_NAME}\nescaped=\\${NOT_EXPANDED}\n'
add_case "arrays" $'omit[]=dev\nomit[]=optional\nca[]="-----BEGIN CERTIFICATE-----\\nAAA\\n-----END CERTIFICATE-----"\n'
add_case "quoted-values" $'init-author-name="Jane; Doe"\ninit-license=\'MIT # really\'\nmessage="v%s"\ninit-author-url=https://example.com/#me\n'
add_case "no-final-newline" 'save-exact=true'
add_case "crlf-no-final-newline" $'save-exact=true\r\ninit-license=MIT'
add_case "sections" $'save-exact=true\n\n; the section\n[section]\nnested=1\n'
add_case "bom" $'\xEF\xBB\xBFsave-exact=true\n'
add_case "blank-lines-and-spaces" $'\n\n  save-exact = true  \n\n\t\n'
add_case "empty" ''

for i in "${!NAMES[@]}"; do
    step "varied ~/.npmrc: ${NAMES[$i]}"
    printf '%s' "${FILES[$i]}" >"$HOME/.npmrc"
    chmod 644 "$HOME/.npmrc"
    login_twice_logout "${NAMES[$i]}" "$HOME/.npmrc"
done

step "no ~/.npmrc: login creates it (0600), logout removes it"
rm -f "$HOME/.npmrc"
login_twice_logout "no-file" "$HOME/.npmrc"

step "a symlinked ~/.npmrc is written through, and stays a symlink"
mkdir -p "$HOME/dotfiles"
printf '; in git\nsave-exact=true\n' >"$HOME/dotfiles/npmrc"
chmod 644 "$HOME/dotfiles/npmrc"
ln -s "$HOME/dotfiles/npmrc" "$HOME/.npmrc"
login_twice_logout "symlink" "$HOME/.npmrc"
npm_login "$TOKEN" --feed "$FEED" --no-verify --name symlink
expect_contains "$OUT" "Warning: npm: ~/.npmrc is a link to ~/dotfiles/npmrc: the token is written there (mode 0600 until logout)"
run "$FEEDZ_AGENT" logout symlink
expect_eq "$(stat -c %a "$HOME/dotfiles/npmrc")" 644 "symlink: the target's mode after logout"
[ -L "$HOME/.npmrc" ] || fail "~/.npmrc is no longer a symlink"
rm -f "$HOME/.npmrc"

step "NPM_CONFIG_USERCONFIG names the user config"
mkdir -p "$HOME/elsewhere"
printf 'save-exact=true\n' >"$HOME/elsewhere/npmrc"
export NPM_CONFIG_USERCONFIG=$HOME/elsewhere/npmrc
login_twice_logout "userconfig-variable" "$HOME/elsewhere/npmrc"
[ ! -e "$HOME/.npmrc" ] || fail "login wrote ~/.npmrc although NPM_CONFIG_USERCONFIG names another file"
unset NPM_CONFIG_USERCONFIG

step "a credential we did not write, and a scope routed elsewhere, are left alone"
printf '%s:_auth=%s\n@acme:registry=https://other.example/npm/\n' "$NERF" "aGFuZDp3cml0dGVu" >"$HOME/.npmrc"
cp "$HOME/.npmrc" "$TEST_ROOT/handwritten"
npm_login "$TOKEN" --feed "$FEED" --no-verify --npm-scope @acme --name foreign
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$OUT" "Warning: npm: ~/.npmrc line 1 already has a credential for $REGISTRY that feedz-agent did not write"
expect_contains "$OUT" "Warning: npm: ~/.npmrc line 2 sends @acme packages to https://other.example/npm/"
cmp -s "$HOME/.npmrc" "$TEST_ROOT/handwritten" || fail "login changed lines it does not own"
run "$FEEDZ_AGENT" logout foreign
cmp -s "$HOME/.npmrc" "$TEST_ROOT/handwritten" || fail "logout changed lines login does not own"

step "a file npm could not read as text is left untouched, and the error names file and line"
printf 'save-exact=true\n\0binary\n' >"$HOME/.npmrc"
cp "$HOME/.npmrc" "$TEST_ROOT/binary"
npm_login "$TOKEN" --feed "$FEED" --no-verify --name binary
[ "$STATUS" -ne 0 ] || fail "login succeeded on a binary ~/.npmrc"
expect_contains "$ERR" "$HOME/.npmrc:2: a NUL byte"
cmp -s "$HOME/.npmrc" "$TEST_ROOT/binary" || fail "login changed a file it could not parse"
run "$FEEDZ_AGENT" logout binary

step "login's preflight: file, line and fix"
mkdir -p "$HOME/project"
printf '{"name":"project","version":"1.0.0"}\n' >"$HOME/project/package.json"
printf '%s:_auth=bGl0ZXJhbA==\n' "$NERF" >"$HOME/project/.npmrc"
printf 'always-auth=true\n@y:registry=https://f.feedz.io/y/z/npm\n//h.example/:_authToken=${UNSET_TOKEN_VARIABLE}\n' >"$HOME/.npmrc"
cd "$HOME/project" || fail "no project directory"
npm_login "$TOKEN" --feed "$FEED" --no-verify --name preflight
cd "$TEST_ROOT" || fail "no test directory"
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
expect_contains "$OUT" "Warning: npm: ~/project/.npmrc:1: a credential for $NERF in the project config, which takes precedence over feedz-agent's"
expect_contains "$OUT" "Warning: npm: ~/.npmrc:1: always-auth no longer exists in npm 11"
expect_contains "$OUT" "Warning: npm: ~/.npmrc:2: the registry URL https://f.feedz.io/y/z/npm has no trailing slash"
expect_contains "$OUT" 'fix: write `@y:registry=https://f.feedz.io/y/z/npm/`'
expect_contains "$OUT" 'Warning: npm: ~/.npmrc:3: `${UNSET_TOKEN_VARIABLE}` is not set'
printf '_authToken=unscoped\n' >"$HOME/.npmrc"
npm_login "$TOKEN" --feed "$FEED" --no-verify --name preflight
expect_contains "$OUT" "Warning: npm: ~/.npmrc:1: an unscoped \`_authToken\` makes npm 11 refuse every command"
(cd "$HOME" && npm prefix) >"$TEST_ROOT/invalid-auth" 2>&1 && fail "npm accepted an unscoped _authToken, so the finding is wrong"
expect_contains "$(cat "$TEST_ROOT/invalid-auth")" "ERR_INVALID_AUTH" "npm prefix output"
run "$FEEDZ_AGENT" logout preflight
echo "PASS: $TEST_NAME"
