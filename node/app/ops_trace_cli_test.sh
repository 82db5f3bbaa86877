#!/bin/bash
# `carnet-node trace ...` from the outside, checked with independent tools: the signed head's
# ES256 signature by `openssl dgst -verify` over the RFC 6962 §3.5 TreeHeadSignature rebuilt in
# Python, the root recomputed in Python from the exported leaves, an inclusion proof checked in
# Python (RFC 9162 §2.1.3.2), and `trace verify` on an intact log and after three kinds of
# tampering done with the sqlite3 CLI (entry edited; entry edited with its leaf hash
# recomputed; last entry deleted), each exiting 1 and naming the index.
# usage: ops_trace_cli_test.sh carnet-node carnet-crypto node_operator_fixture
set -eu
node=$1
crypto=$2
fixture=$3
tmp=$(mktemp -d)
trap '[ -n "${KEEP:-}" ] || rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; set -e; cat "$tmp/rc"; }

"$node" trace --help | grep -q "verify --config FILE" || fail "trace --help"
"$node" trace sth --help | grep -q "sth --config FILE" || fail "trace sth --help"
[ "$(rc "$node" trace)" = 2 ] || fail "trace without sub-command"
[ "$(rc "$node" trace frobnicate --config x)" = 2 ] || fail "unknown sub-command"
[ "$(rc "$node" trace sth --config x --index 1)" = 2 ] || fail "option of another sub-command"

"$crypto" pki test-hierarchy "$tmp/pki" --seed ops-trace >/dev/null
"$node" init "$tmp/node" --from-test-pki "$tmp/pki" >/dev/null
conf=$tmp/node/node.conf
[ "$(rc "$node" trace sth --config "$conf")" = 1 ] || fail "sth before any database"
grep -q "no database" "$tmp/err" || fail "sth before any database: message"

"$fixture" trace-append --config "$conf" 5
"$node" trace sth --config "$conf" --json >"$tmp/sth.json"
"$node" trace export --config "$conf" >"$tmp/export.jsonl"
"$node" trace prove --config "$conf" --index 2 --json >"$tmp/prove.json"
"$node" trace prove --config "$conf" --index 4 --size 5 --json >"$tmp/prove4.json"
[ "$(rc "$node" trace prove --config "$conf" --index 5)" = 1 ] || fail "index beyond the log"
[ "$(rc "$node" trace prove --config "$conf")" = 2 ] || fail "prove without --index"

python3 - "$tmp" <<'PY'
import base64, hashlib, json, struct, sys
tmp = sys.argv[1]
sth = json.load(open(tmp + "/sth.json"))
assert sth["tree_size"] == 5, sth
tbs = struct.pack(">BBQQ", 0, 1, sth["timestamp"], sth["tree_size"]) + bytes.fromhex(sth["root_hash"])
assert len(tbs) == 50
open(tmp + "/tbs.bin", "wb").write(tbs)
open(tmp + "/sig.der", "wb").write(base64.b64decode(sth["signature"]))
open(tmp + "/pub.pem", "w").write(sth["log_public_key"])

def leaf_hash(b): return hashlib.sha256(b"\0" + b).digest()
def node_hash(l, r): return hashlib.sha256(b"\1" + l + r).digest()
def mth(leaves):
    if len(leaves) == 1: return leaves[0]
    k = 1
    while k * 2 < len(leaves): k *= 2
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))
lines = [json.loads(l) for l in open(tmp + "/export.jsonl")]
assert [l["index"] for l in lines] == list(range(5)), lines
for l in lines:
    for k in ("v", "time", "terminal", "request", "actor", "patient", "action", "document",
              "mode", "decision", "rule"):
        assert k in l, (k, l)
    assert l["request"].encode() in base64.b64decode(l["leaf"])
leaves = [leaf_hash(base64.b64decode(l["leaf"])) for l in lines]
assert mth(leaves).hex() == sth["root_hash"], "root recomputed from the export"

def verify_inclusion(index, size, leaf, path, root):  # RFC 9162 2.1.3.2
    fn, sn, r = index, size - 1, leaf
    for p in path:
        if sn == 0: return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while fn & 1 == 0 and fn != 0:
                    fn >>= 1; sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1; sn >>= 1
    return sn == 0 and r == root
for name, index in (("prove.json", 2), ("prove4.json", 4)):
    proof = json.load(open(tmp + "/" + name))
    assert proof["index"] == index and proof["tree_size"] == 5, proof
    assert proof["leaf_hash"] == leaves[index].hex()
    assert proof["root_hash"] == sth["root_hash"]
    path = [bytes.fromhex(h) for h in proof["audit_path"]]
    assert verify_inclusion(index, 5, leaves[index], path, bytes.fromhex(sth["root_hash"])), name
    bad = path[:]; bad[0] = bytes(32)
    assert not verify_inclusion(index, 5, leaves[index], bad, bytes.fromhex(sth["root_hash"]))
PY
openssl dgst -sha256 -verify "$tmp/pub.pem" -signature "$tmp/sig.der" "$tmp/tbs.bin" >/dev/null ||
  fail "openssl does not verify the signed tree head"
cmp -s "$tmp/pub.pem" "$tmp/node/keys/trace-log.pub.pem" || fail "log_public_key is not the log key"

"$node" trace verify --config "$conf" >"$tmp/out" || fail "verify of an intact log"
grep -q "5 entries" "$tmp/out" && grep -q "^OK$" "$tmp/out" || fail "verify output: $(cat "$tmp/out")"
# A second head after more entries: both recorded, both checked.
"$fixture" trace-append --config "$conf" 3
"$node" trace sth --config "$conf" >/dev/null
"$node" trace verify --config "$conf" --json >"$tmp/v.json" || fail "verify after growth"
python3 -c "import json,sys; v=json.load(open(sys.argv[1])); assert v['ok'] and v['entries']==8 \
  and v['heads_checked']==2, v" "$tmp/v.json"
"$node" trace verify --config "$conf" --sth "$tmp/sth.json" >/dev/null || fail "verify --sth"
for copy in a b c; do cp -r "$tmp/node" "$tmp/node-$copy"; done

# (a) entry 2 edited, its stored leaf hash left alone.
db=$tmp/node-a/data/carnet.db
sqlite3 "$db" "UPDATE trace_leaves SET entry = CAST(REPLACE(CAST(entry AS TEXT), 'req-2', \
  'req-9') AS BLOB) WHERE idx = 2"
[ "$(rc "$node" trace verify --config "$tmp/node-a/node.conf")" = 1 ] || fail "(a) exit"
grep -q "FAILED" "$tmp/out" && grep -q "leaf 2 does not match" "$tmp/out" "$tmp/err" ||
  fail "(a) message: $(cat "$tmp/out" "$tmp/err")"

# (b) entry 6 edited and its leaf hash recomputed: only the head of size 8 can tell.
db=$tmp/node-b/data/carnet.db
hex=$(sqlite3 "$db" "SELECT hex(entry) FROM trace_leaves WHERE idx = 6")
new=$(python3 -c "import sys; print(bytes.fromhex(sys.argv[1]).replace(b'req-6', b'req-0').hex())" "$hex")
leaf=$(python3 -c "import hashlib,sys; print(hashlib.sha256(b'\0'+bytes.fromhex(sys.argv[1])).hexdigest())" "$new")
sqlite3 "$db" "UPDATE trace_leaves SET entry = X'$new', leaf_hash = X'$leaf' WHERE idx = 6"
[ "$(rc "$node" trace verify --config "$tmp/node-b/node.conf")" = 1 ] || fail "(b) exit"
grep -q "index in \[5, 8)" "$tmp/out" || fail "(b) message: $(cat "$tmp/out" "$tmp/err")"
"$node" trace verify --config "$tmp/node-b/node.conf" --sth "$tmp/sth.json" >/dev/null ||
  fail "(b) the head of size 5 still holds"

# (c) the last entry deleted.
sqlite3 "$tmp/node-c/data/carnet.db" "DELETE FROM trace_leaves WHERE idx = 7"
[ "$(rc "$node" trace verify --config "$tmp/node-c/node.conf")" = 1 ] || fail "(c) exit"
grep -q "entries from index 7 were removed" "$tmp/out" || fail "(c) message: $(cat "$tmp/out")"
echo "operator trace CLI: OK"
