# shellcheck shell=bash
# Helpers of the demo story (story.sh sources this file). Everything here runs real programs;
# nothing decides in place of the node. README.md in this folder describes the story.
#
# Needs: BIN (the folder of carnet-*), WORK (scratch folder), PKI (test PKI), DEMO_DIR.

# ---------- printing and checking ----------
STEP=0
NOT_YET=()   # "<step>: <command>" for each step that could not run yet

say() { printf '%s\n' "$*"; }
# step "what happens": numbers and prints the line that opens a story step.
STEP_T0=${EPOCHREALTIME/,/.}
DEMO_T0=$STEP_T0
step() {
  step_time
  if [[ $STEP_RELOGINS -gt 0 ]]; then
    detail "(the terminal asked to log in again $STEP_RELOGINS time(s) in this step)"
    STEP_RELOGINS=0
  fi
  STEP=$((STEP + 1))
  printf '\n%2d. %s\n' "$STEP" "$*"
}
# step_time: the previous step's wall time, into $WORK/timing.txt (README figures).
step_time() {
  local now=${EPOCHREALTIME/,/.}
  [[ $STEP -gt 0 ]] && awk -v s="$STEP" -v a="$STEP_T0" -v b="$now" \
    'BEGIN { printf "step %2d  %6.1f s\n", s, b - a }' >>"$WORK/timing.txt"
  STEP_T0=$now
}
ok() { printf '      ok: %s\n' "$*"; }
detail() { printf '          %s\n' "$*"; }

# fail WHAT: the story stops loudly; the last outputs are shown.
fail() {
  printf '\nDEMO FAILED at step %d: %s\n' "$STEP" "$*" >&2
  for f in "$WORK/last.out" "$WORK/last.err"; do
    [[ -s $f ]] && { printf -- '--- %s\n' "${f##*/}" >&2; tail -n 30 "$f" >&2; }
  done
  exit 1
}

# expect WANT GOT WHAT: WANT and GOT are decisions ("allow", "deny:RULE", "queued"...).
expect() {
  local want=$1 got=$2 what=$3
  [[ $got == "$want" ]] || fail "$what: the decision is '$got', expected '$want'"
  ok "$what -> $got"
}

# not_yet WHY: the step needs a command that is not built yet. It is reported, the story
# goes on, and run.sh exits 3 at the end (unless CARNET_DEMO_STRICT=0).
not_yet() {
  NOT_YET+=("step $STEP: $1")
  printf '      NOT YET: %s: this step cannot run\n' "$1"
}

# have BINARY COMMAND...: whether `BINARY COMMAND --help` works (placeholders exit non-zero).
have() {
  local bin=$1
  shift
  if [[ $bin == carnet-terminal ]]; then terminal_bin "$@" --help; else "$BIN/$bin" "$@" --help; fi \
    >/dev/null 2>&1
}

# needs REQUIREMENT...: each is "BINARY COMMAND..." (must answer --help: placeholders do not)
# or "@flag" (set by an earlier step with `done_ flag`). The first one missing is reported as
# NOT YET and needs returns 1: use as `needs "carnet-node serve" @dossier || return 0`.
declare -A STEPS_DONE=()
done_() { STEPS_DONE[$1]=1; }
needs() {
  local r
  for r in "$@"; do
    if [[ $r == @* ]]; then
      [[ -n ${STEPS_DONE[${r#@}]:-} ]] && continue
      not_yet "it needs what an earlier step (${r#@}) makes"
      return 1
    fi
    # shellcheck disable=SC2086 # "BINARY COMMAND" is split on purpose
    have $r && continue
    not_yet "$r is not built yet"
    return 1
  done
}

# terminal_bin ARGS...: carnet-terminal (one place to run it from, for every step).
terminal_bin() { "$BIN/carnet-terminal" "$@"; }

# sanitizer_report FILE...: fails the story when a sanitizer reported in one of the files.
sanitizer_report() {
  local f
  for f in "$@"; do
    [[ -f $f ]] || continue
    if grep -q -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$f"; then
      grep -m 5 -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$f" >&2
      fail "a sanitizer reported an error in ${f##*/}"
    fi
  done
}

# run CMD...: runs CMD with stdout/stderr in $WORK/last.{out,err}; sets RC.
run() {
  local t0=${EPOCHREALTIME/,/.}
  RC=0
  "$@" >"$WORK/last.out" 2>"$WORK/last.err" || RC=$?
  sanitizer_report "$WORK/last.err"
  awk -v a="$t0" -v b="${EPOCHREALTIME/,/.}" -v c="${*##*/}" -v rc="$RC" \
    'BEGIN { printf "%6.2f s  rc %d  %s\n", b - a, rc, substr(c, 1, 90) }' >>"$WORK/commands.txt"
}
# must CMD...: run, and the story fails if CMD fails.
must() {
  run "$@"
  [[ $RC -eq 0 ]] || fail "'${*##*/}' exited $RC"
}

# json FILE EXPR: a Python expression over the JSON document `d` in FILE.
json() {
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}
pki() { json "$PKI/index.json" "$1"; }
# doc_ids FILE: the sorted ids of the "documents" of an answer (terminal or portal JSON).
doc_ids() {
  json "$1" "' '.join(sorted((x.get('metadata') or x)['id'] for x in d['documents']))" ||
    fail "no document list in the answer: $(head -c 300 "$1")"
}

# ---------- processes: everything started is stopped by stop_all ----------
declare -A PIDS=()
ORDER=()

# spawn NAME CMD...: starts CMD in the background, output in $WORK/NAME.log.
spawn() {
  local name=$1
  shift
  "$@" </dev/null >"$WORK/$name.log" 2>&1 &
  PIDS[$name]=$!
  ORDER+=("$name")
  ALL_PIDS+=("$!")
}

# stop NAME: SIGTERM, up to 10 s to finish, then SIGKILL.
stop() {
  local pid=${PIDS[$1]:-}
  [[ -n $pid ]] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  unset "PIDS[$1]"
}

ALL_PIDS=()
stop_all() {
  local i
  for ((i = ${#ORDER[@]} - 1; i >= 0; i--)); do stop "${ORDER[$i]}"; done
}
# still_running: the processes the demo started that are still alive (none expected),
# including the terminal's session keeper that `login` leaves behind (it must exit by itself
# when its card leaves the reader: it gets up to 5 s).
still_running() {
  local pid keeper
  for pid in "${ALL_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null && echo "$pid"; done
  keeper=$(cat "$TERM_DIR/state/keeper.pid" 2>/dev/null || true)
  if [[ $keeper =~ ^[0-9]+$ ]]; then
    for _ in $(seq 50); do kill -0 "$keeper" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$keeper" 2>/dev/null && echo "keeper:$keeper"
  fi
  return 0
}

alive() { [[ -n ${PIDS[$1]:-} ]] && kill -0 "${PIDS[$1]}" 2>/dev/null; }

# ---------- cards: one carnet-cardsim per card, swapped in the slots like at a counter ----------
declare -A CARD_IN=()   # slot -> card name currently inserted

# card_ctl NAME COMMAND: a control command on the card's socket ("OK..." expected).
card_ctl() {
  local reply
  reply=$(python3 - "$WORK/card-$1.sock" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall((sys.argv[2] + "\n").encode())
buf = b""
while not buf.endswith(b"\n"):
    chunk = s.recv(256)
    if not chunk:
        break
    buf += chunk
print(buf.decode().strip())
PY
) || fail "card $1: control socket unreachable"
  [[ $reply == OK* ]] || fail "card $1: $2 answered '$reply'"
}

# insert NAME: the card of profile cards/NAME.json goes into its slot (the card that was
# there is pulled out first). A card inserted before keeps its state (PIN tries...).
insert() {
  local name=$1 slot
  slot=$(json "$DEMO_DIR/cards/$name.json" "d['slot']")
  local current=${CARD_IN[$slot]:-}
  [[ $current == "$name" ]] && return 0
  if [[ -n $current ]]; then
    card_ctl "$current" REMOVE
    wait_reader "$slot" ""
  fi
  if alive "card-$name"; then
    card_ctl "$name" REINSERT
  else
    spawn "card-$name" "$BIN/carnet-cardsim" --config "$DEMO_DIR/cards/$name.json" --pki "$PKI" \
      --control-socket "$WORK/card-$name.sock" --log-apdus
    for _ in $(seq 100); do [[ -S $WORK/card-$name.sock ]] && break; sleep 0.05; done
  fi
  CARD_IN[$slot]=$name
  wait_reader "$slot" "$name"
}

# wait_reader SLOT NAME: until pcscd shows that slot empty (NAME "") or holding a card.
wait_reader() {
  local slot=$1 name=$2 present=()
  for _ in $(seq 100); do
    # Readers in order, without Python (this loop runs often): "card_present":true|false.
    mapfile -t present < <(terminal_bin cards --json 2>/dev/null |
      grep -o '"card_present":[a-z]*' || true)
    if [[ -z $name && ${present[$slot]:-} == *false ]] ||
       [[ -n $name && ${present[$slot]:-} == *true ]]; then return 0; fi
    sleep 0.1
  done
  fail "reader $slot: the card ${name:-removal} was not seen by pcscd (log: $WORK/card-$name.log)"
}

# ---------- the node ----------
NODE_PORT=""

# free_port: a TCP port nobody listens on now (the node keeps it across its restart, as a
# real node keeps its address: the terminal's configuration names it).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# node_start: `carnet-node serve`, until it prints "listening on HOST:PORT".
node_start() {
  : >"$WORK/node.log"
  spawn node "$BIN/carnet-node" serve --config "$NODE/node.conf"
  for _ in $(seq 600); do
    grep -q 'listening on ' "$WORK/node.log" && break
    alive node || { cat "$WORK/node.log" >&2; fail "carnet-node serve stopped while starting"; }
    sleep 0.1
  done
  grep -q "listening on 127.0.0.1:$NODE_PORT" "$WORK/node.log" ||
    { cat "$WORK/node.log" >&2; fail "carnet-node serve did not say 'listening on 127.0.0.1:$NODE_PORT'"; }
}
node_stop() { stop node; }

# ---------- the patient's portal: carnet-reqgen builds and signs, curl posts ----------
# portal ACTION ARGS...: a portal request (device-signed by the enrolled portal, actor =
# the patient) over mutual TLS. Sets HTTP and leaves the decoded answer in $WORK/portal.json.
portal() {
  local action=$1
  shift
  must "$BIN/carnet-reqgen" "$action" --pki "$PKI" --portal --signer-key "$WORK/portal.key.pem" \
    --signer-cert "$WORK/portal.crt.pem" --terminal PORTAL-DEMO --out "$WORK/portal.cose" "$@"
  HTTP=$(curl -sS --max-time 30 --cert "$WORK/portal.crt.pem" --key "$WORK/portal.key.pem" \
    --cacert "$NODE/keys/operator-root.crt.pem" \
    -H 'Content-Type: application/cose; cose-type="cose-sign1"' \
    --data-binary "@$WORK/portal.cose" -o "$WORK/portal.resp" -w '%{http_code}' \
    "https://localhost:$NODE_PORT/v1/requests") || fail "portal: curl could not reach the node"
  must "$BIN/carnet-reqgen" decode-response "$WORK/portal.resp"
  cp "$WORK/last.out" "$WORK/portal.json"
  # The HTTP status must be the one the answer's body implies (200 result, 403 denied...).
  [[ $HTTP == "$(json "$WORK/portal.json" "d['http_status']")" ]] ||
    fail "portal $action: HTTP $HTTP does not match the answer $(head -c 300 "$WORK/portal.json")"
}

# decision FILE: "allow" or "deny:<rule>" (or "<code>" for a non-policy error) of an answer.
decision() {
  json "$1" "('deny:' + d['error'].get('rule', d['error']['code'])) if 'error' in d else 'allow'"
}

# ---------- the counter terminal ----------
# term COMMAND ARGS...: carnet-terminal at the counter (its configuration is in
# CARNET_TERMINAL_CONFIG). Output in $WORK/term.out, exit code in RC.
# pcscd powers a card off when no client has used it for 0.5 s (pcsc-lite's power-off grace
# period) and the CPS forgets its verified PIN: the session commands then ask for the PIN
# again (--pin-stdin: the professional's PIN is on standard input, read only if asked). A
# command that still answers "log in first" (exit 7) gets one explicit login and one retry,
# counted and printed at the end of the step.
RELOGINS=0 STEP_RELOGINS=0
term() {
  local pin=()
  [[ -n ${PRO_PIN:-} && $1 != outbox ]] && pin=(--pin-stdin)
  run terminal_bin "$@" "${pin[@]}" <<<"${PRO_PIN:-}"
  if [[ $RC -eq 7 && -n ${PRO_CARD:-} ]]; then
    RELOGINS=$((RELOGINS + 1)) STEP_RELOGINS=$((STEP_RELOGINS + 1))
    run terminal_bin login --pin-stdin <<<"$PRO_PIN"
    [[ $RC -eq 0 ]] || fail "login again with the $PRO_CARD's card exited $RC"
    run terminal_bin "$@" "${pin[@]}" <<<"${PRO_PIN:-}"
  fi
  cp "$WORK/last.out" "$WORK/term.out"
}

# term_decision: the decision in the last `term ... --json` output: "allow", "deny:<rule>",
# "queued", or "error:<exit code>" when the command failed without a node decision.
term_decision() {
  python3 - "$WORK/term.out" "$RC" <<'PY'
import json, sys
rc = int(sys.argv[2])
try:
    d = json.load(open(sys.argv[1]))
except ValueError:
    print("error:%d" % rc)
    sys.exit()
err = d.get("error") if isinstance(d, dict) else None
if isinstance(d, dict) and d.get("queued"):
    print("queued")
elif isinstance(err, dict):
    print("deny:" + str(err.get("rule") or err.get("code")))
elif rc == 0:
    print("allow")
else:
    print("error:%d" % rc)
PY
}

# login NAME PIN: the professional's card goes in slot 0 and its holder types the PIN.
login() {
  insert "$1"
  PRO_CARD=$1 PRO_PIN=$2
  run terminal_bin login --pin-stdin --json <<<"$2"
  [[ $RC -eq 0 ]] || fail "login with the $1's card exited $RC"
  detail "$(json "$WORK/last.out" "'%s %s logs in: CPS checked, PIN verified on the card' % (
    d['professional']['given_name'], d['professional']['surname'])")"
}
