# shellcheck shell=bash
# The story's steps (story.sh sources this file after lib.sh and setup.sh). One function per
# step; each says what it needs, so a step whose command is not built yet reports NOT YET.

# The documents of the story, written as files the doctor's software would hand over.
write_documents() {
  printf '%%PDF-1.4\nCompte rendu de consultation, %s: angine, pas de complication.\n' \
    "$PATIENT" >"$WORK/report.pdf"
  printf '%%PDF-1.4\nOrdonnance: amoxicilline 1 g, 2 fois par jour, 6 jours.\n' >"$WORK/prescription.pdf"
  printf '%%PDF-1.4\nBiologie: NFS, CRP 12 mg/L.\n' >"$WORK/biology.pdf"
  printf '%%PDF-1.4\nCompte rendu de consultation de suivi: guérison.\n' >"$WORK/followup.pdf"
}

# Document ids of the story, as the node acknowledged them.
declare -A DOC=()

cards_at_counter() {
  step "At the counter: Dr $GP's CPS3 in reader 0, $PATIENT's Vitale in reader 1 (real pcscd)"
  insert gp
  insert vitale
  must terminal_bin cards --json --pki-index "$PKI/index.json"
  cp "$WORK/last.out" "$WORK/cards.json"
  local got
  got=$(json "$WORK/cards.json" "' '.join([d['readers'][0]['holder']['id_nat'],
    d['readers'][0]['certificates']['verdict'], d['readers'][1]['type'],
    d['readers'][1]['certificate']['verdict']])")
  expect "$GP_IDNAT ok Vitale ok" "$got" "the terminal checks both cards (CPS chain + CRL, Vitale CVC)"
  needs "carnet-terminal login" @terminal || return 0
  login gp 1234
  detail "(each later command gets the PIN on --pin-stdin too, read only if the CPS lost it:"
  detail " pcscd powers an idle card off within a second unless a client holds it)"
  done_ login
}

open_dossier() {
  step "$PATIENT consents: Dr $GP opens her shared medical record"
  needs "carnet-terminal open-dossier" @serve @login || return 0
  term open-dossier --patient-consent --json
  expect allow "$(term_decision)" "open the dossier with the patient's consent"
  done_ dossier
}

# deposit KEY TYPE FILE TITLE: Dr Dubois deposits, signed with her card's SIG key.
deposit_one() {
  term deposit --type "$2" --file "$3" --title "$4" --json
  expect allow "$(term_decision)" "deposit '$4' ($2)"
  DOC[$1]=$(json "$WORK/term.out" "d.get('document_id') or d['ack']['document_id']")
  detail "stored as document ${DOC[$1]}"
}

gp_deposits() {
  step "Dr $GP deposits a consultation report, a prescription and lab results (CPS SIG key)"
  needs "carnet-terminal deposit" @dossier || return 0
  write_documents
  deposit_one report 11488-4 "$WORK/report.pdf" "Compte rendu de consultation"
  deposit_one prescription 57833-6 "$WORK/prescription.pdf" "Ordonnance"
  deposit_one biology 11502-2 "$WORK/biology.pdf" "Résultats de biologie"
  done_ deposits
}

portal_masks() {
  step "The patient's portal: $PATIENT names Dr $GP her treating physician and masks the lab results"
  needs @portal @serve @deposits || return 0
  portal designate_treating_physician --target "$GP_IDNAT"
  expect allow "$(decision "$WORK/portal.json")" "designate the treating physician"
  portal mask --doc-id "${DOC[biology]}"
  expect allow "$(decision "$WORK/portal.json")" "mask the lab results (MASQUE_PS)"
  done_ masked
}

pharmacist_reads() {
  step "Pharmacist $PHARMACIST (card swapped in reader 0) reads what the matrix allows"
  needs "carnet-terminal consent" "carnet-terminal list" "carnet-terminal read" @masked || return 0
  login pharmacist 2468
  term consent --json
  expect allow "$(term_decision)" "$PATIENT, her Vitale in the reader, consents to the pharmacist"
  term list --json
  local listed
  listed=$(doc_ids "$WORK/term.out")
  expect "${DOC[prescription]}" "$listed" "the pharmacist's list shows the prescription only"
  term read "${DOC[prescription]}" --out "$WORK/read-prescription.pdf" --json
  expect allow "$(term_decision)" "read the prescription (matrix: pharmacist, class 42)"
  cmp -s "$WORK/prescription.pdf" "$WORK/read-prescription.pdf" ||
    fail "the prescription read back differs from the one deposited"
  detail "the content read is byte for byte the prescription Dr $GP signed"
  term read "${DOC[report]}" --out "$WORK/read-report.pdf" --json
  expect deny:HABILITATION_DENIED "$(term_decision)" "read the consultation report"
  term read "${DOC[biology]}" --out "$WORK/read-biology.pdf" --json
  expect deny:DOCUMENT_MASKED "$(term_decision)" "read the lab results the patient masked"
  [[ ! -e $WORK/read-report.pdf && ! -e $WORK/read-biology.pdf ]] ||
    fail "a refused read left a file"
  done_ pharmacist
}

portal_blocks() {
  step "The patient's portal: $PATIENT blocks Dr $CARDIO"
  needs @portal @dossier || return 0
  portal block --target "$CARDIO_IDNAT"
  expect allow "$(decision "$WORK/portal.json")" "block Dr $CARDIO"
  done_ blocked
}

blocked_refused() {
  step "Dr $CARDIO, blocked by the patient, is refused, even in an emergency"
  needs "carnet-terminal list" "carnet-terminal emergency" @blocked || return 0
  login cardiologist 4321
  term list --json
  expect deny:BLOCKED_PROFESSIONAL "$(term_decision)" "Dr $CARDIO lists the documents"
  term emergency --justification "douleur thoracique aux urgences" --json
  expect deny:BLOCKED_PROFESSIONAL "$(term_decision)" "Dr $CARDIO asks for emergency access"
  done_ refused
}

emergency_access() {
  step "Dr $DENTIST, emergency access (bris de glace) with its justification"
  needs "carnet-terminal emergency" @deposits @masked || return 0
  login dentist 3579
  term emergency --justification "malaise au fauteuil avant extraction: traitements en cours?" --json
  expect allow "$(term_decision)" "bris de glace with a justification"
  local listed
  listed=$(doc_ids "$WORK/term.out")
  expect "$(printf '%s\n' "${DOC[prescription]}" "${DOC[report]}" | sort | xargs)" "$listed" \
    "shown: report and prescription; the masked lab results stay hidden"
  done_ emergency
}

emergency_notifications() {
  step "The emergency access leaves a notification, for the patient and her treating physician"
  needs @emergency || return 0
  # The node's notification queue, read from its SQLite file (read-only): what the operator
  # delivers to the patient (and, for an emergency, to the treating physician).
  local db
  db=$NODE/data/carnet.db
  sqlite3 -readonly "$db" "SELECT kind, actor_id_nat, trace_index FROM notifications
    WHERE kind = 'emergency_access' ORDER BY id" >"$WORK/notifications.txt" ||
    fail "cannot read the notifications in $db"
  local dentist_idnat
  dentist_idnat=$(pki "next(p['idnat'] for p in d['professionals'] if p['role']=='dentist')")
  expect "emergency_access|$dentist_idnat" "$(cut -d'|' -f1,2 "$WORK/notifications.txt" | sort -u)" \
    "pending notification of Dr $DENTIST's emergency access"
  detail "tied to trace entry $(cut -d'|' -f3 "$WORK/notifications.txt" | head -n 1); all pending:" \
    "$(sqlite3 -readonly "$db" "SELECT group_concat(kind || ' ' || n, ', ') FROM
      (SELECT kind, COUNT(*) AS n FROM notifications WHERE delivered_at IS NULL GROUP BY kind)")"
}

deposit_while_down() {
  step "The node goes down; Dr $GP's follow-up report waits in the terminal's encrypted outbox"
  needs "carnet-terminal deposit" "carnet-terminal outbox" @dossier || return 0
  node_stop
  login gp 1234
  term deposit --type 11488-4 --file "$WORK/followup.pdf" --title "Consultation de suivi" --json
  expect queued "$(term_decision)" "deposit while the node is unreachable"
  term outbox list --json
  expect 1 "$(json "$WORK/term.out" "len(d['entries'])")" "requests waiting in the outbox"
  step "The node is back: the outbox delivers the deposit, once"
  node_start
  term outbox flush --json
  expect "200 delivered" "$(json "$WORK/term.out" "' '.join('%d %s' % (a['http_status'],
    'refused' if a['refused'] else 'delivered') for a in d['answered'])")" "outbox flush"
  term outbox list --json
  expect 0 "$(json "$WORK/term.out" "len(d['entries'])")" "requests waiting in the outbox"
  portal list
  expect allow "$(decision "$WORK/portal.json")" "the patient's portal lists her documents"
  expect 4 "$(json "$WORK/portal.json" "len(d['documents'])")" "documents in her record (3 + the one delivered from the outbox)"
}

patient_reads_traces() {
  step "The patient's portal: $PATIENT reads who did what with her record (the traces)"
  needs @portal @dossier || return 0
  portal traces
  expect allow "$(decision "$WORK/portal.json")" "read the traces"
  python3 - "$PKI/index.json" "$WORK/portal.json" <<'PY' | while IFS= read -r line; do detail "$line"; done
import json, sys
index, answer = (json.load(open(f)) for f in sys.argv[1:3])
names = {p["idnat"]: ("pharm. " if p["profession"] == "21" else "Dr ") + p["surname"].title()
         for p in index["professionals"]}
names.update({p["ins"]: "the patient" for p in index["vitale"]["patients"]})
for t in answer["traces"]:
    mode = "" if t["mode"] == "normal" else " (" + t["mode"] + ")"
    print("#%-3d %-14s %-29s %-8s %s" % (t["index"], names.get(t["actor"], t["actor"]),
          t["action"] + mode, "allowed" if t["allowed"] else "DENIED", t["rule"]))
PY
  local rules
  rules=$(json "$WORK/portal.json" "' '.join(sorted(set(t['rule'] for t in d['traces'] if not t['allowed'])))")
  local want=""
  [[ -n ${STEPS_DONE[pharmacist]:-} ]] && want+=" DOCUMENT_MASKED HABILITATION_DENIED"
  [[ -n ${STEPS_DONE[refused]:-} ]] && want+=" BLOCKED_PROFESSIONAL"
  want=$(tr ' ' '\n' <<<"$want" | sed '/^$/d' | sort | xargs)
  expect "$want" "$rules" "every refusal of the story is in her traces"
}

trace_verified() {
  step "The trace log is verified against its signed tree head (RFC 6962)"
  needs @serve || return 0
  must "$BIN/carnet-node" trace sth --config "$NODE/node.conf" --json
  cp "$WORK/last.out" "$WORK/sth.json"
  detail "$(json "$WORK/sth.json" "'tree size %d, root %s...' % (d['tree_size'], d['root_hash'][:16])")"
  run "$BIN/carnet-node" trace verify --config "$NODE/node.conf" --sth "$WORK/sth.json"
  expect 0 "$RC" "carnet-node trace verify (exit code)"
}

trace_tampered() {
  step "An operator who rewrites one trace entry is caught by the same check"
  needs @serve || return 0
  node_stop
  cp -a "$NODE" "$WORK/node-copy"
  local victim
  victim=$(sqlite3 -readonly "$WORK/node-copy/data/carnet.db" \
    "SELECT idx FROM trace_leaves ORDER BY idx LIMIT 1 OFFSET 2") || fail "no trace_leaves table"
  sqlite3 "$WORK/node-copy/data/carnet.db" \
    "UPDATE trace_leaves SET entry = entry || x'00' WHERE idx = $victim" || fail "sqlite3 update"
  run "$BIN/carnet-node" trace verify --config "$WORK/node-copy/node.conf" --sth "$WORK/sth.json"
  expect 1 "$RC" "trace verify of a copy where entry $victim was rewritten (exit code)"
  detail "$(cat "$WORK/last.err" "$WORK/last.out" | head -n 1)"
}
