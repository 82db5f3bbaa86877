#!/usr/bin/env bash
# shellcheck source-path=SCRIPTDIR
# The demo's story, run by run.sh inside tests/integration/pcsc_harness.sh (a private pcscd
# with the vpcd reader; as root, private network and PID namespaces too).
#
#   story.sh BIN_DIR
#
# Every decision printed comes from the node over mutual TLS (terminal or portal) or from a
# node command; a decision that differs from the expected one stops the story (exit 1).
# A step whose command is not built yet prints "NOT YET: ..." and is counted; the count goes
# to $CARNET_DEMO_NOT_YET_FILE for run.sh.
set -euo pipefail
DEMO_DIR=$(cd "$(dirname "$0")" && pwd)
BIN=$1
WORK=$(mktemp -d /tmp/carnet-demo.XXXXXX)
PKI=$WORK/pki
NODE=$WORK/node
TERM_DIR=$WORK/terminal
TERM_CONF=$TERM_DIR/terminal.conf
export CARNET_TERMINAL_CONFIG=$TERM_CONF
# Run as root (CI, containers, the private namespaces of the harness), the terminal would switch
# to its unprivileged account and lose access to the demo's files: it stays root here.
export CARNET_TERMINAL_ALLOW_ROOT=1
# shellcheck source=lib.sh
source "$DEMO_DIR/lib.sh"
# shellcheck source=setup.sh
source "$DEMO_DIR/setup.sh"
# shellcheck source=steps.sh
source "$DEMO_DIR/steps.sh"

finish() {
  local rc=$?
  stop_all
  if [[ -n ${CARNET_DEMO_NOT_YET_FILE:-} ]]; then
    printf '%s\n' "${NOT_YET[@]}" >"$CARNET_DEMO_NOT_YET_FILE"
  fi
  if [[ -n ${CARNET_DEMO_KEEP:-} ]]; then
    echo "demo: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT TERM

setup_pki
setup_node
setup_serve
setup_terminal
setup_portal
cards_at_counter
open_dossier
gp_deposits
portal_masks
pharmacist_reads
portal_blocks
blocked_refused
emergency_access
emergency_notifications
deposit_while_down
patient_reads_traces
trace_verified
trace_tampered
step "Everything the demo started is stopped: the node, the card simulators (pcscd by the harness)"
stop_all
sanitizer_report "$WORK"/*.log
left=$(still_running | xargs)
expect none "${left:-none}" "processes of the demo still running (${#ALL_PIDS[@]} were started)"
step_time
awk -v a="$DEMO_T0" -v b="${EPOCHREALTIME/,/.}" -v n="$STEP" -v r="$RELOGINS" \
  'BEGIN { printf "\ndemo: %d steps in %.0f s%s\n", n, b - a, r ? sprintf("; %d explicit login(s) again", r) : "" }'
[[ -n ${CARNET_DEMO_TIMING:-} ]] && cat "$WORK/timing.txt"
true
