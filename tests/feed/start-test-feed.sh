#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# start-test-feed.sh DIR [SERVE-OPTION...]
#
# Starts a local HTTPS test feed (feedz-test-feed serve) in the background and writes
# DIR/feed.env, a shell-sourceable file describing it. Stop it with stop-test-feed.sh DIR.
#
# The feedz-test-feed binary is not found by itself, because tests run from the build tree:
# pass its path in the environment variable FEEDZ_TEST_FEED (ctest sets it).
#
# On first use of DIR this generates a throwaway CA and a server certificate for 127.0.0.1 and
# localhost with openssl (nothing private is committed; the keys live in DIR only). A restart
# on the same DIR reuses the certificates and the data (tokens, repositories, packages); the
# port changes, so source DIR/feed.env again.
#
# SERVE-OPTION are passed to `feedz-test-feed serve`, e.g. --revocation-delay 1 --max-body 65536.
#
# The feed stops by itself when the process that ran this script ends (so a test that is killed
# cannot leave it behind); set FEED_OWNER_PID to watch another process instead, or to 0 to keep
# the feed until stop-test-feed.sh.
#
# DIR/feed.env exports:
#   FEED_URL              https://127.0.0.1:PORT/   (feed roots are ${FEED_URL}ORG/REPO/)
#   FEED_HOST, FEED_PORT  127.0.0.1:PORT, PORT
#   FEED_PID              the server's process id
#   FEED_DATA             its data directory (pass to the admin commands as --data)
#   FEED_LOG              the request log, one JSON line per request
#   FEED_STDERR           the server's own stderr
#   FEED_CA               the CA certificate (PEM) alone: curl --cacert "$FEED_CA"
#   FEED_CA_BUNDLE        the system CAs plus ours (PEM)
#   FEEDZ_TEST_FEED       the binary, for admin commands
#   NODE_EXTRA_CA_CERTS   = FEED_CA: makes node/npm trust the feed
#   SSL_CERT_FILE         = FEED_CA_BUNDLE: makes dotnet (and other OpenSSL clients) trust it
set -euo pipefail

die() {
    echo "start-test-feed.sh: $*" >&2
    exit 1
}

[[ $# -ge 1 ]] || die "usage: start-test-feed.sh DIR [SERVE-OPTION...]"
dir=$1
shift
feed_bin=${FEEDZ_TEST_FEED:-}
[[ -n $feed_bin ]] || die "set FEEDZ_TEST_FEED to the path of the feedz-test-feed binary"
[[ -x $feed_bin ]] || die "FEEDZ_TEST_FEED=$feed_bin is not an executable"
command -v openssl >/dev/null || die "openssl is needed to make the test certificates"

mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
feed_bin=$(cd "$(dirname "$feed_bin")" && pwd)/$(basename "$feed_bin")

if [[ -f $dir/feed.env ]]; then
    old_pid=$(sed -n 's/^export FEED_PID=//p' "$dir/feed.env")
    if [[ -n $old_pid ]] && kill -0 "$old_pid" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$old_pid/cmdline" 2>/dev/null | grep -q "feedz-test-feed serve"; then
        die "a test feed already runs for $dir (pid $old_pid); stop it first"
    fi
fi

# --- Certificates: a throwaway CA and a server certificate signed by it ---
if [[ ! -f $dir/ca.pem || ! -f $dir/server.pem || ! -f $dir/server.key ]]; then
    (
        umask 077
        cd "$dir"
        openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout ca.key -out ca.pem -days 7 -subj "/CN=feedz-test-feed throwaway CA" \
            -addext "basicConstraints=critical,CA:TRUE" \
            -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
        openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
            -keyout server.key -out server.csr -subj "/CN=localhost" 2>/dev/null
        printf '%s\n' "subjectAltName=IP:127.0.0.1,DNS:localhost" \
            "basicConstraints=critical,CA:FALSE" "keyUsage=critical,digitalSignature" \
            "extendedKeyUsage=serverAuth" >server.ext
        openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial \
            -out server.pem -days 7 -extfile server.ext 2>/dev/null
        rm -f server.csr server.ext ca.srl
        chmod 644 ca.pem server.pem
    ) || die "openssl failed to make the test certificates"
fi
system_cas=""
for candidate in /etc/ssl/certs/ca-certificates.crt /etc/pki/tls/certs/ca-bundle.crt; do
    if [[ -f $candidate ]]; then
        system_cas=$candidate
        break
    fi
done
{
    [[ -n $system_cas ]] && cat "$system_cas"
    cat "$dir/ca.pem"
} >"$dir/ca-bundle.pem"

# --- Start the server in the background ---
# Its parent becomes init once this script exits, so a killed test (ctest kills a timed-out
# test's process tree) could not take it along: the server watches its owner instead.
owner=${FEED_OWNER_PID:-$PPID}
data=$dir/data
port_file=$dir/port
rm -f "$port_file"
(
    cd /
    "$feed_bin" serve --data "$data" --port-file "$port_file" \
        --cert "$dir/server.pem" --key "$dir/server.key" --owner-pid "$owner" "$@" \
        </dev/null >>"$dir/feed.stderr" 2>&1 &
    echo $! >"$dir/feed.pid"
)
pid=$(cat "$dir/feed.pid")

for _ in $(seq 1 200); do
    [[ -s $port_file ]] && break
    if ! kill -0 "$pid" 2>/dev/null; then
        tail -n 20 "$dir/feed.stderr" >&2 || true
        die "feedz-test-feed exited during start-up (see $dir/feed.stderr)"
    fi
    sleep 0.05
done
[[ -s $port_file ]] || die "feedz-test-feed wrote no port file within 10 s"
port=$(tr -d '[:space:]' <"$port_file")

if command -v curl >/dev/null; then
    ok=""
    for _ in $(seq 1 100); do
        if curl -fsS --cacert "$dir/ca.pem" -o /dev/null "https://127.0.0.1:$port/" 2>/dev/null; then
            ok=1
            break
        fi
        sleep 0.1
    done
    [[ -n $ok ]] || die "feedz-test-feed does not answer on https://127.0.0.1:$port/"
fi

env_file=$dir/feed.env
{
    echo "# Written by start-test-feed.sh; source it. Stop the feed with stop-test-feed.sh $dir"
    for pair in \
        "FEED_URL=https://127.0.0.1:$port/" \
        "FEED_HOST=127.0.0.1:$port" \
        "FEED_PORT=$port" \
        "FEED_PID=$pid" \
        "FEED_DATA=$data" \
        "FEED_LOG=$data/requests.log" \
        "FEED_STDERR=$dir/feed.stderr" \
        "FEED_CA=$dir/ca.pem" \
        "FEED_CA_BUNDLE=$dir/ca-bundle.pem" \
        "FEEDZ_TEST_FEED=$feed_bin" \
        "NODE_EXTRA_CA_CERTS=$dir/ca.pem" \
        "SSL_CERT_FILE=$dir/ca-bundle.pem"; do
        printf 'export %s=%q\n' "${pair%%=*}" "${pair#*=}"
    done
} >"$env_file.tmp"
mv "$env_file.tmp" "$env_file"
echo "test feed at https://127.0.0.1:$port/ (pid $pid); environment in $env_file" >&2
