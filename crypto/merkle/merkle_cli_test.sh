#!/bin/sh
# crypto_merkle_cli_test: `carnet-crypto merkle` through the built binary.
# Usage: merkle_cli_test.sh CARNET_CRYPTO TMPDIR
# The reference tree is google/certificate-transparency's (cpp/merkletree/merkle_tree_test.cc):
# eight leaves "", 00, 10, 2021, 3031, 40414243, 5051525354555657, 6061...6e6f (hex).
set -u
BIN=$1
DIR=$2
rm -rf "$DIR" && mkdir -p "$DIR" || exit 1
FAILS=0
fail() { echo "FAIL: $*"; FAILS=$((FAILS + 1)); }

# expect CODE CMD...: runs CMD, checks its exit code, keeps stdout in $DIR/out.
expect() {
  want=$1; shift
  "$@" >"$DIR/out" 2>"$DIR/err"
  got=$?
  [ "$got" = "$want" ] || fail "exit $got (want $want): $* -- $(cat "$DIR/out" "$DIR/err")"
}

# hex2bin HEX: the bytes, with POSIX printf only (octal escapes; dash has no \x).
hex2bin() {
  rest=$1
  while [ -n "$rest" ]; do
    pair=$(printf '%.2s' "$rest")
    rest=${rest#??}
    # shellcheck disable=SC2059
    printf "\\$(printf '%03o' "0x$pair")"
  done
}

i=0
for hex in "" 00 10 2021 3031 40414243 5051525354555657 606162636465666768696a6b6c6d6e6f; do
  hex2bin "$hex" >"$DIR/leaf$i"
  i=$((i + 1))
done
LEAVES="$DIR/leaf0 $DIR/leaf1 $DIR/leaf2 $DIR/leaf3 $DIR/leaf4 $DIR/leaf5 $DIR/leaf6 $DIR/leaf7"
[ "$(wc -c <"$DIR/leaf7")" -eq 16 ] || fail "could not write the reference leaves"

# Published roots (kSHA256Roots) for sizes 1, 3 and 8.
ROOT8=5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328
# shellcheck disable=SC2086
expect 0 "$BIN" merkle root $LEAVES
[ "$(cat "$DIR/out")" = "$ROOT8" ] || fail "root of 8: $(cat "$DIR/out")"
expect 0 "$BIN" merkle root "$DIR/leaf0"
[ "$(cat "$DIR/out")" = 6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d ] ||
  fail "root of 1"
expect 0 "$BIN" merkle root "$DIR/leaf0" "$DIR/leaf1" "$DIR/leaf2"
[ "$(cat "$DIR/out")" = aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77 ] ||
  fail "root of 3"

# Inclusion of leaf index 5: the published path (kSHA256Paths, leaf 6 of 8), then round trip.
# shellcheck disable=SC2086
expect 0 "$BIN" merkle inclusion --index 5 $LEAVES
cp "$DIR/out" "$DIR/path5"
[ "$(head -n1 "$DIR/path5")" = bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b ] ||
  fail "path[0] of leaf 5"
[ "$(wc -l <"$DIR/path5")" -eq 3 ] || fail "path of leaf 5 has $(wc -l <"$DIR/path5") lines"
expect 0 "$BIN" merkle verify-inclusion --index 5 --size 8 --root "$ROOT8" --leaf "$DIR/leaf5" - \
  <"$DIR/path5"
[ "$(cat "$DIR/out")" = valid ] || fail "verify-inclusion output: $(cat "$DIR/out")"
# shellcheck disable=SC2046
expect 0 "$BIN" merkle verify-inclusion --index=5 --size=8 --root="$ROOT8" --leaf "$DIR/leaf5" \
  $(cat "$DIR/path5")

# Tampered proof, wrong leaf, wrong index -> exit 1 with a reason.
sed '2s/^./f/' "$DIR/path5" | sed '2s/^ff/0f/' >"$DIR/bad5"
cmp -s "$DIR/path5" "$DIR/bad5" && fail "tampering did not change the path"
expect 1 "$BIN" merkle verify-inclusion --index 5 --size 8 --root "$ROOT8" --leaf "$DIR/leaf5" - \
  <"$DIR/bad5"
grep -q '^invalid: ' "$DIR/out" || fail "no 'invalid:' line: $(cat "$DIR/out")"
expect 1 "$BIN" merkle verify-inclusion --index 5 --size 8 --root "$ROOT8" --leaf "$DIR/leaf4" - \
  <"$DIR/path5"
expect 1 "$BIN" merkle verify-inclusion --index 4 --size 8 --root "$ROOT8" --leaf "$DIR/leaf5" - \
  <"$DIR/path5"
head -n2 "$DIR/path5" >"$DIR/short5"
expect 1 "$BIN" merkle verify-inclusion --index 5 --size 8 --root "$ROOT8" --leaf "$DIR/leaf5" - \
  <"$DIR/short5"
grep -q 'a valid one has 3' "$DIR/out" || fail "truncated path reason: $(cat "$DIR/out")"

# Consistency 6 -> 8: the published proof (kSHA256Proofs), round trip and a swapped root.
ROOT6=76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef
# shellcheck disable=SC2086
expect 0 "$BIN" merkle consistency --old-size 6 $LEAVES
[ "$(head -n1 "$DIR/out")" = 0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a ] ||
  fail "consistency proof[0]"
cp "$DIR/out" "$DIR/cons68"
expect 0 "$BIN" merkle verify-consistency --old-size 6 --old-root "$ROOT6" --size 8 \
  --root "$ROOT8" - <"$DIR/cons68"
expect 1 "$BIN" merkle verify-consistency --old-size 6 --old-root "$ROOT8" --size 8 \
  --root "$ROOT6" - <"$DIR/cons68"
expect 1 "$BIN" merkle verify-consistency --old-size 9 --old-root "$ROOT6" --size 8 \
  --root "$ROOT8" - <"$DIR/cons68"
expect 1 "$BIN" merkle verify-consistency --old-size 0 --old-root "$ROOT6" --size 8 \
  --root "$ROOT8" - <"$DIR/cons68"

# Usage errors -> exit 2.
expect 2 "$BIN" merkle
expect 2 "$BIN" merkle frobnicate
expect 2 "$BIN" merkle root
expect 2 "$BIN" merkle root "$DIR/does-not-exist"
# shellcheck disable=SC2086
expect 2 "$BIN" merkle inclusion $LEAVES
# shellcheck disable=SC2086
expect 2 "$BIN" merkle inclusion --index 8 $LEAVES
# shellcheck disable=SC2086
expect 2 "$BIN" merkle inclusion --index 1x $LEAVES
# shellcheck disable=SC2086
expect 2 "$BIN" merkle inclusion --index 1 --bogus 3 $LEAVES
expect 2 "$BIN" merkle verify-inclusion --index 5 --size 8 --root nothex --leaf "$DIR/leaf5"
expect 2 "$BIN" merkle verify-inclusion --index 5 --size 8 --root "$ROOT8" "$ROOT8"
expect 2 "$BIN" merkle verify-inclusion --index 5 --size 8 --root "$ROOT8" --leaf "$DIR/leaf5" abcd
expect 2 "$BIN" merkle verify-consistency --old-size 6 --size 8 --root "$ROOT8"

# --help on each subcommand -> exit 0.
for sub in root leaf-hash inclusion verify-inclusion consistency verify-consistency; do
  expect 0 "$BIN" merkle "$sub" --help
  grep -q 'usage: carnet-crypto merkle' "$DIR/out" || fail "$sub --help"
done
expect 0 "$BIN" merkle --help

if [ "$FAILS" -ne 0 ]; then
  echo "$FAILS check(s) failed"
  exit 1
fi
echo "all merkle CLI checks passed"
