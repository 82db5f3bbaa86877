#!/bin/bash
# `carnet-node init` and `carnet-node config check` from the outside: help text, init from a
# test PKI, key modes, refusal of a second init, --force, and the error a bad node.conf gets.
# usage: init_cli_test.sh path/to/carnet-node path/to/carnet-crypto
set -eu
node=$1
crypto=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mode() { stat -c %a "$1"; }

"$node" init --help >"$tmp/help"
grep -q -- "--from-test-pki PKIDIR" "$tmp/help" || fail "init --help names --from-test-pki"
grep -q -- "--force" "$tmp/help" || fail "init --help names --force"
grep -q "0600" "$tmp/help" || fail "init --help gives the key modes"
"$node" --help | grep -q "^  init " || fail "carnet-node --help lists init"
set +e
"$node" init 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "init without DIR: exit $rc"
grep -q "missing DIR" "$tmp/err" || fail "init without DIR: message"

"$crypto" pki test-hierarchy "$tmp/pki" --seed init-cli >/dev/null
"$node" init "$tmp/node" --from-test-pki "$tmp/pki" >"$tmp/out"
grep -q "Next steps" "$tmp/out" || fail "next steps printed"
grep -q "carnet-node serve --config $tmp/node/node.conf" "$tmp/out" || fail "serve step"
grep -q "enroll-terminal" "$tmp/out" || fail "enroll step"
[ "$(mode "$tmp/node/keys")" = 700 ] || fail "keys/ mode $(mode "$tmp/node/keys")"
for k in kek.bin node.key.pem terminal-ca.key.pem trace-log.key.pem; do
  [ "$(mode "$tmp/node/keys/$k")" = 600 ] || fail "$k mode $(mode "$tmp/node/keys/$k")"
done
"$node" config check "$tmp/node/node.conf" | grep -q "ready to serve" || fail "config check"
# The TLS identity is the test PKI's and OpenSSL agrees that it chains to the operator root.
if command -v openssl >/dev/null; then
  openssl verify -CAfile "$tmp/node/keys/operator-root.crt.pem" -purpose sslserver \
    "$tmp/node/keys/node.crt.pem" >/dev/null || fail "openssl verify node certificate"
fi

kek=$(sha256sum <"$tmp/node/keys/kek.bin")
set +e
"$node" init "$tmp/node" --from-test-pki "$tmp/pki" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "second init: exit $rc"
grep -q -- "--force" "$tmp/err" || fail "second init: no hint about --force"
"$node" init "$tmp/node" --force >"$tmp/out"
grep -q "KEPT     keys/kek.bin" "$tmp/out" || fail "--force keeps the KEK"
grep -q "MOVED    keys/node.key.pem -> keys/node.key.pem.replaced-" "$tmp/out" || fail "moved"
[ "$kek" = "$(sha256sum <"$tmp/node/keys/kek.bin")" ] || fail "--force changed the KEK"
grep -q "Configure the card trust anchors" "$tmp/out" || fail "no-PKI next steps"
set +e
"$node" config check "$tmp/node/node.conf" >"$tmp/out"; rc=$?
set -e
[ "$rc" -eq 3 ] || fail "config check without trust anchors: exit $rc"
grep -q "not configured: \[trust\] igc_roots" "$tmp/out" || fail "names missing anchors"

# A bad node.conf: the message names the file, the line and the reason.
printf '[node]\n# comment\n[limits]\nmax_conections = 10\n' >"$tmp/bad.conf"
set +e
"$node" config check "$tmp/bad.conf" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "bad config: exit $rc"
grep -q "bad.conf:4: unknown key 'max_conections' in \[limits\]" "$tmp/err" ||
  fail "bad config message: $(cat "$tmp/err")"
chmod 644 "$tmp/node/keys/kek.bin"
set +e
"$node" config check "$tmp/node/node.conf" 2>"$tmp/err"; rc=$?
set -e
[ "$rc" -eq 2 ] || fail "readable KEK: exit $rc"
grep -q "\[store\] kek_file .*mode 0644" "$tmp/err" || fail "readable KEK message"
echo "init CLI: OK"
