#!/bin/sh
# Checks the test PKI from the outside: `carnet-crypto pki test-hierarchy` is reproducible,
# refuses to overwrite, writes keys 0600, and OpenSSL accepts what it wrote (chains, CRL,
# revocation, multi-valued subject, TLS purposes).
# usage: pki_interop_test.sh path/to/carnet-crypto
set -eu
tool=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$tool" pki --help | grep -q "test-hierarchy OUTDIR" || fail "--help"
"$tool" pki test-hierarchy "$tmp/a" --seed interop >"$tmp/summary.txt"
"$tool" pki test-hierarchy "$tmp/b" --seed interop >/dev/null
cat "$tmp/summary.txt"
diff -r "$tmp/a" "$tmp/b" || fail "same seed, different files"

set +e
"$tool" pki test-hierarchy "$tmp/a" --seed interop 2>"$tmp/err"
rc=$?
set -e
[ "$rc" -eq 2 ] || fail "non-empty OUTDIR without --force: exit $rc"
grep -q -- "--force" "$tmp/err" || fail "no hint about --force"
"$tool" pki test-hierarchy "$tmp/a" --seed interop --force >/dev/null
diff -r "$tmp/a" "$tmp/b" || fail "--force changed the output"

"$tool" pki test-hierarchy "$tmp/c" >/dev/null
cmp -s "$tmp/a/igc/root.crt.pem" "$tmp/c/igc/root.crt.pem" && fail "no --seed but same root"

cd "$tmp/a"
for key in $(find . -name '*.key.pem'); do
  [ "$(stat -c %a "$key")" = 600 ] || fail "$key is not mode 0600"
done

igc="-CAfile igc/root.crt.pem -untrusted igc/intermediate.crt.pem -crl_check -CRLfile igc/crl.pem"
good=professionals/99700100011
revoked=professionals/99700100060
# shellcheck disable=SC2086
openssl verify $igc "$good/aut.crt.pem" "$good/sig.crt.pem" || fail "good card chain"
# shellcheck disable=SC2086
if openssl verify $igc "$revoked/aut.crt.pem" >"$tmp/out" 2>&1; then fail "revoked card accepted"; fi
grep -q "certificate revoked" "$tmp/out" || fail "revoked for another reason: $(cat "$tmp/out")"

openssl crl -in igc/crl.pem -noout -text >"$tmp/crl.txt"
[ "$(grep -c 'Serial Number' "$tmp/crl.txt")" -eq 2 ] || fail "CRL should list 2 serials"
openssl crl -inform DER -in igc/crl.der -CAfile igc/intermediate.crt.pem -noout 2>&1 |
  grep -q "verify OK" || fail "CRL signature"
openssl crl -inform DER -in igc/root-crl.der -CAfile igc/root.crt.pem -noout 2>&1 |
  grep -q "verify OK" || fail "root CRL signature"

subject=$(openssl x509 -in "$good/aut.crt.pem" -noout -subject -nameopt RFC2253,-esc_msb)
echo "$subject"
case "$subject" in
  *CN=899700100011*) ;;
  *) fail "subject CN" ;;
esac
echo "$subject" | grep -q "+" || fail "subject is not a multi-valued RDN"
echo "$subject" | grep -q "title=Médecin" || fail "subject title"
openssl x509 -in "$good/sig.crt.pem" -noout -ext keyUsage | grep -q "Non Repudiation" ||
  fail "SIG keyUsage"

openssl verify -purpose sslserver -CAfile operator/root.crt.pem operator/node.crt.pem ||
  fail "node as TLS server"
openssl x509 -in operator/node.crt.pem -noout -ext subjectAltName | grep -q "IP Address:127.0.0.1" ||
  fail "node SAN"
term="-CAfile operator/root.crt.pem -untrusted operator/terminal-ca.crt.pem"
# shellcheck disable=SC2086
openssl verify -purpose sslclient $term operator/terminals/TERM-0001.crt.pem \
  operator/terminals/TERM-0002.crt.pem operator/portal.crt.pem || fail "clients"
# shellcheck disable=SC2086
if openssl verify -purpose sslserver $term operator/terminals/TERM-0001.crt.pem >/dev/null 2>&1; then
  fail "terminal accepted as TLS server"
fi
if command -v python3 >/dev/null; then
  python3 -c 'import json,sys; d=json.load(open("index.json")); assert len(d["professionals"]) == 6; assert sum(p["revoked"] for p in d["professionals"]) == 1' ||
    fail "index.json"
fi
echo "pki interop: OK"
