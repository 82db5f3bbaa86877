#!/bin/bash
# `carnet-node retention sweep` from the outside, on a real SQLite database written through
# node/store: at a --now after 2030, the dossier closed in 2020 (retention) and the one whose
# deletion was asked in Feb 2026 (3 months) lose their keys, their documents are reported
# unreadable, each destruction has its trace entry, and nothing else changes (the open
# dossier, the one closed in 2025, every document row). Then: a second sweep destroys nothing,
# the 2035 boundary (1 ms before: kept; at: destroyed), a dossier with unreadable settings is a
# problem (exit 1, key kept), usage errors (exit 2).
# usage: ops_retention_cli_test.sh carnet-node carnet-crypto node_operator_fixture
set -eu
node=$1
crypto=$2
fixture=$3
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; set -e; cat "$tmp/rc"; }

"$node" retention --help | grep -q -- "--now T" || fail "--help"
"$node" retention sweep --help | grep -q "crypto-shredding" || fail "sweep --help"
[ "$(rc "$node" retention)" = 2 ] || fail "no sub-command"
[ "$(rc "$node" retention purge --config x)" = 2 ] || fail "unknown sub-command"
[ "$(rc "$node" retention sweep --config x --now yesterday)" = 2 ] || fail "bad --now"
grep -q "RFC 3339" "$tmp/err" || fail "bad --now: message"

"$crypto" pki test-hierarchy "$tmp/pki" --seed ops-retention >/dev/null
"$node" init "$tmp/node" --from-test-pki "$tmp/pki" >/dev/null
conf=$tmp/node/node.conf
db=$tmp/node/data/carnet.db
"$fixture" dossiers --config "$conf"
"$fixture" trace-append --config "$conf" 2
patients() { sqlite3 "$db" "SELECT ins, state, hex(wrapped_key), hex(settings) FROM patients WHERE ins IN ($1) ORDER BY ins"; }
documents() { sqlite3 "$db" "SELECT id, version, ins, status, hex(sealed) FROM documents ORDER BY id"; }
kept_before=$(patients "'1850299000002','1850299000003'")
docs_before=$(documents)

"$node" retention sweep --config "$conf" --now 2031-01-01T00:00:00Z --json >"$tmp/sweep.json"
python3 - "$tmp/sweep.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert r["now"].startswith("2031-01-01T00:00:00"), r
d = {x["ins"]: x for x in r["destroyed"]}
assert set(d) == {"1850299000001", "1850299000004"}, r
assert d["1850299000001"]["rule"] == "DOSSIER_RETENTION_EXPIRED", d
assert d["1850299000001"]["due_at"].startswith("2030-06-01T00:00:00"), d
assert d["1850299000004"]["rule"] == "DOSSIER_DELETION_DUE", d
assert d["1850299000004"]["due_at"].startswith("2026-05-01T00:00:00"), d
assert sorted(x["trace_index"] for x in d.values()) == [2, 3], d
assert [k["ins"] for k in r["kept"]] == ["1850299000003"], r
assert r["kept"][0]["due_at"].startswith("2035-01-01T00:00:00"), r
assert r["problems"] == [], r
u = sorted((x["ins"], x["id"]) for x in r["unreadable"])
assert u == [("1850299000001", "doc-1-0"), ("1850299000001", "doc-1-1"),
             ("1850299000004", "doc-4-0")], u
PY
for ins in 1850299000001 1850299000004; do
  row=$(sqlite3 "$db" "SELECT state, wrapped_key IS NULL FROM patients WHERE ins = '$ins'")
  [ "$row" = "key_destroyed|1" ] || fail "$ins after the sweep: $row"
done
[ "$kept_before" = "$(patients "'1850299000002','1850299000003'")" ] || fail "other dossiers changed"
[ "$docs_before" = "$(documents)" ] || fail "document rows changed"
# Each destruction is traced, and the log still verifies.
"$node" trace export --config "$conf" --begin 2 >"$tmp/export.jsonl"
python3 - "$tmp/export.jsonl" <<'PY'
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [(l["index"], l["action"], l["terminal"], l["decision"]) for l in lines] == [
    (2, "destroy_key", "retention-sweep", "allow"), (3, "destroy_key", "retention-sweep", "allow")], lines
assert {(l["patient"], l["rule"]) for l in lines} == {
    ("1850299000001", "DOSSIER_RETENTION_EXPIRED"), ("1850299000004", "DOSSIER_DELETION_DUE")}, lines
PY
"$node" trace verify --config "$conf" >/dev/null || fail "trace verify after the sweep"

# Again at the same time: nothing destroyed twice, nothing traced twice.
"$node" retention sweep --config "$conf" --now 2031-01-01 >"$tmp/out"
grep -q "^destroyed: 0$" "$tmp/out" || fail "second sweep: $(cat "$tmp/out")"
grep -q "^unreadable documents (key destroyed): 3$" "$tmp/out" || fail "second sweep unreadable"
[ "$(sqlite3 "$db" "SELECT COUNT(*) FROM trace_leaves")" = 4 ] || fail "second sweep traced"

# The 2035-01-01 boundary of the dossier closed on 2025-01-01, in unix milliseconds.
at=$(python3 -c "import datetime; print(int(datetime.datetime(2035,1,1,tzinfo=datetime.timezone.utc).timestamp()*1000))")
"$node" retention sweep --config "$conf" --now $((at - 1)) >"$tmp/out"
grep -q "^destroyed: 0$" "$tmp/out" || fail "1 ms before the end: $(cat "$tmp/out")"
"$node" retention sweep --config "$conf" --now "$at" >"$tmp/out"
grep -q "^destroyed: 1$" "$tmp/out" && grep -q "1850299000003  DOSSIER_RETENTION_EXPIRED" "$tmp/out" ||
  fail "at the end: $(cat "$tmp/out")"

# A closed dossier whose settings cannot be read is reported, never destroyed.
"$fixture" bad-dossier --config "$conf"
[ "$(rc "$node" retention sweep --config "$conf" --now 2099-01-01)" = 1 ] || fail "problem: exit"
grep -q "1850299000005  dossier settings" "$tmp/out" || fail "problem: $(cat "$tmp/out")"
row=$(sqlite3 "$db" "SELECT state, wrapped_key IS NULL FROM patients WHERE ins = '1850299000005'")
[ "$row" = "closed|0" ] || fail "problem dossier touched: $row"
echo "operator retention CLI: OK"
