#!/usr/bin/env bash
# carnet-terminal enroll: device key in the key store (0700 folder, 0600 entry), a CSR that
# OpenSSL verifies with the right subject and an EC P-256 key, no private key on any output,
# refusal to overwrite without --force, usage errors, --help.
#   CARNET_TERMINAL_BIN=... terminal_enroll_test.sh
set -uo pipefail
bin=${CARNET_TERMINAL_BIN:?set CARNET_TERMINAL_BIN}
command -v openssl >/dev/null || { echo "SKIP: openssl not installed"; exit 77; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fails=0
ok() { echo "ok   $1"; }
ko() { echo "FAIL $1"; fails=$((fails + 1)); }
expect() { if eval "$2"; then ok "$1"; else ko "$1"; fi; }

ks=$tmp/keys
"$bin" enroll --id TERM-0042 --key-store "$ks" >"$tmp/csr.pem" 2>"$tmp/err"
expect "enroll exits 0" "[ $? -eq 0 ]"
expect "request verifies" "openssl req -in '$tmp/csr.pem' -noout -verify 2>&1 | grep -q 'verify OK'"
expect "subject CN=TERM-0042" \
  "openssl req -in '$tmp/csr.pem' -noout -subject | grep -Eq 'CN ?= ?TERM-0042'"
expect "EC P-256 key" "openssl req -in '$tmp/csr.pem' -noout -text | grep -Eq 'prime256v1|P-256'"
expect "key store folder 0700" "[ \"\$(stat -c %a '$ks')\" = 700 ]"
expect "device key entry 0600" "[ \"\$(stat -c %a '$ks/device-key')\" = 600 ]"
expect "no private key on stdout or stderr" "! grep -q PRIVATE '$tmp/csr.pem' '$tmp/err'"
expect "stored key matches the request" \
  "[ \"\$(openssl pkey -in '$ks/device-key' -pubout 2>/dev/null)\" = \"\$(openssl req -in '$tmp/csr.pem' -noout -pubkey)\" ]"

cp "$ks/device-key" "$tmp/before"
"$bin" enroll --id TERM-0042 --key-store "$ks" >"$tmp/out2" 2>"$tmp/err2"
expect "second enroll without --force exits 1" "[ $? -eq 1 ]"
expect "it says --force" "grep -q -- '--force' '$tmp/err2'"
expect "key unchanged" "cmp -s '$tmp/before' '$ks/device-key'"
expect "nothing on stdout" "[ ! -s '$tmp/out2' ]"

"$bin" enroll --id TERM-0042 --key-store "$ks" --force >"$tmp/csr3.pem" 2>/dev/null
expect "--force exits 0" "[ $? -eq 0 ]"
expect "--force made a new key" "! cmp -s '$tmp/before' '$ks/device-key'"
expect "new request verifies" "openssl req -in '$tmp/csr3.pem' -noout -verify 2>&1 | grep -q 'verify OK'"

"$bin" enroll --key-store "$ks" >/dev/null 2>"$tmp/err4"
expect "missing --id is usage (2)" "[ $? -eq 2 ] && grep -q -- '--id' '$tmp/err4'"
"$bin" enroll --id 'bad/id' --key-store "$tmp/k2" >/dev/null 2>&1
expect "bad id is usage (2), no store made" "[ $? -eq 2 ] && [ ! -e '$tmp/k2' ]"
"$bin" enroll --id T --bogus >/dev/null 2>&1
expect "unknown option is usage (2)" "[ $? -eq 2 ]"
mkdir -m 0755 "$tmp/open"
"$bin" enroll --id T --key-store "$tmp/open" >/dev/null 2>"$tmp/err5"
expect "world-readable key store refused (1)" "[ $? -eq 1 ] && [ ! -e '$tmp/open/device-key' ]"
"$bin" enroll --help >"$tmp/help"
expect "--help exits 0 with usage" "[ $? -eq 0 ] && grep -q 'usage: carnet-terminal enroll' '$tmp/help'"

echo "$fails failure(s)"
[ $fails -eq 0 ]
