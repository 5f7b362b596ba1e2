#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# start-test-feed.sh / stop-test-feed.sh: certificates made at run time with the right SANs,
# HTTPS that only our CA makes trusted, feed.env, a stop that leaves no process, and a restart on
# the same directory that keeps the data.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
require_tools curl openssl

dir=$work/feed
start_feed "$dir"

check "feed.env is written" test -f "$dir/feed.env"
for var in FEED_URL FEED_HOST FEED_PORT FEED_PID FEED_DATA FEED_LOG FEED_CA FEED_CA_BUNDLE \
    FEEDZ_TEST_FEED NODE_EXTRA_CA_CERTS SSL_CERT_FILE; do
    check "feed.env exports $var" grep -q "^export $var=." "$dir/feed.env"
done
check "FEED_URL is https://127.0.0.1:PORT/" test "$FEED_URL" = "https://127.0.0.1:$FEED_PORT/"
check "FEED_LOG is DATA/requests.log" test "$FEED_LOG" = "$FEED_DATA/requests.log"
check "NODE_EXTRA_CA_CERTS is the CA" test "$NODE_EXTRA_CA_CERTS" = "$FEED_CA"
check "SSL_CERT_FILE is the bundle" test "$SSL_CERT_FILE" = "$FEED_CA_BUNDLE"
check "the bundle contains our CA" grep -qF "$(sed -n 2p "$FEED_CA")" "$FEED_CA_BUNDLE"
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
    check "the bundle keeps the system CAs" \
        test "$(grep -c 'BEGIN CERTIFICATE' "$FEED_CA_BUNDLE")" -gt 1
fi

verify_server_cert() { openssl verify -CAfile "$FEED_CA" "$dir/server.pem" >/dev/null; }
san=$(openssl x509 -in "$dir/server.pem" -noout -ext subjectAltName)
check "server certificate SAN has IP 127.0.0.1" grep -q "IP Address:127.0.0.1" <<<"$san"
check "server certificate SAN has DNS localhost" grep -q "DNS:localhost" <<<"$san"
check "server certificate is signed by the CA" verify_server_cert
check "the CA key is private (0600)" test "$(stat -c %a "$dir/ca.key")" = 600

# /proc/net/tcp: "local_address rem_address st" with 0A = LISTEN and 0100007F = 127.0.0.1.
listeners() { cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | awk -v port="$(printf ':%04X' "$FEED_PORT")" \
    '$4 == "0A" && substr($2, length($2) - 4) == port { print $2 }'; }
check "the server listens on 127.0.0.1 only" test "$(listeners)" = "0100007F$(printf ':%04X' "$FEED_PORT")"
expect_status "HTTPS by IP, trusting only our CA" 200 GET ""
check "HTTPS by name localhost, trusting only our CA" \
    curl -sSf --cacert "$FEED_CA" -o /dev/null "https://localhost:$FEED_PORT/"
check "HTTPS without our CA fails certificate verification" \
    bash -c "! curl -sS --cacert /etc/ssl/certs/ca-certificates.crt -o /dev/null '$FEED_URL' 2>/dev/null"
check "plain HTTP is not served" bash -c "! curl -sS --max-time 5 -o /dev/null 'http://127.0.0.1:$FEED_PORT/' 2>/dev/null"
check "the port file holds the port" test "$(cat "$dir/port")" = "$FEED_PORT"
check "the request log has a JSON line per request" grep -qF '"method":"GET","path":"/","auth":"none"' "$FEED_LOG"

"$feed" repo create --data "$FEED_DATA" acme/repo 2>/dev/null
"$feed" pack nupkg Keep.Me 1.0.0 "$work/pkgs" >/dev/null
"$feed" package add --data "$FEED_DATA" acme/repo "$work/pkgs/Keep.Me.1.0.0.nupkg" 2>/dev/null
new_token read_token keeper read

# A second start on a running directory is refused.
check "a second start on the same directory is refused" \
    bash -c "! '$FEED_SCRIPTS/start-test-feed.sh' '$dir' 2>/dev/null"

check "the server is seen running (the check below can fail)" process_running "serve --data $dir/data"
old_pid=$FEED_PID
old_port=$FEED_PORT
stop_feed "$dir"
check "stop: the server process is gone" not alive "$old_pid"
check "stop: no process serves this directory" not process_running "serve --data $dir/data"
check "stop: the port is closed" bash -c "! curl -s --max-time 3 --cacert '$FEED_CA' -o /dev/null https://127.0.0.1:$old_port/"
check "stop twice is harmless" "$FEED_SCRIPTS/stop-test-feed.sh" "$dir"

start_feed "$dir"
check "restart: a new process" test "$FEED_PID" != "$old_pid"
expect_status "restart: the token still works and the package is still there" 200 \
    GET "acme/repo/nuget/v3-flatcontainer/keep.me/index.json" -H "$(basic_header u "$read_token")"
check "restart: same certificates (the CA did not change)" verify_server_cert

echo "# a feed does not outlive the process that started it"
sleep 3 &
owner=$!
FEED_OWNER_PID=$owner "$FEED_SCRIPTS/start-test-feed.sh" "$work/owned" 2>>"$work/fixture.log"
started_feeds+=("$work/owned")
owned_pid=$(cat "$work/owned/feed.pid")
check "the owned feed runs while its owner runs" alive "$owned_pid"
wait "$owner"
for _ in $(seq 1 30); do
    [[ -d /proc/$owned_pid ]] || break
    sleep 0.1
done
check "the owned feed stopped by itself once its owner ended" not alive "$owned_pid"
check "  cleanly, on SIGTERM" grep -q "stopping on signal 15" "$work/owned/feed.stderr"

check_no_token_leak "$dir"
finish
