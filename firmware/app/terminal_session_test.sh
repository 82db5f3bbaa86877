#!/usr/bin/env bash
# carnet-terminal session commands end to end on real parts: run by
# tests/integration/pcsc_harness.sh (private pcscd + vpcd; test PKI in $CARNET_TEST_PKI), with a
# real carnet-node (init from the test PKI, RPPS directory imported, serve on 127.0.0.1:0,
# mutual TLS) and the terminal enrolled (carnet-terminal enroll → carnet-node enroll-terminal).
# Covers: login (wrong PIN, right PIN), open-dossier, deposit (SIG key), list and read (AUT
# key), status, commands resuming the session from the card's PIN state, deposit while the
# node is down → queued, a read while down → refused and not queued, outbox flush when the node
# is back → delivered exactly once, Vitale removed → "insert the patient's Vitale card", idle
# lock (state file aged, not a sleep) → card reset → log in again, CPS removed → log in again.
# Also: a read before the patient's consent is refused by the node (AUTHORIZATION_REQUIRED).
# Two CTest entries (each < 60 s): `terminal_session_test.sh flow` (sections 1-4, 8) and
# `terminal_session_test.sh cards` (5-7).
# Needs $CARNET_TERMINAL_BIN, $CARNET_CARDSIM_BIN, $CARNET_NODE_BIN and python3.
set -uo pipefail

T=${CARNET_TERMINAL_BIN:?}
SIM=${CARNET_CARDSIM_BIN:?}
NODE_BIN=${CARNET_NODE_BIN:?}
PKI=${CARNET_TEST_PKI:-}
[[ -n "${CARNET_PCSC_HARNESS:-}" && -n "$PKI" ]] || { echo "needs the harness and a PKI"; exit 77; }
command -v python3 >/dev/null || { echo "SKIP: python3 not installed"; exit 77; }
export CARNET_TERMINAL_ALLOW_ROOT=1  # the harness runs as root in its namespaces
W=$(mktemp -d)
PIDS=()
NODE_PID=""
cleanup() {
  [[ -n "$NODE_PID" ]] && { kill "$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null; }
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
  rm -rf "$W"
}
trap cleanup EXIT
FAILS=0
fail() { echo "FAIL: $*" >&2; FAILS=$((FAILS + 1)); }
ok() { echo "ok: $*"; }
# check NAME EXPECTED_RC CMD...: runs CMD (stdout $W/out, stderr $W/err), compares the exit code.
check() {
  local name=$1 want=$2; shift 2
  "$@" >"$W/out" 2>"$W/err"; RC=$?
  if [[ $RC -eq $want ]]; then ok "$name"; else
    fail "$name: exit $RC, wanted $want"; sed 's/^/  | /' "$W/out" "$W/err" >&2; fi
}
has() { grep -qF -- "$1" "$2" && ok "  $3" || { fail "$3: no '$1' in $2"; sed 's/^/  | /' "$2" >&2; }; }
jget() { python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$@"; }

start_sim() {  # start_sim NAME ARGS... ; pid in SIM_<NAME>
  local name=$1; shift
  "$SIM" "$@" </dev/null >"$W/$name.log" 2>&1 &
  PIDS+=($!)
  printf -v "SIM_$name" '%s' "$!"
}
stop_sim() { kill "$1" 2>/dev/null; wait "$1" 2>/dev/null; }
wait_cards() {  # wait_cards PATTERN...: until `cards --json` shows every pattern (10 s)
  for _ in $(seq 50); do
    "$T" cards --json >"$W/cards.json" 2>/dev/null
    local all=1
    for p in "$@"; do grep -qF -- "$p" "$W/cards.json" || all=0; done
    [[ $all -eq 1 ]] && return 0
    sleep 0.2
  done
  return 1
}

# ---- the node ----
NODE=$W/node
"$NODE_BIN" init "$NODE" --from-test-pki "$PKI" >"$W/init.log" 2>&1 || { cat "$W/init.log"; exit 1; }
sed -i -e 's/^address = .*/address = 127.0.0.1:0/' -e 's/^admin_address = .*/admin_address = 127.0.0.1:0/' \
  "$NODE/node.conf"
python3 - "$PKI/index.json" "$W/rpps.txt" <<'PY'
import json, sys
index = json.load(open(sys.argv[1]))
rows = ["Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|"
        "Prénom d'exercice|Code profession|Code savoir-faire|Statut"]
for p in index["professionals"]:
    rows.append("|".join(["8", p["rpps"], p["idnat"], p["surname"], p["given_name"],
                          p["profession"], p["specialty"] or "", "active"]))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(rows) + "\n")
PY
"$NODE_BIN" import-directory --config "$NODE/node.conf" "$W/rpps.txt" >"$W/dir.log" 2>&1 ||
  { cat "$W/dir.log"; exit 1; }
node_start() {
  "$NODE_BIN" serve --config "$NODE/node.conf" >"$W/node.log" 2>&1 &
  NODE_PID=$!
  for _ in $(seq 100); do grep -q "listening on" "$W/node.log" && break; sleep 0.1; done
  PORT=$(grep -m1 -o 'listening on [0-9.]*:[0-9]*' "$W/node.log" | sed 's/.*://')
  [[ -n "$PORT" ]] || { cat "$W/node.log"; return 1; }
  sed -i "s/^node = .*/node = 127.0.0.1:$PORT/" "$TERM_CONF" 2>/dev/null
  return 0
}
node_stop() { kill -TERM "$NODE_PID" 2>/dev/null; wait "$NODE_PID" 2>/dev/null; NODE_PID=""; }

# ---- the terminal ----
TD=$W/terminal
TERM_CONF=$TD/terminal.conf
mkdir -p "$TD/state"
"$T" enroll --id TERM-IT-01 --key-store "$TD/keys" >"$TD/device.csr" 2>"$W/enroll.err" ||
  { cat "$W/enroll.err"; exit 1; }
"$NODE_BIN" enroll-terminal --config "$NODE/node.conf" --csr "$TD/device.csr" --id TERM-IT-01 \
  >"$TD/device.crt" 2>"$W/enroll-terminal.err" || { cat "$W/enroll-terminal.err"; exit 1; }
cat "$TD/device.crt" "$NODE/keys/terminal-ca.crt.pem" >"$TD/device.pem"
cat >"$TERM_CONF" <<CONF
# carnet-terminal configuration of the integration test
node = 127.0.0.1:1
server_name = localhost
operator_ca = $NODE/keys/operator-root.crt.pem
keystore = keys
device_cert = device.pem
outbox = outbox.db
state_dir = state
idle_timeout = 300
ins_oid = 1.2.250.1.213.1.4.10
pki_index = $PKI/index.json
CONF
export CARNET_TERMINAL_CONFIG=$TERM_CONF
node_start || { echo "the node did not start"; exit 1; }
ok "node serving on 127.0.0.1:$PORT, terminal TERM-IT-01 enrolled"

# ---- the cards ----
start_sim cps --profile cps3 --slot 0 --pki "$PKI" --professional 0
start_sim vitale --profile vitale --slot 1 --pki "$PKI" --patient 0
wait_cards '"type":"CPS3"' '"type":"Vitale"' || { cat "$W/cards.json"; exit 1; }
NIR=$(jget "$W/cards.json" "[r for r in d['readers'] if r.get('type')=='Vitale'][0]['insured']['nir']")
printf '%%PDF-1.4 compte rendu de consultation\n' >"$W/report.pdf"
printf '%%PDF-1.4 consultation de suivi\n' >"$W/followup.pdf"

MODE=${1:-flow}
if [[ $MODE == flow ]]; then
# 1. Nothing before login; wrong PIN; login.
check "list before login: exit 7" 7 "$T" list
has "not logged in: run carnet-terminal login" "$W/err" "says to log in"
echo 0000 | check "login with a wrong PIN: exit 4" 4 "$T" login --pin-stdin
has "wrong PIN: 2 tries left" "$W/err" "tries left shown"
echo 1234 | check "login" 0 "$T" login --pin-stdin --json
has '"id_nat":"899700100011"' "$W/out" "the professional's identity"
has "\"nir\":\"$NIR\"" "$W/out" "the patient's identity"
grep -q 1234 "$W/out" "$W/err" "$TD/state/session.json" && fail "the PIN reached an output or the state"

# 2. Open, deposit, list, read — each a new process resuming from the card's PIN state.
check "open-dossier without consent: usage" 2 "$T" open-dossier
check "open-dossier --patient-consent" 0 "$T" open-dossier --patient-consent --json
check "deposit (SIG key)" 0 "$T" deposit --type 11488-4 --file "$W/report.pdf" \
  --title "Compte rendu" --json
DOC=$(jget "$W/out" "d['document_id']")
check "list before the patient's consent: refused by the node" 6 "$T" list --json
has '"rule":"AUTHORIZATION_REQUIRED"' "$W/out" "the rule is named"
check "consent" 0 "$T" consent --json
check "list (AUT key)" 0 "$T" list --json
has "\"id\":\"$DOC\"" "$W/out" "the deposited document is listed"
check "read" 0 "$T" read "$DOC" --out "$W/read.pdf"
cmp -s "$W/report.pdf" "$W/read.pdf" && ok "  read content = deposited content" || fail "read content differs"
check "status" 0 "$T" status --json
has '"logged_in":true' "$W/out" "logged in"
has '"reachable":true' "$W/out" "node reachable"
has '"outbox":0' "$W/out" "outbox empty"

# 3. The node goes down: the deposit waits in the outbox, a read is refused (not queued).
node_stop
check "deposit while the node is down: queued" 0 "$T" deposit --type 11488-4 \
  --file "$W/followup.pdf" --title "Suivi" --json
has '"queued":true' "$W/out" "queued"
check "list while the node is down: exit 1" 1 "$T" list
has "not queued" "$W/err" "reads are not queued"
check "outbox list" 0 "$T" outbox list --json
[[ $(jget "$W/out" "len(d['entries'])") == 1 ]] && ok "  one request waiting" || fail "outbox size"
check "outbox flush while down: stopped" 1 "$T" outbox flush
check "outbox still holds it" 0 "$T" outbox list --json
[[ $(jget "$W/out" "len(d['entries'])") == 1 ]] && ok "  still one waiting" || fail "outbox lost it"

# 4. The node is back: delivered once.
node_start || fail "node restart"
check "outbox flush" 0 "$T" outbox flush --json
[[ $(jget "$W/out" "len(d['answered'])") == 1 ]] && ok "  one delivered" || fail "flush answered"
check "second flush: nothing left" 0 "$T" outbox flush --json
[[ $(jget "$W/out" "len(d['answered'])") == 0 ]] && ok "  nothing sent twice" || fail "sent twice"
# Long after the last card command: the session keeper kept the card powered (and verified).
check "list after flush, no new PIN" 0 "$T" list --json
[[ $(jget "$W/out" "len(d['documents'])") == 2 ]] && ok "  two documents, the queued one once" ||
  fail "documents after flush: $(cat "$W/out")"
has '"title":"Suivi"' "$W/out" "the queued deposit is in the dossier"

# 8. Usage.
for c in login status open-dossier deposit list read consent emergency outbox; do
  "$T" $c --help | grep -q "usage: carnet-terminal $c" || fail "$c --help"
done
check "emergency needs a justification or --samu" 2 "$T" emergency
check "unknown option" 2 "$T" list --frobnicate

else  # MODE=cards: removals, idle lock, blocked PIN
echo 1234 | check "login" 0 "$T" login --pin-stdin
check "open-dossier --patient-consent" 0 "$T" open-dossier --patient-consent
check "consent" 0 "$T" consent
check "emergency (bris de glace)" 0 "$T" emergency --justification "malaise a l'accueil" --json
has '"documents":' "$W/out" "the documents are listed"
# 5. The Vitale leaves: the session is suspended, not ended.
stop_sim "$SIM_vitale"
wait_cards '{"name":"Virtual PCD 00 01","card_present":false}' || fail "Vitale removal not seen"
check "list without the Vitale: exit 3" 3 "$T" list
has "insert the patient's Vitale card" "$W/err" "says to insert the Vitale"
start_sim vitale --profile vitale --slot 1 --pki "$PKI" --patient 0
wait_cards '"type":"Vitale"' || fail "Vitale reinsertion not seen"
check "list with the Vitale back: the session goes on" 0 "$T" list

# 6. Idle lock: the saved last activity made old (no sleep): the card is reset.
python3 - "$TD/state/session.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1])); d["last_activity"] = 0
json.dump(d, open(sys.argv[1], "w"))
PY
check "list after the idle timeout: locked" 7 "$T" list
has "session locked" "$W/err" "says the session locked"
check "next command: log in again" 7 "$T" list
echo 1234 | check "login again" 0 "$T" login --pin-stdin
check "list after the new login" 0 "$T" list

# 7. The CPS leaves: its PIN state goes with the power.
stop_sim "$SIM_cps"
wait_cards '{"name":"Virtual PCD 00 00","card_present":false}' || fail "CPS removal not seen"
check "list without the CPS: exit 3" 3 "$T" list
has "insert the professional's CPS card" "$W/err" "says to insert the CPS"
start_sim cps --profile cps3 --slot 0 --pki "$PKI" --professional 0
wait_cards '"type":"CPS3"' || fail "CPS reinsertion not seen"
check "list with the CPS back: log in again" 7 "$T" list
has "carnet-terminal login" "$W/err" "says to log in"
echo 0000 | check "wrong PIN 1" 4 "$T" login --pin-stdin
echo 0000 | check "wrong PIN 2" 4 "$T" login --pin-stdin
echo 0000 | check "wrong PIN 3: blocked" 5 "$T" login --pin-stdin
has "PIN blocked: unblock with the PUK" "$W/err" "names the PUK"

fi
echo "failures: $FAILS"
[[ $FAILS -eq 0 ]]
