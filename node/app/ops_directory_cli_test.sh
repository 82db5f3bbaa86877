#!/bin/bash
# `carnet-node import-directory` from the outside: a good extract replaces the node's copy; a
# bad one (bad Luhn key on line 3, then a truncated line) fails with exit 1 naming the line
# and leaves the node's copy byte for byte as it was; usage errors exit 2.
# usage: ops_directory_cli_test.sh carnet-node carnet-crypto node_operator_fixture
set -eu
node=$1
crypto=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
rc() { set +e; "$@" >"$tmp/out" 2>"$tmp/err"; echo $? >"$tmp/rc"; set -e; cat "$tmp/rc"; }

"$node" import-directory --help | grep -q "EXTRACT" || fail "--help"
"$crypto" pki test-hierarchy "$tmp/pki" --seed ops-directory >/dev/null
"$node" init "$tmp/node" --from-test-pki "$tmp/pki" >/dev/null
conf=$tmp/node/node.conf
copy=$tmp/node/data/directory.tsv

# Valid RPPS numbers (Luhn over the 11 digits), computed here rather than copied.
python3 - "$tmp" <<'PY'
import sys
def luhn_ok(s):
    total = 0
    for i, c in enumerate(reversed(s)):
        d = int(c)
        if i % 2 == 1:
            d *= 2
            if d > 9: d -= 9
        total += d
    return total % 10 == 0
def rpps(prefix):
    for k in range(10):
        if luhn_ok(prefix + str(k)): return prefix + str(k)
header = ("Type d'identifiant PP|Identifiant PP|Identification nationale PP|Nom d'exercice|"
          "Prénom d'exercice|Code profession|Code savoir-faire|Statut")
a, b, c = rpps("1000000001"), rpps("1000000002"), rpps("1000000003")
good = [header, f"8|{a}|8{a}|DUBOIS|CLAIRE|10|SM54|active",
        f"8|{b}|8{b}|MARTIN|PAUL|21||active", f"8|{c}|8{c}|PETIT|JEANNE|60||inactive"]
open(sys.argv[1] + "/good.tsv", "w").write("\n".join(good) + "\n")
bad_b = b[:-1] + str((int(b[-1]) + 1) % 10)  # wrong Luhn key
bad = [header, good[1], f"8|{bad_b}|8{bad_b}|MARTIN|PAUL|21||active", good[3]]
open(sys.argv[1] + "/bad.tsv", "w").write("\n".join(bad) + "\n")
open(sys.argv[1] + "/truncated.tsv", "w").write("\n".join(good[:2] + ["8|" + c + "|8"]) + "\n")
PY

[ "$(rc "$node" import-directory "$tmp/good.tsv")" = 2 ] || fail "no --config: exit"
[ "$(rc "$node" import-directory --config "$conf")" = 2 ] || fail "no EXTRACT: exit"
[ "$(rc "$node" import-directory --config "$conf" a b)" = 2 ] || fail "two EXTRACTs: exit"

"$node" import-directory --config "$conf" "$tmp/good.tsv" >"$tmp/out"
grep -q "imported 3 professionals" "$tmp/out" || fail "count: $(cat "$tmp/out")"
cmp -s "$tmp/good.tsv" "$copy" || fail "node copy differs from the imported extract"
before=$(sha256sum <"$copy")

[ "$(rc "$node" import-directory --config "$conf" "$tmp/bad.tsv")" = 1 ] || fail "bad: exit"
grep -q "line 3" "$tmp/err" || fail "bad: line number: $(cat "$tmp/err")"
grep -q "was not changed" "$tmp/err" || fail "bad: says the copy is untouched"
[ "$before" = "$(sha256sum <"$copy")" ] || fail "bad extract changed the node copy"

[ "$(rc "$node" import-directory --config "$conf" "$tmp/truncated.tsv")" = 1 ] ||
  fail "truncated: exit"
grep -q "line 3" "$tmp/err" || fail "truncated: line number: $(cat "$tmp/err")"
[ "$before" = "$(sha256sum <"$copy")" ] || fail "truncated extract changed the node copy"
[ "$(rc "$node" import-directory --config "$conf" "$tmp/missing.tsv")" = 1 ] || fail "missing"
[ "$before" = "$(sha256sum <"$copy")" ] || fail "missing extract changed the node copy"
ls "$tmp/node/data" | grep -v -q -E '^(directory.tsv)$' && fail "temporary files left behind"
echo "operator directory CLI: OK"
