#!/bin/sh
# Regenerates tests/fuzz/corpus/x509_fuzz from a seeded test PKI.
# usage: crypto/x509/make_fuzz_corpus.sh path/to/carnet-crypto
# Each file is one selector byte (see x509_fuzz.cc) followed by the parser's input.
set -eu
tool=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
out=$repo/tests/fuzz/corpus/x509_fuzz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tool" pki test-hierarchy "$tmp/pki" --seed fuzz-corpus >/dev/null
mkdir -p "$out"
seed() {  # seed NAME SELECTOR FILE
  { printf "\\$(printf '%03o' "$2")"; cat "$3"; } >"$out/$1"
}
p=$tmp/pki
seed cert_aut.der 0 "$p/professionals/99700100011/aut.crt.der"
openssl x509 -in "$p/operator/node.crt.pem" -outform DER -out "$tmp/node.der"
seed cert_node_ec.der 0 "$tmp/node.der"
seed cert_chain.pem 1 "$p/igc/chain.pem"
seed crl_revoked.der 2 "$p/igc/crl.der"
seed crl_empty.der 2 "$p/igc/root-crl.der"
seed cvc_adult.bin 3 "$p/vitale/patients/284037511502730/card.cvc"
seed cvc_corsica.bin 3 "$p/vitale/patients/157112A00401283/card.cvc"
openssl req -new -key "$p/operator/terminals/TERM-0001.key.pem" -subj "/C=FR/CN=TERM-0009" \
  -outform DER -out "$tmp/csr.der"
seed csr_terminal.der 4 "$tmp/csr.der"
ls -l "$out"
