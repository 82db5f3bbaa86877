#!/bin/bash
# `carnet-node serve` from the outside: --help, refusals of a bad command line and of a
# config that is not ready, then a node made by `init --from-test-pki` served on loopback
# port 0: `listening on HOST:PORT`, GET /v1/health and /v1/log/sth with curl over mutual TLS
# (terminal enrolled with enroll-terminal from an OpenSSL CSR), a garbage POST answered 400
# and traced, and SIGTERM -> exit 0.
# usage: serve_cli_test.sh path/to/carnet-node path/to/carnet-crypto
set -eu
node=$1
crypto=$2
tmp=$(mktemp -d)
pid=
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; wait "$pid" || true; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
fail() {
  echo "FAIL: $*" >&2
  [ -f "$tmp/err" ] && cat "$tmp/err" >&2
  exit 1
}

"$node" serve --help >"$tmp/help"
grep -q -- "--config FILE" "$tmp/help" || fail "serve --help names --config"
grep -q "listening on HOST:PORT" "$tmp/help" || fail "serve --help names the ready line"
set +e
"$node" serve 2>"$tmp/e"; rc=$?
[ "$rc" -eq 2 ] && grep -q "missing --config" "$tmp/e" || fail "serve without --config: $rc"
"$node" serve --config "$tmp/nope.conf" 2>"$tmp/e"; rc=$?
[ "$rc" -eq 2 ] || fail "serve with a missing config: exit $rc"
"$node" serve --config x --threads 0 2>"$tmp/e"; rc=$?
[ "$rc" -eq 2 ] || fail "--threads 0: exit $rc"
set -e

# Not ready: no card trust anchors.
"$node" init "$tmp/bare" >/dev/null
set +e
"$node" serve --config "$tmp/bare/node.conf" >"$tmp/out" 2>"$tmp/e"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "serve without trust anchors: exit $rc"
grep -q "igc_roots" "$tmp/e" || fail "serve names the missing anchors: $(cat "$tmp/e")"
[ ! -s "$tmp/out" ] || fail "serve printed on stdout while refusing"

"$crypto" pki test-hierarchy "$tmp/pki" --seed serve-cli >/dev/null
"$node" init "$tmp/node" --from-test-pki "$tmp/pki" >/dev/null
conf=$tmp/node/node.conf
sed -i 's/^#\{0,1\} *address *=.*/address = 127.0.0.1:0/; s/^#\{0,1\} *admin_address *=.*/admin_address = 127.0.0.1:0/' "$conf"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/t.key" \
  -out "$tmp/t.csr" -subj /CN=TERM-0042 2>/dev/null
"$node" enroll-terminal --config "$conf" --csr "$tmp/t.csr" --id TERM-0042 >"$tmp/t.crt"

"$node" serve --config "$conf" --threads 2 >"$tmp/out" 2>"$tmp/err" &
pid=$!
for _ in $(seq 1 300); do
  grep -q "^listening on " "$tmp/out" && break
  kill -0 "$pid" 2>/dev/null || fail "serve exited before listening"
  sleep 0.1
done
line=$(head -n 1 "$tmp/out")
[[ "$line" =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+)$ ]] || fail "ready line: '$line'"
port=${BASH_REMATCH[1]}
[ "$port" -ne 0 ] || fail "port 0 was printed"

tls=(--silent --show-error --max-time 20 --cacert "$tmp/node/keys/operator-root.crt.pem"
  --cert "$tmp/t.crt" --key "$tmp/t.key")
curl "${tls[@]}" "https://localhost:$port/v1/health" >"$tmp/health" || fail "curl /v1/health"
grep -q '"status":"ok"' "$tmp/health" || fail "health: $(cat "$tmp/health")"
code=$(curl "${tls[@]}" -o "$tmp/resp" -w '%{http_code}' \
  -H 'Content-Type: application/cose; cose-type="cose-sign1"' --data-binary 'not cbor' \
  "https://localhost:$port/v1/requests") || fail "curl POST"
[ "$code" = 400 ] || fail "garbage POST: HTTP $code"
grep -q "AUTHN_MALFORMED_REQUEST" "$tmp/resp" || fail "the 400 names its rule"
curl "${tls[@]}" "https://localhost:$port/v1/log/sth" >"$tmp/sth" || fail "curl /v1/log/sth"
grep -q '"tree_size":1,' "$tmp/sth" || fail "the refusal was traced: $(cat "$tmp/sth")"
# Without a client certificate the TLS handshake is refused.
if curl --silent --max-time 10 --cacert "$tmp/node/keys/operator-root.crt.pem" \
  "https://localhost:$port/v1/health" >/dev/null; then
  fail "a client without certificate was served"
fi

kill -TERM "$pid"
set +e
wait "$pid"; rc=$?
set -e
pid=
[ "$rc" -eq 0 ] || fail "exit after SIGTERM: $rc"
echo OK
