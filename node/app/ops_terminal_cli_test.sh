#!/bin/bash
# `carnet-node enroll-terminal` / `revoke-terminal` from the outside: a CSR made by OpenSSL
# (P-256) is certified, the certificate chains to the operator root for client auth; after
# revoke-terminal the CRL (signed by the terminal CA) lists its serial; usage and refusals.
# usage: ops_terminal_cli_test.sh carnet-node carnet-crypto node_operator_fixture
set -eu
node=$1
crypto=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; set -e; cat "$tmp/rc"; }

for c in enroll-terminal revoke-terminal; do
  "$node" $c --help | grep -q -- "--config FILE" || fail "$c --help"
done
"$crypto" pki test-hierarchy "$tmp/pki" --seed ops-terminal >/dev/null
"$node" init "$tmp/node" --from-test-pki "$tmp/pki" >/dev/null
conf=$tmp/node/node.conf
keys=$tmp/node/keys
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/t.key" \
  -subj /CN=TERM-0042 -out "$tmp/t.csr" 2>/dev/null

[ "$(rc "$node" enroll-terminal --config "$conf" --id TERM-0042)" = 2 ] || fail "no --csr: exit"
grep -q "missing --csr" "$tmp/err" || fail "no --csr: message"
[ "$(rc "$node" enroll-terminal --config "$conf" --csr "$tmp/t.csr" --id 'bad id')" = 2 ] ||
  fail "bad id: exit"

"$node" enroll-terminal --config "$conf" --csr "$tmp/t.csr" --id TERM-0042 >"$tmp/t.crt"
openssl verify -CAfile "$keys/operator-root.crt.pem" -untrusted "$keys/terminal-ca.crt.pem" \
  -purpose sslclient "$tmp/t.crt" >/dev/null || fail "openssl verify of the enrolled certificate"
openssl x509 -in "$tmp/t.crt" -noout -subject | grep -q "CN *= *TERM-0042" || fail "CN"
# The certificate certifies the CSR's key.
[ "$(openssl x509 -in "$tmp/t.crt" -noout -pubkey | openssl pkey -pubin -outform DER | sha256sum)" = \
  "$(openssl pkey -in "$tmp/t.key" -pubout -outform DER | sha256sum)" ] || fail "key differs"
grep -q TERM-0042 "$tmp/node/data/terminals.tsv" || fail "registry records the terminal"
# An active id cannot be enrolled twice; a corrupted CSR is refused with exit 1.
[ "$(rc "$node" enroll-terminal --config "$conf" --csr "$tmp/t.csr" --id TERM-0042)" = 1 ] ||
  fail "second enrollment: exit"
sed 's/^MII/MIJ/' "$tmp/t.csr" >"$tmp/bad.csr"
[ "$(rc "$node" enroll-terminal --config "$conf" --csr "$tmp/bad.csr" --id TERM-0043)" = 1 ] ||
  fail "corrupted CSR: exit"
[ ! -s "$tmp/out" ] || fail "corrupted CSR: something on stdout"

[ "$(rc "$node" revoke-terminal --config "$conf" --id TERM-0099)" = 1 ] || fail "unknown id"
"$node" revoke-terminal --config "$conf" --id TERM-0042 >"$tmp/out"
crl=$tmp/node/data/terminal-ca.crl.pem
grep -q "set \[terminals\] crl = $crl" "$tmp/out" || fail "hint to configure the CRL"
openssl crl -in "$crl" -noout -CAfile "$keys/terminal-ca.crt.pem" 2>"$tmp/err" ||
  fail "CRL signature: $(cat "$tmp/err")"
serial=$(openssl x509 -in "$tmp/t.crt" -noout -serial | cut -d= -f2)
openssl crl -in "$crl" -noout -text | grep -q "Serial Number: $serial" ||
  fail "CRL does not list $serial"
[ "$(rc "$node" revoke-terminal --config "$conf" --id TERM-0042)" = 1 ] || fail "second revoke"

# With [terminals] crl configured, the next revocation updates that file.
sed -i "s|^crl = *$|crl = $crl|" "$conf"
openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$tmp/u.key" \
  -subj /CN=TERM-0043 -out "$tmp/u.csr" 2>/dev/null
"$node" enroll-terminal --config "$conf" --csr "$tmp/u.csr" --id TERM-0043 >"$tmp/u.crt"
"$node" revoke-terminal --config "$conf" --id TERM-0043 >/dev/null
n=$(openssl crl -in "$crl" -noout -text | grep -c "Serial Number:")
[ "$n" = 2 ] || fail "CRL lists $n serials, expected 2"
echo "operator terminal CLI: OK"
