#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The real nuget-plugin-feedz binary driven over stdin/stdout by a scripted NuGet, checking the
# wire byte for byte: exact PascalCase, one compact JSON object per line, nothing else on
# stdout, nothing at all on stderr, and the process ends on Close, on stdin EOF and when the
# NuGet process is gone. Tokens come from FEEDZ_CREDENTIALS, and from the agent (running, and
# started on demand by the plugin).
source "$(dirname "$0")/lib.sh"
use_throwaway_home
e2e_setup
unset DBUS_SESSION_BUS_ADDRESS
export FEEDZ_AGENT_STORE=memory

ROOT=https://127.0.0.1:9/acme/pkgs/
SOURCE=${ROOT}nuget/index.json
TOKEN=$(new_token)
AGENT_TOKEN=$(new_token)
STDERR_FILE=$TEST_ROOT/plugin.stderr
: >"$STDERR_FILE"

# start_plugin [VAR=VALUE...]: the plugin with -Plugin, its stdin and stdout on FIFOs held by
# this shell as $TO_PLUGIN and $FROM_PLUGIN, stderr appended to $STDERR_FILE.
start_plugin() {
    local fifo_dir
    fifo_dir=$(mktemp -d "$TEST_ROOT/fifo.XXXXXX")
    mkfifo "$fifo_dir/in" "$fifo_dir/out"
    env "$@" "$NUGET_PLUGIN" -Plugin <"$fifo_dir/in" >"$fifo_dir/out" 2>>"$STDERR_FILE" &
    PLUGIN_PID=$!
    exec {TO_PLUGIN}>"$fifo_dir/in" {FROM_PLUGIN}<"$fifo_dir/out"
}

send() {
    printf '%s\n' "$1" >&"$TO_PLUGIN"
}

# receive: the next line from the plugin into $LINE (fails after 10 s).
receive() {
    LINE=""
    IFS= read -r -t 10 LINE <&"$FROM_PLUGIN" || fail "no line from the plugin; expected: ${1:-a line}"
    ALL_OUTPUT="$ALL_OUTPUT$LINE"
}

expect_line() {
    receive "$1"
    [ "$LINE" = "$1" ] || fail "expected the line
$1
got
$LINE"
}

expect_line_matching() {
    receive "$1"
    [[ $LINE =~ $1 ]] || fail "expected a line matching
$1
got
$LINE"
}

# close_plugin_input; expect_plugin_exit: the plugin exits with 0 within 5 s and wrote nothing
# more on stdout.
close_plugin_input() {
    exec {TO_PLUGIN}>&-
    TO_PLUGIN=""
}

expect_plugin_exit() {
    local _
    for _ in $(seq 50); do
        kill -0 "$PLUGIN_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -0 "$PLUGIN_PID" 2>/dev/null && fail "the plugin did not exit ($1)"
    local status=0
    wait "$PLUGIN_PID" || status=$?
    [ "$status" -eq 0 ] || fail "the plugin exited with $status ($1)"
    # EOF at once: nothing more, and no child (an agent started on demand) holds the pipe.
    local rest="" read_status=0
    IFS= read -r -t 2 rest <&"$FROM_PLUGIN" || read_status=$?
    [ "$read_status" -ne 0 ] && [ -z "$rest" ] || fail "more output after $1: $rest"
    [ "$read_status" -le 128 ] || fail "stdout is still open after the plugin exited ($1)"
    exec {FROM_PLUGIN}<&-
    [ -z "$TO_PLUGIN" ] || close_plugin_input
}

# ack_log: answers the Log request in $LINE as NuGet does (the plugin waits for that before it
# sends the response the Log belongs to).
ack_log() {
    [[ $LINE =~ ^\{\"RequestId\":\"([0-9a-f-]{36})\",\"Type\":\"Request\",\"Method\":\"Log\" ]] \
        || fail "not a Log request: $LINE"
    send "{\"RequestId\":\"${BASH_REMATCH[1]}\",\"Type\":\"Response\",\"Method\":\"Log\",\"Payload\":{\"ResponseCode\":\"Success\"}}"
}

response() { # ID METHOD CODE
    printf '{"RequestId":"%s","Type":"Response","Method":"%s","Payload":{"ResponseCode":"%s"}}' "$1" "$2" "$3"
}

credentials() { # ID TOKEN
    printf '{"RequestId":"%s","Type":"Response","Method":"GetAuthenticationCredentials","Payload":{"Username":"feedz","Password":"%s","AuthenticationTypes":["Basic"],"ResponseCode":"Success"}}' "$1" "$2"
}

ask() { # ID URI IS-RETRY
    send "{\"RequestId\":\"$1\",\"Type\":\"Request\",\"Method\":\"GetAuthenticationCredentials\",\"Payload\":{\"Uri\":\"$2\",\"IsRetry\":$3,\"IsNonInteractive\":true,\"CanShowDialog\":true}}"
}

HANDSHAKE_REQUEST='^\{"RequestId":"([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})","Type":"Request","Method":"Handshake","Payload":\{"ProtocolVersion":"2\.0\.0","MinimumProtocolVersion":"1\.0\.0"\}\}$'
LOG_REQUEST='^\{"RequestId":"([0-9a-f-]{36})","Type":"Request","Method":"Log","Payload":\{"LogLevel":"Warning","Message":"feedz-agent: [^"]*"\}\}$'

# The opening of every session: both handshakes, Initialize, MonitorNuGetProcessExit (this
# shell), the claims, SetLogLevel.
open_session() {
    expect_line_matching "$HANDSHAKE_REQUEST"
    local ours=${BASH_REMATCH[1]}
    send '{"RequestId":"h1","Type":"Request","Method":"Handshake","Payload":{"ProtocolVersion":"2.0.0","MinimumProtocolVersion":"1.0.0"}}'
    expect_line '{"RequestId":"h1","Type":"Response","Method":"Handshake","Payload":{"ResponseCode":"Success","ProtocolVersion":"2.0.0"}}'
    send "{\"RequestId\":\"$ours\",\"Type\":\"Response\",\"Method\":\"Handshake\",\"Payload\":{\"ResponseCode\":\"Success\",\"ProtocolVersion\":\"2.0.0\"}}"
    send '{"RequestId":"i1","Type":"Request","Method":"Initialize","Payload":{"ClientVersion":"7.0.0","Culture":"en-US","RequestTimeout":"00:00:30"}}'
    expect_line "$(response i1 Initialize Success)"
    send "{\"RequestId\":\"m1\",\"Type\":\"Request\",\"Method\":\"MonitorNuGetProcessExit\",\"Payload\":{\"ProcessId\":$$}}"
    expect_line "$(response m1 MonitorNuGetProcessExit Success)"
    send '{"RequestId":"c1","Type":"Request","Method":"GetOperationClaims","Payload":{}}'
    expect_line '{"RequestId":"c1","Type":"Response","Method":"GetOperationClaims","Payload":{"Claims":["Authentication"]}}'
    send '{"RequestId":"l1","Type":"Request","Method":"SetLogLevel","Payload":{"LogLevel":"Information"}}'
    expect_line "$(response l1 SetLogLevel Success)"
}

step "without -Plugin: a short explanation on stderr, nothing on stdout, exit 2"
expect_exit 2 "$NUGET_PLUGIN"
[ -z "$OUT" ] || fail "stdout is not empty: $OUT"
expect_contains "$ERR" "NuGet"
expect_exit 2 "$NUGET_PLUGIN" --plugin-please

step "a whole session with FEEDZ_CREDENTIALS, byte for byte"
start_plugin FEEDZ_CREDENTIALS="[{\"feed\":\"$ROOT\",\"token\":\"$TOKEN\"}]"
open_session
send '{"RequestId":"c2","Type":"Request","Method":"GetOperationClaims","Payload":{"PackageSourceRepository":"https://x/","ServiceIndex":{"version":"3.0.0"}}}'
expect_line '{"RequestId":"c2","Type":"Response","Method":"GetOperationClaims","Payload":{"Claims":[]}}'
send '{"RequestId":"s1","Type":"Request","Method":"SetCredentials","Payload":{"PackageSourceRepository":"/acme/","ProxyUsername":"u","ProxyPassword":"p"}}'
expect_line "$(response s1 SetCredentials Success)"
# Garbage, empty lines and a Cancel for nothing get no answer at all.
send 'this is not JSON'
send ''
send '{"RequestId":"zz","Type":"Cancel","Method":"GetAuthenticationCredentials"}'
ask g1 "$SOURCE" false
expect_line "$(credentials g1 "$TOKEN")"
ask g2 "https://elsewhere.example/v3/index.json" false
expect_line_matching '^\{"RequestId":"[0-9a-f-]{36}","Type":"Request","Method":"Log","Payload":\{"LogLevel":"Information","Message":"feedz-agent: FEEDZ_PAT/FEEDZ_CREDENTIALS hold no token for https://elsewhere.example/v3/index.json"\}\}$'
ack_log
expect_line "$(response g2 GetAuthenticationCredentials NotFound)"
ask g3 "$SOURCE" true
expect_line_matching "$LOG_REQUEST"
expect_contains "$LINE" "${TOKEN:0:7}"
ack_log
expect_line "$(response g3 GetAuthenticationCredentials NotFound)"
send '{"RequestId":"u1","Type":"Request","Method":"GetPackageVersions","Payload":{"PackageSourceRepository":"x","PackageId":"y"}}'
expect_line "$(response u1 GetPackageVersions Error)"
send '{"RequestId":"x1","Type":"Request","Method":"Close"}'
expect_plugin_exit "Close"

step "FEEDZ_PAT: the token for every feed on https://f.feedz.io/, and for nothing else"
start_plugin FEEDZ_PAT="$TOKEN"
open_session
ask g1 "https://f.feedz.io/acme/pkgs/nuget/index.json" false
expect_line "$(credentials g1 "$TOKEN")"
ask g2 "https://F.FEEDZ.IO:443/other/feed/nuget/index.json" false
expect_line "$(credentials g2 "$TOKEN")"
ask g3 "$SOURCE" false
receive
ack_log
expect_line "$(response g3 GetAuthenticationCredentials NotFound)"
send '{"RequestId":"x1","Type":"Request","Method":"Close"}'
expect_plugin_exit "Close"

step "stdin EOF ends the plugin"
start_plugin FEEDZ_CREDENTIALS="[{\"feed\":\"$ROOT\",\"token\":\"$TOKEN\"}]"
expect_line_matching "$HANDSHAKE_REQUEST"
close_plugin_input
expect_plugin_exit "stdin EOF"

step "the plugin exits when the NuGet process it watches is gone"
sleep 60 &
nuget_pid=$!
start_plugin FEEDZ_CREDENTIALS="[{\"feed\":\"$ROOT\",\"token\":\"$TOKEN\"}]"
expect_line_matching "$HANDSHAKE_REQUEST"
send "{\"RequestId\":\"m1\",\"Type\":\"Request\",\"Method\":\"MonitorNuGetProcessExit\",\"Payload\":{\"ProcessId\":$nuget_pid}}"
expect_line "$(response m1 MonitorNuGetProcessExit Success)"
kill "$nuget_pid"
wait "$nuget_pid" 2>/dev/null || true
expect_plugin_exit "the NuGet process ended"

step "the token from a running agent"
login_with "$AGENT_TOKEN" --feed "$ROOT" --access read --name acme/pkgs
[ "$STATUS" -eq 0 ] || fail "login failed: $OUT $ERR"
start_plugin
open_session
ask g1 "$SOURCE" false
expect_line "$(credentials g1 "$AGENT_TOKEN")"
send '{"RequestId":"x1","Type":"Request","Method":"Close"}'
expect_plugin_exit "Close"
expect_contains "$(cat "$AUDIT_LOG")" "${AGENT_TOKEN:0:7}" "audit log"

step "a disabled token: NotFound and the command that turns it back on"
expect_success "$FEEDZ_AGENT" disable acme/pkgs
start_plugin
open_session
ask g1 "$SOURCE" false
expect_line_matching "$LOG_REQUEST"
expect_contains "$LINE" "token 'acme/pkgs' (${AGENT_TOKEN:0:7}"
expect_contains "$LINE" '`feedz-agent enable acme/pkgs`'
ack_log
expect_line "$(response g1 GetAuthenticationCredentials NotFound)"
close_plugin_input
expect_plugin_exit "stdin EOF"

step "no agent running: the plugin starts one (feedz-agent on PATH)"
expect_success "$FEEDZ_AGENT" stop
agent_running && fail "the agent did not stop"
start_plugin
open_session
ask g1 "$SOURCE" false
expect_line_matching '^\{"RequestId":"[0-9a-f-]{36}","Type":"Request","Method":"Log","Payload":\{"LogLevel":"Information","Message":"feedz-agent: no token is stored for '
ack_log
expect_line "$(response g1 GetAuthenticationCredentials NotFound)"
agent_running || fail "the plugin did not start the agent"
send '{"RequestId":"x1","Type":"Request","Method":"Close"}'
expect_plugin_exit "Close"
expect_success "$FEEDZ_AGENT" stop

step "no agent and none to start: NotFound and a Warning that says so, never a Fault"
if PATH=/usr/bin:/bin command -v feedz-agent >/dev/null; then
    echo "(skipped: a feedz-agent is installed in /usr/bin or /bin)"
else
    start_plugin PATH=/usr/bin:/bin
    open_session
    ask g1 "$SOURCE" false
    expect_line_matching "$LOG_REQUEST"
    expect_contains "$LINE" "no feedz-agent answers on"
    ack_log
    expect_line "$(response g1 GetAuthenticationCredentials NotFound)"
    send '{"RequestId":"x1","Type":"Request","Method":"Close"}'
    expect_plugin_exit "Close"
fi

step "stderr stayed silent; the diagnostic log has prefixes, never a token"
[ ! -s "$STDERR_FILE" ] || fail "the plugin wrote to stderr: $(cat "$STDERR_FILE")"
expect_contains "$(cat "$PLUGIN_LOG")" "\"token_prefix\":\"${TOKEN:0:7}\"" "plugin log"
expect_contains "$(cat "$PLUGIN_LOG")" "\"token_prefix\":\"${AGENT_TOKEN:0:7}\"" "plugin log"
ALL_OUTPUT=${ALL_OUTPUT//$TOKEN/} # the Success lines carry the tokens, as they must
ALL_OUTPUT=${ALL_OUTPUT//$AGENT_TOKEN/}
expect_secret_nowhere "$TOKEN" "$HOME"
expect_secret_nowhere "$AGENT_TOKEN" "$HOME"
echo "PASS"
