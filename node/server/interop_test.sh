#!/usr/bin/env bash
# Interoperability of the node's TLS server with curl and openssl s_client (DESIGN.md §6),
# on the operator certificates of `carnet-crypto pki test-hierarchy`.
#   interop_test.sh path/to/carnet-crypto path/to/carnet-server-testbin
# Checks: curl with the terminal's certificate gets /v1/health; curl without one is refused;
# s_client negotiates TLSv1.2 with an ECDHE-ECDSA AES-GCM / CHACHA20 suite; s_client without
# a certificate fails; TLS 1.3 and CBC suites are refused; metrics on the loopback admin
# port count it all; SIGTERM drains and exits 0.
set -euo pipefail
CRYPTO=$1
SERVER=$2
TMP=$(mktemp -d)
PID=
cleanup() {
  [[ -n "$PID" ]] && kill "$PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$CRYPTO" pki test-hierarchy "$TMP/pki" --seed interop >/dev/null
OP=$TMP/pki/operator
"$SERVER" --cert "$OP/node.crt.pem" --key "$OP/node.key.pem" \
  --client-ca "$OP/terminal-ca.crt.pem" --port-file "$TMP/port" \
  --admin-port-file "$TMP/admin" 2>"$TMP/server.log" &
PID=$!
for _ in $(seq 100); do [[ -s "$TMP/admin" ]] && break; sleep 0.1; done
[[ -s "$TMP/admin" ]] || fail "server did not start: $(cat "$TMP/server.log")"
PORT=$(cat "$TMP/port")
ADMIN=$(cat "$TMP/admin")
TERM_CRT=$OP/terminals/TERM-0001.crt.pem
TERM_KEY=$OP/terminals/TERM-0001.key.pem
URL=https://localhost:$PORT

# 1. curl with the terminal certificate, pinned operator root.
out=$(curl -sS --max-time 10 --cert "$TERM_CRT" --key "$TERM_KEY" --cacert "$OP/root.crt.pem" \
  "$URL/v1/health") || fail "curl with a client certificate"
[[ "$out" == "ok" ]] || fail "health said '$out'"
out=$(curl -sS --max-time 10 --cert "$TERM_CRT" --key "$TERM_KEY" --cacert "$OP/root.crt.pem" \
  -H 'Content-Type: application/cose; cose-type="cose-sign1"' --data-binary 'abcdef' \
  "$URL/v1/requests") || fail "curl POST"
[[ "$out" == "received 6 bytes" ]] || fail "POST said '$out'"
code=$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 --cert "$TERM_CRT" --key "$TERM_KEY" \
  --cacert "$OP/root.crt.pem" -H 'Content-Type: application/json' --data 'x' "$URL/v1/requests")
[[ "$code" == "415" ]] || fail "wrong content type gave $code"

# 2. curl without a client certificate: refused in the handshake.
if curl -sS --max-time 10 --cacert "$OP/root.crt.pem" "$URL/v1/health" 2>"$TMP/curl.err"; then
  fail "curl without a client certificate got an answer"
fi

# 3. openssl s_client: TLS 1.2, ECDHE-ECDSA with AES-GCM or CHACHA20.
s_out=$(echo | openssl s_client -connect "127.0.0.1:$PORT" -servername localhost \
  -cert "$TERM_CRT" -key "$TERM_KEY" -CAfile "$OP/root.crt.pem" -verify_return_error \
  -brief 2>&1) || fail "s_client with a certificate: $s_out"
grep -q "Protocol version: TLSv1.2" <<<"$s_out" || fail "protocol: $s_out"
grep -Eq "Ciphersuite: ECDHE-ECDSA-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)" \
  <<<"$s_out" || fail "cipher suite: $s_out"
grep -q "Verification: OK" <<<"$s_out" || fail "server chain: $s_out"

# 4. s_client without a certificate: the server ends the handshake with a fatal alert.
if echo | openssl s_client -connect "127.0.0.1:$PORT" -CAfile "$OP/root.crt.pem" -brief \
  >"$TMP/nocert.out" 2>&1; then
  fail "s_client without a certificate succeeded: $(cat "$TMP/nocert.out")"
fi
grep -q "alert handshake failure" "$TMP/nocert.out" || fail "no alert: $(cat "$TMP/nocert.out")"

# 4b. Ticket resumption with s_client (-sess_out, then -sess_in).
S_ARGS=(-connect "127.0.0.1:$PORT" -cert "$TERM_CRT" -key "$TERM_KEY" -CAfile "$OP/root.crt.pem")
echo | openssl s_client "${S_ARGS[@]}" -sess_out "$TMP/sess" >/dev/null 2>&1 || fail "sess_out"
echo | openssl s_client "${S_ARGS[@]}" -sess_in "$TMP/sess" 2>/dev/null | grep -q "^Reused, TLSv1.2" ||
  fail "session not resumed from the ticket"

# 5. Refused protocol versions and suites.
if echo | openssl s_client -connect "127.0.0.1:$PORT" -tls1_3 -cert "$TERM_CRT" \
  -key "$TERM_KEY" -brief >/dev/null 2>&1; then fail "TLS 1.3 accepted"; fi
if echo | openssl s_client -connect "127.0.0.1:$PORT" -tls1_2 -cipher ECDHE-ECDSA-AES128-SHA \
  -cert "$TERM_CRT" -key "$TERM_KEY" -brief >/dev/null 2>&1; then fail "CBC suite accepted"; fi

# 6. Metrics: plain HTTP on the loopback admin port.
metrics=$(curl -sS --max-time 5 "http://127.0.0.1:$ADMIN/metrics") || fail "metrics"
grep -q 'carnet_server_requests_total{route="/v1/health",status="200"} 1' <<<"$metrics" ||
  fail "metrics: $metrics"
grep -Eq 'carnet_server_handshakes_total\{result="failed"\} [1-9]' <<<"$metrics" ||
  fail "failed handshakes not counted"
grep -Eq 'carnet_server_handshakes_total\{result="resumed"\} [1-9]' <<<"$metrics" ||
  fail "resumed handshakes not counted"

# 7. SIGTERM: drain and exit 0.
kill -TERM "$PID"
wait "$PID" || fail "server exit status $?"
PID=
echo "interop OK"
