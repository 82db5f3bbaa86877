#!/usr/bin/env bash
# Does a middleware nobody here wrote see the simulated card as a CPS? Runs inside
# pcsc_harness.sh: starts a CPS3 simulator (with the test PKI's keys and certificates when
# CARNET_TEST_PKI is set), then asks OpenSC.
#   - opensc-tool -n must name the IAS-ECC driver (OpenSC 0.23 prints the driver name,
#     "IAS-ECC"; the ATR table entry "IAS/ECC CPx" selects the CPx card type inside it);
#   - pkcs15-tool --list-certificates must list the card's two certificates.
set -euo pipefail
args=(--profile cps3 --slot 0)
[[ -n "${CARNET_TEST_PKI:-}" ]] && args+=(--pki "$CARNET_TEST_PKI" --professional 0)
"${CARNET_CARDSIM_BIN:?}" "${args[@]}" </dev/null >"$CARNET_HARNESS_DIR/opensc-sim.log" 2>&1 &
sim=$!
trap 'kill $sim 2>/dev/null || true; wait $sim 2>/dev/null || true' EXIT
for _ in $(seq 50); do
  opensc-tool -r 0 -a >/dev/null 2>&1 && break
  sleep 0.2
done
name=$(opensc-tool -r 0 -n 2>&1)
echo "opensc-tool -n: $name"
[[ "$name" == *IAS* ]] || { echo "FAIL: OpenSC did not bind its IAS-ECC driver" >&2; exit 1; }
certs=$(pkcs15-tool -r 0 --list-certificates 2>&1)
echo "$certs"
n=$(grep -c '^X.509 Certificate' <<<"$certs" || true)
[[ "$n" -eq 2 ]] || { echo "FAIL: expected 2 certificates, OpenSC listed $n" >&2; exit 1; }
if [[ -n "${CARNET_TEST_PKI:-}" ]]; then
  pkcs15-tool -r 0 --read-certificate e828bd080f8025000001ff001002 | head -3
  pkcs15-tool -r 0 --list-pins 2>&1 | sed -n 1,30p
fi
echo "OK: OpenSC sees the simulated CPS3 with 2 certificates"
