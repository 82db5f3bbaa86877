#!/bin/bash
# carnet-reqgen on its own: requests it signs verify with `carnet-crypto cose verify` under the
# signer's key, a flipped bit does not, unknown options and missing identities are refused
# (exit 2), the oversized deposit really is over the protocol's 8 MiB content limit.
# usage: reqgen_cli_test.sh path/to/carnet-reqgen path/to/carnet-crypto
set -eu
gen=$1
crypto=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$crypto" pki test-hierarchy "$tmp/pki" --seed reqgen-cli >/dev/null
gp=$tmp/pki/professionals/99700100011
openssl x509 -in "$gp/sig.crt.pem" -pubkey -noout >"$tmp/sig.pub"
openssl x509 -in "$gp/aut.crt.pem" -pubkey -noout >"$tmp/aut.pub"
common=(--pki "$tmp/pki" --professional general-practitioner --terminal T-1)

rid=$("$gen" deposit "${common[@]}" --out "$tmp/dep.cose")
[[ "$rid" =~ ^[0-9a-f]{32}$ ]] || fail "request id printed: '$rid'"
"$crypto" cose verify --key "$tmp/sig.pub" "$tmp/dep.cose" >/dev/null || fail "deposit signature"
"$gen" read "${common[@]}" --doc-id d --out "$tmp/read.cose" >/dev/null
"$crypto" cose verify --key "$tmp/aut.pub" "$tmp/read.cose" >/dev/null || fail "read: AUT key"
"$gen" deposit "${common[@]}" --key-usage aut --out "$tmp/wrong.cose" >/dev/null
"$crypto" cose verify --key "$tmp/aut.pub" "$tmp/wrong.cose" >/dev/null || fail "--key-usage aut"
"$gen" deposit "${common[@]}" --flip-signature-bit --out "$tmp/flip.cose" >/dev/null
if "$crypto" cose verify --key "$tmp/sig.pub" "$tmp/flip.cose" >/dev/null 2>&1; then
  fail "a flipped signature bit still verifies"
fi
rid2=$("$gen" deposit "${common[@]}" --request-id "$rid" --doc-id other --out "$tmp/same.cose")
[ "$rid2" = "$rid" ] || fail "--request-id not kept"
cmp -s "$tmp/dep.cose" "$tmp/same.cose" && fail "other content, same bytes"
"$gen" traces --pki "$tmp/pki" --portal --terminal PORTAL-0001 --out "$tmp/p.cose" >/dev/null
openssl x509 -in "$tmp/pki/operator/portal.crt.pem" -pubkey -noout >"$tmp/portal.pub"
"$crypto" cose verify --key "$tmp/portal.pub" "$tmp/p.cose" >/dev/null || fail "portal ES256"
"$gen" deposit "${common[@]}" --oversize 9437184 --out "$tmp/big.cose" >/dev/null
[ "$(stat -c %s "$tmp/big.cose")" -gt 9437184 ] || fail "oversized request is not"

set +e
"$gen" deposit "${common[@]}" --out "$tmp/x" --colour blue 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q -- "--colour" "$tmp/err" || fail "unknown option: $rc $(cat "$tmp/err")"
"$gen" deposit --terminal T-1 --out "$tmp/x" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] && grep -q "no signer" "$tmp/err" || fail "no signer: $rc $(cat "$tmp/err")"
"$gen" decode-response "$tmp/dep.cose" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 1 ] || fail "a request decoded as a response: $rc"
set -e
echo "reqgen CLI: OK"
