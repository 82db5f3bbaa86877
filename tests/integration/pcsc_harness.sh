#!/usr/bin/env bash
# pcsc_harness.sh — run a command against a private pcscd with the vpcd reader and card
# simulators, and ALWAYS stop everything afterwards.
#
#   pcsc_harness.sh [--sim "carnet-cardsim args"]... [--pki DIR] [--log-dir DIR] -- CMD [ARGS...]
#
# Isolation: when run as root with unshare(1) available, the whole run happens in fresh mount,
# network and PID namespaces: a private /run/pcscd (pcscd's socket path is compiled in), a
# private loopback (vpcd listens on 0.0.0.0:35963/35964), and a PID namespace whose init is
# this script — when it exits the kernel kills every process left inside, so nothing leaks
# even on SIGKILL of the test. Without unshare it falls back to a lock file and the host's
# /run/pcscd (and refuses to run if another pcscd is alive).
#
# Environment for CMD: CARNET_PCSC_HARNESS=1, CARNET_HARNESS_DIR (scratch folder with logs),
# CARNET_TEST_PKI (when --pki was given or CARNET_CRYPTO_BIN is set: a generated test PKI).
# Needs: pcscd, vsmartcard-vpcd (libifdvpcd.so). Exit code: CMD's; 77 if pcscd/vpcd missing.
set -euo pipefail

VPCD_LIB=${VPCD_LIB:-/usr/lib/pcsc/drivers/serial/libifdvpcd.so}
PCSCD=${PCSCD:-pcscd}
SIMS=()
PKI=""
LOG_DIR=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --sim) SIMS+=("$2"); shift 2 ;;
    --pki) PKI="$2"; shift 2 ;;
    --log-dir) LOG_DIR="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "pcsc_harness: unknown option $1" >&2; exit 2 ;;
  esac
done
[[ $# -gt 0 ]] || { echo "pcsc_harness: no command given" >&2; exit 2; }
command -v "$PCSCD" >/dev/null || { echo "pcsc_harness: pcscd not installed" >&2; exit 77; }
[[ -e "$VPCD_LIB" ]] || { echo "pcsc_harness: vsmartcard-vpcd not installed" >&2; exit 77; }

# Re-enter in private namespaces (once).
if [[ -z "${CARNET_PCSC_NS:-}" && $(id -u) -eq 0 ]] && command -v unshare >/dev/null &&
   unshare --mount --net --pid --fork --mount-proc true 2>/dev/null; then
  args=()
  for s in "${SIMS[@]}"; do args+=(--sim "$s"); done
  [[ -n "$PKI" ]] && args+=(--pki "$PKI")
  [[ -n "$LOG_DIR" ]] && args+=(--log-dir "$LOG_DIR")
  exec env CARNET_PCSC_NS=1 unshare --mount --net --pid --fork --mount-proc --kill-child \
    "$0" "${args[@]}" -- "$@"
fi

WORK=$(mktemp -d /tmp/carnet-pcsc.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [[ -n "$LOG_DIR" ]]; then mkdir -p "$LOG_DIR" && cp -r "$WORK"/*.log "$LOG_DIR"/ 2>/dev/null || true; fi
  if [[ $rc -ne 0 ]]; then
    echo "pcsc_harness: exit $rc; last lines of pcscd.log:" >&2
    tail -n 30 "$WORK/pcscd.log" >&2 2>/dev/null || true
  fi
  rm -rf "$WORK"
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -n "${CARNET_PCSC_NS:-}" ]]; then
  ip link set lo up
  mkdir -p /run/pcscd
  mount -t tmpfs -o mode=0755 tmpfs /run/pcscd
else
  exec 9>/tmp/carnet-pcscd.lock
  flock -w 600 9 || { echo "pcsc_harness: lock busy" >&2; exit 1; }
  if [[ -e /run/pcscd/pcscd.pid ]] && kill -0 "$(cat /run/pcscd/pcscd.pid)" 2>/dev/null; then
    echo "pcsc_harness: another pcscd is running; refusing to share it" >&2; exit 1
  fi
fi

# Private reader configuration: only the vpcd reader (two slots, TCP 35963/35964).
mkdir -p "$WORK/reader.conf.d"
cat >"$WORK/reader.conf.d/vpcd" <<CONF
FRIENDLYNAME "Virtual PCD"
DEVICENAME   /dev/null:0x8C7B
LIBPATH      $VPCD_LIB
CHANNELID    0x8C7B
CONF
"$PCSCD" --foreground --debug --config "$WORK/reader.conf.d" >"$WORK/pcscd.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 100); do [[ -S /run/pcscd/pcscd.comm ]] && break; sleep 0.05; done
[[ -S /run/pcscd/pcscd.comm ]] || { echo "pcsc_harness: pcscd did not start" >&2; exit 1; }

if [[ -z "$PKI" && -n "${CARNET_CRYPTO_BIN:-}" ]]; then
  PKI="$WORK/pki"
  "$CARNET_CRYPTO_BIN" pki test-hierarchy "$PKI" --seed carnet-cards >"$WORK/pki.log" 2>&1
fi
[[ -n "$PKI" ]] && export CARNET_TEST_PKI="$PKI"

i=0
for s in "${SIMS[@]}"; do
  # shellcheck disable=SC2086 # the --sim value is a list of arguments
  "${CARNET_CARDSIM_BIN:-carnet-cardsim}" $s </dev/null >"$WORK/sim-$i.log" 2>&1 &
  PIDS+=($!)
  i=$((i + 1))
done

export CARNET_PCSC_HARNESS=1 CARNET_HARNESS_DIR="$WORK"
set +e
"$@"
rc=$?
set -e
exit $rc
