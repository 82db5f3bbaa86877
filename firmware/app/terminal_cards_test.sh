#!/usr/bin/env bash
# carnet-terminal cards / pin / unblock on real parts: run by tests/integration/pcsc_harness.sh
# (private pcscd + vpcd; test PKI in $CARNET_TEST_PKI). Starts the simulated cards itself so
# that it can remove and swap them. Needs $CARNET_TERMINAL_BIN and $CARNET_CARDSIM_BIN.
set -uo pipefail

T=${CARNET_TERMINAL_BIN:?}
SIM=${CARNET_CARDSIM_BIN:?}
PKI=${CARNET_TEST_PKI:-}
[[ -n "${CARNET_PCSC_HARNESS:-}" && -n "$PKI" ]] || { echo "needs the harness and a PKI"; exit 77; }
WORK=$(mktemp -d)
SIM_PIDS=()
cleanup() {
  for p in "${SIM_PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$WORK"
}
trap cleanup EXIT
FAILS=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }

start_sim() {  # start_sim NAME ARGS... ; pid in SIM_<NAME>
  local name=$1; shift
  "$SIM" "$@" </dev/null >"$WORK/$name.log" 2>&1 &
  SIM_PIDS+=($!)
  printf -v "SIM_$name" '%s' "$!"
}
stop_sim() { local pid=$1; kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; }
# wait_cards PATTERN...: until `cards --json` matches every pattern (10 s), output in $WORK/cards.json
wait_cards() {
  for _ in $(seq 50); do
    "$T" cards --json --pki-index "$PKI/index.json" >"$WORK/cards.json" 2>"$WORK/cards.err"
    local all=1
    for p in "$@"; do grep -qF -- "$p" "$WORK/cards.json" || all=0; done
    [[ $all -eq 1 ]] && return 0
    sleep 0.2
  done
  echo "--- last cards --json:" >&2; cat "$WORK/cards.json" "$WORK/cards.err" >&2
  return 1
}

# 1. A CPS3 in slot 0 and a Vitale in slot 1: both identities and valid chains.
start_sim cps --profile cps3 --slot 0 --pki "$PKI" --professional 0
start_sim vitale --profile vitale --slot 1 --pki "$PKI" --patient 0
if wait_cards '"type":"CPS3"' '"type":"Vitale"' '"id_nat":"899700100011"' '"surname":"DUBOIS"' \
     '"certificates":{"verdict":"ok"' '"nir":"284037511502730"' '"given_name":"CAMILLE"' \
     '"nir":"116097511523106"' '"certificate":{"verdict":"ok"}'; then
  ok "cards --json shows the CPS and the Vitale with valid chains"
else
  fail "cards --json with CPS3 + Vitale"
fi
"$T" cards --pki-index "$PKI/index.json" >"$WORK/human.txt" || fail "cards (human) exit $?"
grep -q "Virtual PCD 00 00: CPS3 card" "$WORK/human.txt" && grep -q "insured: CAMILLE BERNARD" "$WORK/human.txt" &&
  ok "cards human output" || { cat "$WORK/human.txt"; fail "cards human output"; }
# Without trust anchors the checks are reported as unchecked, never as ok.
"$T" cards --json >"$WORK/nocfg.json"
grep -qF '"certificates":{"verdict":"unchecked"' "$WORK/nocfg.json" &&
  grep -qF '"certificate":{"verdict":"unchecked"' "$WORK/nocfg.json" &&
  ok "no trust anchors: unchecked" || fail "unchecked without trust anchors"

# 2. An empty reader is listed as empty.
stop_sim "$SIM_vitale"
wait_cards '{"name":"Virtual PCD 00 01","card_present":false}' && ok "empty reader listed" ||
  fail "empty reader"
"$T" cards --pki-index "$PKI/index.json" | grep -q "Virtual PCD 00 01: empty" &&
  ok "empty reader (human)" || fail "empty reader (human)"

# 3. PIN: wrong three times, then blocked; unblock restores it.
echo 0000 | "$T" pin --pin-stdin 2>"$WORK/pin.err"; rc=$?
[[ $rc -eq 4 ]] && grep -q "2 tries left" "$WORK/pin.err" && ok "wrong PIN: 2 tries left" ||
  fail "first wrong PIN (exit $rc: $(cat "$WORK/pin.err"))"
echo 0000 | "$T" pin --pin-stdin --json >"$WORK/pin.json" 2>/dev/null; rc=$?
[[ $rc -eq 4 ]] && grep -qF '"result":"wrong","tries_left":1' "$WORK/pin.json" &&
  ok "wrong PIN --json: 1 try left" || fail "second wrong PIN (exit $rc: $(cat "$WORK/pin.json"))"
echo 0000 | "$T" pin --pin-stdin 2>"$WORK/pin.err"; rc=$?
[[ $rc -eq 5 ]] && grep -qF "PIN blocked: unblock with the PUK: carnet-terminal unblock" "$WORK/pin.err" &&
  ok "third wrong PIN: blocked" || fail "third wrong PIN (exit $rc: $(cat "$WORK/pin.err"))"
echo 1234 | "$T" pin --pin-stdin 2>"$WORK/pin.err"; rc=$?
[[ $rc -eq 5 ]] && ok "right PIN on a blocked card: still blocked" || fail "blocked card accepted a PIN (exit $rc)"
echo 12a4 | "$T" pin --pin-stdin 2>/dev/null; rc=$?
[[ $rc -eq 5 ]] || fail "blocked card: expected exit 5, got $rc"
printf '87654321\n4321\n' | "$T" unblock --pin-stdin 2>"$WORK/unblock.err"; rc=$?
[[ $rc -eq 4 ]] && grep -q "wrong PUK: 9 tries left" "$WORK/unblock.err" && ok "wrong PUK" ||
  fail "wrong PUK (exit $rc: $(cat "$WORK/unblock.err"))"
printf '12345678\n4321\n' | "$T" unblock --pin-stdin >"$WORK/unblock.out" 2>&1; rc=$?
[[ $rc -eq 0 ]] && ok "unblock with the PUK" || fail "unblock (exit $rc: $(cat "$WORK/unblock.out"))"
echo 4321 | "$T" pin --pin-stdin --json >"$WORK/pin.json"; rc=$?
[[ $rc -eq 0 ]] && grep -qF '"result":"ok"' "$WORK/pin.json" && ok "new PIN verifies" ||
  fail "new PIN (exit $rc)"
echo 123 | "$T" pin --pin-stdin 2>"$WORK/pin.err"; rc=$?
[[ $rc -eq 4 ]] && grep -q "no try was spent" "$WORK/pin.err" && ok "short PIN refused before the card" ||
  fail "short PIN (exit $rc: $(cat "$WORK/pin.err"))"
echo 4321 | "$T" pin --pin-stdin >/dev/null || fail "the short PIN cost a try"
grep -q "4321\|1234\|12345678" "$WORK"/*.err "$WORK"/*.out "$WORK"/*.json && fail "a PIN reached an output"

# 4. The revoked professional's card.
stop_sim "$SIM_cps"
wait_cards '{"name":"Virtual PCD 00 00","card_present":false}' || fail "CPS removal not seen"
echo 1234 | "$T" pin --pin-stdin 2>"$WORK/nocard.err"; rc=$?
[[ $rc -eq 3 ]] && grep -q "insert the professional's CPS card" "$WORK/nocard.err" &&
  ok "no CPS: clear error" || fail "no CPS (exit $rc: $(cat "$WORK/nocard.err"))"
start_sim revoked --profile cps3 --slot 0 --pki "$PKI" --professional 99700100060
wait_cards '"id_nat":"899700100060"' '"certificates":{"verdict":"revoked"' &&
  ok "revoked professional shows revoked" || fail "revoked professional"

# 5. Usage errors.
"$T" cards --frobnicate 2>/dev/null; [[ $? -eq 2 ]] || fail "unknown option must exit 2"
"$T" cards --pki-index /nonexistent 2>/dev/null; [[ $? -eq 2 ]] || fail "missing index must exit 2"
for c in cards pin unblock; do "$T" $c --help | grep -q "usage: carnet-terminal $c" || fail "$c --help"; done

echo "failures: $FAILS"
[[ $FAILS -eq 0 ]]
