# shellcheck shell=bash
# The demo's start-up (story.sh sources this file after lib.sh): test PKI, node directory,
# RPPS directory, the node serving, the counter terminal and the patient portal enrolled.
# Each function is one story step.

setup_pki() {
  step "A test PKI named like the real ones: IGC-Santé, Vitale, the operator (carnet-crypto pki)"
  must "$BIN/carnet-crypto" pki test-hierarchy "$PKI" --seed carnet-demo
  local who
  for who in general-practitioner pharmacist dentist blocked-physician; do
    pki "next(p for p in d['professionals'] if p['role']=='$who')" >/dev/null ||
      fail "the test PKI has no $who"
  done
  GP=$(pki "next(p['given_name']+' '+p['surname'] for p in d['professionals'] if p['role']=='general-practitioner')")
  GP_IDNAT=$(pki "next(p['idnat'] for p in d['professionals'] if p['role']=='general-practitioner')")
  PHARMACIST=$(pki "next(p['given_name']+' '+p['surname'] for p in d['professionals'] if p['role']=='pharmacist')")
  DENTIST=$(pki "next(p['given_name']+' '+p['surname'] for p in d['professionals'] if p['role']=='dentist')")
  CARDIO=$(pki "next(p['given_name']+' '+p['surname'] for p in d['professionals'] if p['role']=='blocked-physician')")
  CARDIO_IDNAT=$(pki "next(p['idnat'] for p in d['professionals'] if p['role']=='blocked-physician')")
  PATIENT=$(pki "d['vitale']['patients'][0]['given_name']+' '+d['vitale']['patients'][0]['surname']")
  INS=$(pki "d['vitale']['patients'][0]['ins']")
  ok "Dr $GP (general practitioner), $PHARMACIST (pharmacist), Dr $DENTIST (dentist),"
  detail "Dr $CARDIO (cardiologist), and the patient $PATIENT (INS $INS) with her Vitale card"
}

setup_node() {
  step "The hosting node's directory: keys, trust anchors, the RPPS directory extract"
  must "$BIN/carnet-node" init "$NODE" --from-test-pki "$PKI"
  NODE_PORT=$(free_port)
  python3 - "$NODE/node.conf" "$NODE_PORT" <<'PY'
import re, sys
path, port = sys.argv[1], sys.argv[2]
text = open(path).read()
text, n1 = re.subn(r'(?m)^address = .*$', 'address = 127.0.0.1:' + port, text, count=1)
text, n2 = re.subn(r'(?m)^admin_address = .*$', 'admin_address = 127.0.0.1:0', text, count=1)
assert n1 == 1 and n2 == 1, "node.conf has no [listen] address/admin_address"
open(path, 'w').write(text)
PY
  python3 - "$PKI/index.json" "$WORK/rpps.txt" <<'PY'
import json, sys
index = json.load(open(sys.argv[1]))
rows = ["Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|"
        "Prénom d'exercice|Code profession|Code savoir-faire|Statut"]
for p in index["professionals"]:
    rows.append("|".join(["8", p["rpps"], p["idnat"], p["surname"], p["given_name"],
                          p["profession"], p["specialty"] or "", "active"]))
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(rows) + "\n")
PY
  must "$BIN/carnet-node" import-directory --config "$NODE/node.conf" "$WORK/rpps.txt"
  ok "node directory made; RPPS extract: $(grep -o 'imported [0-9]* professionals' "$WORK/last.out")"
  must "$BIN/carnet-node" config check "$NODE/node.conf"
  ok "node.conf checked: listens on 127.0.0.1:$NODE_PORT"
}

setup_serve() {
  step "The node serves terminals and the portal over mutual TLS (carnet-node serve)"
  needs "carnet-node serve" || return 0
  node_start
  ok "$(grep -m1 'listening on' "$WORK/node.log")"
  done_ serve
}

# The counter terminal: device key in its key store, CSR, certificate from the operator.
setup_terminal() {
  step "The counter terminal is enrolled: device key in its key store, certificate from the node"
  needs "carnet-terminal enroll" || return 0
  mkdir -p "$TERM_DIR"
  must terminal_bin enroll --id COUNTER-01 --key-store "$TERM_DIR/keys"
  cp "$WORK/last.out" "$TERM_DIR/device.csr.pem"
  must "$BIN/carnet-node" enroll-terminal --config "$NODE/node.conf" \
    --csr "$TERM_DIR/device.csr.pem" --id COUNTER-01
  cat "$WORK/last.out" "$NODE/keys/terminal-ca.crt.pem" >"$TERM_DIR/device.pem"
  cat >"$TERM_CONF" <<CONF
# carnet-terminal configuration of the demo's counter terminal
node = 127.0.0.1:$NODE_PORT
server_name = localhost
operator_ca = $NODE/keys/operator-root.crt.pem
keystore = keys
device_cert = device.pem
outbox = outbox.db
state_dir = state
ins_oid = 1.2.250.1.213.1.4.10
pki_index = $PKI/index.json
CONF
  mkdir -p "$TERM_DIR/state"
  ok "COUNTER-01 enrolled; its private key never left $TERM_DIR/keys"
  done_ terminal
}

# The patient portal is enrolled like a terminal, with role portal (an OpenSSL P-256 key).
setup_portal() {
  step "The patient's portal is enrolled (role portal): the patient acts through it"
  must openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
    -keyout "$WORK/portal.key.pem" -out "$WORK/portal.csr.pem" -subj /CN=PORTAL-DEMO
  must "$BIN/carnet-node" enroll-terminal --config "$NODE/node.conf" --csr "$WORK/portal.csr.pem" \
    --id PORTAL-DEMO --portal
  cp "$WORK/last.out" "$WORK/portal.crt.pem"
  ok "PORTAL-DEMO enrolled"
  done_ portal
}
