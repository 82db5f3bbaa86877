#!/usr/bin/env bash
# The Carnet demo — the README's first command.
#
# WHAT IT SHOWS TODAY (foundation stage): the parts that exist, each one real, in a short
# story. The terminal firmware and the node server are not written yet, so there is no TLS
# exchange and no SQLite store in this story yet; signatures below are made with the card's
# key files by carnet-crypto, not by the card.
#   1. a test IGC-Santé / Vitale / operator PKI is generated (carnet-crypto pki);
#   2. pcscd with the vpcd reader and two simulated cards (the doctor's CPS3 and the patient's
#      Vitale); OpenSC, a middleware we did not write, reads the CPS3's certificates;
#   3. the doctor's non-repudiation key signs a deposit as COSE_Sign1 (RS256 + x5chain); it
#      verifies against the IGC-Santé root, and a tampered copy is refused;
#   4. the policy engine decides the story's accesses (carnet-node policy explain);
#   5. every decision goes into an RFC 6962 Merkle log; an inclusion proof verifies and a
#      tampered entry is refused.
# It fails loudly (exit 1) if any result differs from the expected one.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD

toolchains/bootstrap.sh host
echo "demo: building the programs (dev preset)..."
cmake --preset dev >/dev/null
cmake --build --preset dev --target carnet-crypto carnet-node carnet-cardsim >/dev/null
bin=$top/build/dev/bin

work=$(mktemp -d /tmp/carnet-demo.XXXXXX)
trap 'rm -rf "$work"' EXIT
step() { printf '\n== %s\n' "$*"; }
ok() { printf '   ok: %s\n' "$*"; }
die() { printf '\nDEMO FAILED: %s\n' "$*" >&2; exit 1; }
expect_exit() {  # expect_exit CODE CMD... : runs CMD, fails the demo if its exit code differs
  local want=$1 rc=0
  shift
  "$@" >"$work/out" 2>"$work/err" || rc=$?
  [ "$rc" -eq "$want" ] || { cat "$work/out" "$work/err" >&2; die "'$*' exited $rc, expected $want"; }
}
json() { python3 -c "import json,sys; d=json.load(open('$work/pki/index.json')); print($1)"; }

step "1. Test PKI: IGC-Santé, Vitale and operator hierarchies (reproducible from a seed)"
"$bin/carnet-crypto" pki test-hierarchy "$work/pki" --seed carnet-demo | sed 's/^/   /'
gp_rpps=$(json "d['professionals'][0]['rpps']")
gp_name=$(json "d['professionals'][0]['given_name']+' '+d['professionals'][0]['surname']")

step "2. Cards through a real pcscd: Dr $gp_name's CPS3 in slot 0, the patient's Vitale in slot 1"
cat >"$work/cards.sh" <<'CARDS'
set -e
# The simulators connect to vpcd as they start; pcscd polls presence every 400 ms.
for i in $(seq 50); do
  [ "$(opensc-tool --list-readers | grep -c ' Yes ')" -eq 2 ] && break
  sleep 0.2
done
opensc-tool --list-readers | sed 's/^/   /'
echo "   OpenSC names the card in slot 0: $(opensc-tool --reader 0 --name)"
pkcs15-tool --reader 0 --list-certificates | grep -E 'X.509 Certificate|ID  ' | sed 's/^/   /'
CARDS
CARNET_CARDSIM_BIN=$bin/carnet-cardsim bash tests/integration/pcsc_harness.sh \
  --sim "--profile cps3 --slot 0 --pki $work/pki --professional $gp_rpps" \
  --sim "--profile vitale --slot 1 --pki $work/pki --patient 0" \
  -- bash "$work/cards.sh" >"$work/cards.out" 2>&1 || { cat "$work/cards.out"; die "card step"; }
cat "$work/cards.out"
grep -q 'CPS_CERT_SIG' "$work/cards.out" || die "OpenSC did not list the CPS signature certificate"
ok "OpenSC read both certificates of the simulated CPS3"

step "3. A deposit signed with the doctor's non-repudiation key (COSE_Sign1, RS256, x5chain)"
printf 'deposit: consultation report for INS %s\n' "$(json "d['vitale']['patients'][0]['ins']")" >"$work/deposit.txt"
"$bin/carnet-crypto" cose sign --alg RS256 --key "$work/pki/$(json "d['professionals'][0]['sig_key']")" \
  --x5chain "$work/pki/$(json "d['professionals'][0]['sig_cert']")" \
  --x5chain "$work/pki/$(json "d['igc_sante']['intermediate']['cert']")" \
  "$work/deposit.txt" >"$work/deposit.cose"
echo "   signed: $(stat -c %s "$work/deposit.cose") bytes"
expect_exit 0 "$bin/carnet-crypto" cose verify --x5chain-root "$work/pki/igc/root.crt.pem" "$work/deposit.cose"
ok "verified against TEST AC RACINE IGC-SANTE FORT: $(cat "$work/out")"
python3 - "$work/deposit.cose" "$work/tampered.cose" <<'PY'
import sys
b = bytearray(open(sys.argv[1], 'rb').read()); b[-300] ^= 1; open(sys.argv[2], 'wb').write(b)
PY
expect_exit 1 "$bin/carnet-crypto" cose verify --x5chain-root "$work/pki/igc/root.crt.pem" "$work/tampered.cose"
ok "a copy with one bit flipped is refused: $(cat "$work/out")"

step "4. The policy engine decides (carnet-node policy explain)"
n=0
while IFS=$'\t' read -r file want_exit want_rule story; do
  n=$((n + 1))
  expect_exit "$want_exit" "$bin/carnet-node" policy explain "node/policy/examples/$file"
  cp "$work/out" "$work/decision-$n.json"
  decision=$(python3 -c "import json; d=json.load(open('$work/out')); print(d['decision'], d['rule'])")
  [ "${decision#* }" = "$want_rule" ] || die "$file: rule ${decision#* }, expected $want_rule"
  printf '   %-58s -> %s\n' "$story" "$decision"
done <<'STORY'
open_dossier.json	0	ALLOW_OPEN	the patient consents and the dossier is opened
gp_reads_consult_note.json	0	ALLOW_READ	the GP reads a consultation report
pharmacist_reads_prescription.json	0	ALLOW_READ	the pharmacist reads a prescription (matrix)
pharmacist_consult_note_denied.json	3	HABILITATION_DENIED	the pharmacist asks for a consultation report
blocked_professional_bris_de_glace.json	3	BLOCKED_PROFESSIONAL	a professional the patient blocked tries an emergency
bris_de_glace_allowed.json	0	ALLOW_READ	an emergency access with its justification
STORY
obligations=$(python3 -c "import json; print(', '.join(o['kind'] for o in json.load(open('$work/decision-$n.json'))['obligations']))")
ok "the emergency access leaves obligations: $obligations"

step "5. Every decision into an RFC 6962 Merkle trace log"
root=$("$bin/carnet-crypto" merkle root "$work"/decision-*.json)
echo "   root of $n entries: $root"
"$bin/carnet-crypto" merkle inclusion --index 3 "$work"/decision-*.json >"$work/proof"
expect_exit 0 "$bin/carnet-crypto" merkle verify-inclusion --index 3 --size "$n" --root "$root" \
  --leaf "$work/decision-4.json" - <"$work/proof"
ok "entry 3 (the refused pharmacist) is in the log: $(cat "$work/out")"
sed 's/deny/allow/' "$work/decision-4.json" >"$work/forged.json"
expect_exit 1 "$bin/carnet-crypto" merkle verify-inclusion --index 3 --size "$n" --root "$root" \
  --leaf "$work/forged.json" - <"$work/proof"
ok "the same entry rewritten to 'allow' is refused: $(cat "$work/out")"

printf '\ndemo: all steps gave the expected results.\n'
