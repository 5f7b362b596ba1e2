#!/usr/bin/env bash
# Bad input gets a clear message and the right exit code, and stores nothing.
source "$(dirname "$0")/../lib/testlib.sh"
use_throwaway_home
unset DBUS_SESSION_BUS_ADDRESS
export FEEDZ_AGENT_STORE=memory
TOKEN=$(new_token)

expect_usage_error() {
    local message=$1
    shift
    run "$@"
    [ "$STATUS" -eq 2 ] || fail "expected exit 2 from '$*', got $STATUS: $ERR"
    expect_contains "$ERR" "$message" "stderr of '$*'"
}

login_stdin() {
    run sh -c 'printf "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs' sh "$1"
}

step "bad tokens"
login_stdin ''
expect_eq "$STATUS" 2 "empty token"
expect_contains "$ERR" "the token is empty"
login_stdin 'T-abcdefgh ijklmnopqrstuvwxyz'
expect_eq "$STATUS" 2 "token with a space"
expect_contains "$ERR" "contains whitespace"
login_stdin 'T-abcdefghij\tklmnopqrstuvwxyz'
expect_eq "$STATUS" 2 "token with a tab"
login_stdin 'T-abcdefghij\001klmnopqrstuvwxyz'
expect_eq "$STATUS" 2 "token with a control character"
expect_contains "$ERR" "control or non-ASCII"
login_stdin 'T-short'
expect_eq "$STATUS" 2 "short token"
expect_contains "$ERR" "only 7 characters long"
run sh -c 'printf "%s\n" "$1" | "$FEEDZ_AGENT" login --pat-stdin --no-verify --no-nuget --feed acme/pkgs --name trailing-newline' sh "$TOKEN"
expect_eq "$STATUS" 0 "a token with one trailing newline (echo \$TOKEN | ...)"
expect_success "$FEEDZ_AGENT" logout trailing-newline

step "no terminal and no --pat-stdin"
run sh -c '"$FEEDZ_AGENT" login --feed acme/pkgs </dev/null' 
expect_eq "$STATUS" 2 "login without a terminal"
expect_contains "$ERR" "no terminal to ask for the token on"
expect_contains "$ERR" "--pat-stdin"

step "bad feeds, levels, dates"
expect_usage_error "not a feed: 'acme'" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme' sh "$TOKEN"
expect_contains "$ERR" "org/repo"
expect_contains "$ERR" "/nuget/index.json"
expect_usage_error "refusing plain http" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed http://f.feedz.io/acme/pkgs/' sh "$TOKEN"
expect_usage_error "must not contain a user name or password" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed https://me:pw@f.feedz.io/acme/pkgs/' sh "$TOKEN"
expect_usage_error "unknown access level 'admin'" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs --access admin' sh "$TOKEN"
expect_usage_error "bad expiry date '2026-13-01'" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs --expires 2026-13-01' sh "$TOKEN"
expect_usage_error "bad expiry date '31/12/2030'" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs --expires 31/12/2030' sh "$TOKEN"
expect_usage_error "is in the past" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs --expires 2020-01-01' sh "$TOKEN"
expect_usage_error "unknown --npm mode 'sometimes'" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs --npm sometimes' sh "$TOKEN"
expect_usage_error "bad npm scope" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs --npm-scope "@bad scope"' sh "$TOKEN"
expect_usage_error "give a single --feed with it" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs --feed acme/b --npm-scope @acme' sh "$TOKEN"
expect_usage_error "bad token name" sh -c 'printf %s "$1" | "$FEEDZ_AGENT" login --pat-stdin --feed acme/pkgs --name "-x y"' sh "$TOKEN"

step "unknown commands and options"
expect_usage_error "unknown command 'frobnicate'" "$FEEDZ_AGENT" frobnicate
expect_usage_error "unknown option '--frob' for 'login'" "$FEEDZ_AGENT" login --frob
expect_usage_error "option '--feed' needs a value" "$FEEDZ_AGENT" login --feed
expect_usage_error "not both" "$FEEDZ_AGENT" login --pat x --pat-stdin
expect_usage_error "unknown option '--all' for 'list'" "$FEEDZ_AGENT" list --all
expect_usage_error "needs exactly one token NAME" "$FEEDZ_AGENT" disable
expect_usage_error "give a NAME or --all, not both" "$FEEDZ_AGENT" logout x --all
FEEDZ_AGENT_STORE=keyring expect_usage_error "is not a store" "$FEEDZ_AGENT" serve --foreground

step "a token typed as a plain argument is not echoed"
expect_usage_error "looks like a token" "$FEEDZ_AGENT" login "$TOKEN"
expect_not_contains "$ERR" "$TOKEN"
expect_usage_error "unknown option" "$FEEDZ_AGENT" login "--pta=$TOKEN"
expect_not_contains "$ERR" "$TOKEN"

step "help and version"
expect_success "$FEEDZ_AGENT" --version
expect_contains "$OUT" "feedz-agent "
expect_success "$FEEDZ_AGENT" --help
expect_contains "$OUT" "FEEDZ_AGENT_STORE"
for command in login logout list disable enable serve stop; do
    expect_success "$FEEDZ_AGENT" "$command" --help
    expect_contains "$OUT" "usage: feedz-agent $command"
done
expect_exit 2 "$FEEDZ_AGENT"

step "--pat works and warns that the token is exposed"
run "$FEEDZ_AGENT" login --pat "$TOKEN" --no-verify --no-nuget --feed acme/pkgs --name from-argv
expect_eq "$STATUS" 0 "login --pat"
expect_contains "$ERR" "shell history"
expect_not_contains "$ERR" "$TOKEN"

step "JSON nested too deep is refused, not a crash"
nested_arrays() {
    head -c "$1" /dev/zero | tr '\0' '['
    head -c "$1" /dev/zero | tr '\0' ']'
}
DEEP_MESSAGE="$HOME/deep-message.json"
printf '{"Method":"Handshake","x":%s}\n' "$(nested_arrays 50000)" >"$DEEP_MESSAGE"
run sh -c '"$NUGET_PLUGIN" -Plugin <"$1"' sh "$DEEP_MESSAGE"
expect_eq "$STATUS" 0 "nuget-plugin-feedz given a deeply nested message (stderr: $ERR)"
expect_eq "$(wc -l <<<"$OUT")" 1 "lines the plugin wrote (only its own Handshake)"
expect_not_contains "$OUT" '"Fault"'
DEEP_CREDENTIALS="[{\"feed\": \"acme/pkgs\", \"token\": \"$TOKEN\", \"x\": $(nested_arrays 60000)}]"
run env FEEDZ_CREDENTIALS="$DEEP_CREDENTIALS" "$FEEDZ_AGENT" doctor
expect_eq "$STATUS" 1 "doctor with a deeply nested FEEDZ_CREDENTIALS (stderr: $ERR)"
expect_contains "$OUT$ERR" "FEEDZ_CREDENTIALS is not a JSON list (JSON nested deeper than 32 levels)"
expect_not_contains "$OUT$ERR" "$TOKEN"
run env FEEDZ_CREDENTIALS="$DEEP_CREDENTIALS" sh -c '"$NUGET_PLUGIN" -Plugin <"$1"' sh "$DEEP_MESSAGE"
expect_eq "$STATUS" 0 "nuget-plugin-feedz with a deeply nested FEEDZ_CREDENTIALS (stderr: $ERR)"

step "nothing but the one good login was stored"
expect_success "$FEEDZ_AGENT" list --json
expect_eq "$(jq -r '[.tokens[].name] | join(",")' <<<"$OUT")" "from-argv" "stored tokens"
expect_success "$FEEDZ_AGENT" stop
expect_secret_nowhere "$TOKEN" "$HOME"
echo "PASS"
