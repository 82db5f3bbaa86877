#!/bin/sh
# Round trip through the built carnet-crypto: sign with EC and RSA keys made by openssl,
# verify; a flipped byte or the wrong key gives "invalid" and exit 1; bad usage exits 2.
# usage: cose_cli_test.sh path/to/carnet-crypto
set -u
CLI=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

# expect RC CMD...: runs CMD (stdout to $T/out, stderr to $T/err) and checks its exit code.
expect() {
  want=$1; shift
  "$@" > "$T/out" 2> "$T/err"
  rc=$?
  [ "$rc" -eq "$want" ] || fail "exit $rc, expected $want: $* ($(cat "$T/out" "$T/err"))"
}
expect_out() {  # expect_out TEXT: the first line of the last stdout starts with TEXT
  head -n1 "$T/out" | grep -q "^$1" || fail "output '$(head -n1 "$T/out")' does not start with '$1'"
}

# flip FILE OFFSET: xor the byte at OFFSET (negative: from the end) with 1.
flip() {
  size=$(wc -c < "$1")
  off=$2; [ "$off" -lt 0 ] && off=$((size + off))
  b=$(dd if="$1" bs=1 skip="$off" count=1 2>/dev/null | od -An -tu1 | tr -d ' ')
  printf "\\$(printf '%03o' $((b ^ 1)))" | dd of="$1" bs=1 seek="$off" conv=notrunc 2>/dev/null
}

openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$T/ec.pem" 2>/dev/null
openssl pkey -in "$T/ec.pem" -pubout -out "$T/ec.pub"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$T/rsa.pem" 2>/dev/null
openssl pkey -in "$T/rsa.pem" -pubout -out "$T/rsa.pub"
printf '{"action":"deposit","n":1}' > "$T/payload"

for case in "ec ES256" "rsa RS256" "rsa PS256"; do
  set -- $case
  expect 0 "$CLI" cose sign --key "$T/$1.pem" --alg "$2" "$T/payload"
  cp "$T/out" "$T/$2.cbor"
  expect 0 "$CLI" cose verify --key "$T/$1.pub" "$T/$2.cbor"; expect_out "valid"
  cp "$T/$2.cbor" "$T/bad.cbor"; flip "$T/bad.cbor" -1     # in the signature
  expect 1 "$CLI" cose verify --key "$T/$1.pub" "$T/bad.cbor"; expect_out "invalid: "
  cp "$T/$2.cbor" "$T/bad.cbor"; flip "$T/bad.cbor" 12     # in the payload
  expect 1 "$CLI" cose verify --key "$T/$1.pub" "$T/bad.cbor"; expect_out "invalid: "
  cp "$T/$2.cbor" "$T/bad.cbor"; flip "$T/bad.cbor" 0      # the tag
  expect 1 "$CLI" cose verify --key "$T/$1.pub" "$T/bad.cbor"; expect_out "invalid: "
done
expect 1 "$CLI" cose verify --key "$T/rsa.pub" "$T/ES256.cbor"; expect_out "invalid: key type"
head -c 100 /dev/urandom > "$T/garbage"
expect 1 "$CLI" cose verify --key "$T/ec.pub" "$T/garbage"; expect_out "invalid: "

# Signer certificate chained to a root.
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$T/ca.key" \
  -out "$T/ca.pem" -days 30 -subj "/CN=Test Root" -addext "basicConstraints=critical,CA:TRUE" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" 2>/dev/null
openssl req -new -key "$T/ec.pem" -subj "/CN=device-1" -out "$T/leaf.csr"
printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\n' > "$T/ext.cnf"
openssl x509 -req -in "$T/leaf.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" -CAcreateserial \
  -days 10 -extfile "$T/ext.cnf" -out "$T/leaf.pem" 2>/dev/null
expect 0 "$CLI" cose sign --key "$T/ec.pem" --alg ES256 --x5chain "$T/leaf.pem" "$T/payload"
cp "$T/out" "$T/chain.cbor"
expect 0 "$CLI" cose verify --x5chain-root "$T/ca.pem" "$T/chain.cbor"; expect_out "valid"
expect 1 "$CLI" cose verify --x5chain-root "$T/ca.pem" "$T/ES256.cbor"; expect_out "invalid: "
expect 2 "$CLI" cose sign --key "$T/rsa.pem" --alg RS256 --x5chain "$T/leaf.pem" "$T/payload"

# Usage and input errors.
expect 2 "$CLI" cose
expect 2 "$CLI" cose frobnicate
expect 2 "$CLI" cose verify --bogus x "$T/ES256.cbor"
expect 2 "$CLI" cose verify "$T/ES256.cbor"
expect 2 "$CLI" cose verify --key "$T/ec.pub" --x5chain-root "$T/ca.pem" "$T/ES256.cbor"
expect 2 "$CLI" cose verify --key "$T/missing.pub" "$T/ES256.cbor"
expect 2 "$CLI" cose verify --key "$T/ec.pub" "$T/missing.cbor"
expect 2 "$CLI" cose verify --key "$T/ec.pem" "$T/ES256.cbor"   # a private key is not SPKI
expect 2 "$CLI" cose verify --key
expect 2 "$CLI" cose sign --key "$T/ec.pem" "$T/payload"
expect 2 "$CLI" cose sign --key "$T/ec.pem" --alg HS256 "$T/payload"
expect 2 "$CLI" cose sign --key "$T/ec.pem" --alg RS256 "$T/payload"
expect 2 "$CLI" cose sign --key "$T/ec.pem" --alg ES256 "$T/missing"
expect 0 "$CLI" cose --help
expect 0 "$CLI" cose sign --help; expect_out "usage: carnet-crypto cose sign"
expect 0 "$CLI" cose verify --help; expect_out "usage: carnet-crypto cose verify"

[ "$fails" -eq 0 ] && echo "cose CLI: all checks passed"
exit "$fails"
