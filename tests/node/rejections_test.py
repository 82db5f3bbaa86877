#!/usr/bin/env python3
"""End-to-end rejections: each bad request gets its HTTP status and error code, leaves a trace
entry naming the rule (carnet-node trace export), and stores nothing (the store file read with
sqlite3, and a list request at the end).
usage: rejections_test.py carnet-node carnet-crypto carnet-reqgen"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import Node, check, main  # noqa: E402

GP = ["--professional", "general-practitioner"]


def documents(node):
    return {row[0] for row in node.sql("SELECT id FROM documents")}


def expect(node, name, body, rid, terminal, status, code, rule=None):
    """rid None: the request id cannot be read back, so the entries with `rule` must grow."""
    count = len([e for e in node.trace_entries() if e.get("rule") == rule])
    got, r = node.post(body, terminal)
    check(got == status, "%s: HTTP %d, want %d (%s)" % (name, got, status, r))
    check(r is not None and r.get("error", {}).get("code") == code,
          "%s: error %s, want %s" % (name, r, code))
    if rid:
        entries = node.find_trace(rid, rule)
    else:
        entries = [e for e in node.trace_entries() if e.get("rule") == rule]
        check(len(entries) > count, "%s: no new trace entry with rule %s" % (name, rule))
        entries = entries[count:]
    check(entries, "%s: no trace entry (rule %s) for request %s" % (name, rule, rid))
    check(all(e.get("decision") != "allow" for e in entries), "%s: traced as allowed" % name)
    if r["error"].get("trace_id") is not None:
        check(any(e.get("index") == r["error"]["trace_id"] for e in entries),
              "%s: trace_id %s is not the entry of this request" % (name, r["error"]["trace_id"]))
    return r


def test(tools):
    node = Node(tools)
    try:
        node.enroll("TERM-A")
        node.enroll("TERM-R")
        node.revoke("TERM-R")
        node.start()
        ta = ["--terminal", "TERM-A"]
        req, _ = node.reqgen("open", *GP, *ta)
        status, r = node.post(req, "TERM-A")
        check(status == 200, "open: %d %s" % (status, r))
        before = documents(node)
        patients = node.sql("SELECT COUNT(*) FROM patients")[0][0]
        requests = {row[0] for row in node.sql("SELECT request_id FROM requests")}

        def dep(name, *extra, terminal="TERM-A", who=GP):
            return node.reqgen("deposit", *who, "--terminal", terminal, "--doc-id",
                               "rej-" + name, *extra)

        # A certificate of the terminal CA that was never enrolled (the test PKI's TERM-0001).
        op = node.index["operator"]
        term1 = next(t for t in op["terminals"] if t["id"] == "TERM-0001")
        unknown = (os.path.join(node.pki, term1["cert"]), os.path.join(node.pki, term1["key"]))
        body, rid = dep("unknown-terminal", terminal="TERM-0001")
        expect(node, "unknown terminal", body, rid, unknown, 401, "unauthenticated",
               "AUTHN_TERMINAL_NOT_ENROLLED")
        body, rid = dep("revoked-terminal", terminal="TERM-R")
        expect(node, "revoked terminal", body, rid, "TERM-R", 401, "unauthenticated",
               "AUTHN_TERMINAL_REVOKED")
        body, rid = dep("bad-signature", "--flip-signature-bit")
        expect(node, "bad signature", body, rid, "TERM-A", 401, "unauthenticated",
               "AUTHN_BAD_SIGNATURE")
        body, rid = dep("revoked-card", who=["--professional", "revoked-physician"])
        expect(node, "revoked card", body, rid, "TERM-A", 401, "unauthenticated",
               "AUTHN_SIGNER_UNTRUSTED")
        body, rid = dep("wrong-key-usage", "--key-usage", "aut")
        expect(node, "wrong key usage", body, rid, "TERM-A", 401, "unauthenticated",
               "AUTHN_KEY_USAGE_MISMATCH")
        body, rid = dep("stale", "--stale-ms", "3600000")
        expect(node, "stale request", body, rid, "TERM-A", 409, "conflict",
               "AUTHN_STALE_REQUEST")
        body, rid = dep("directory", "--profession", "21")
        expect(node, "directory mismatch", body, rid, "TERM-A", 401, "unauthenticated",
               "AUTHN_DIRECTORY_MISMATCH")
        body, rid = dep("corrupt-payload", "--corrupt-payload")
        expect(node, "malformed payload", body, None, "TERM-A", 400, "malformed",
               "AUTHN_MALFORMED_REQUEST")
        garbage = os.path.join(node.tmp, "garbage.cose")
        with open(garbage, "wb") as f:
            f.write(b"\xd2\x84\x40\xa0\x45hello\x40" + b"\xff" * 64)
        expect(node, "malformed CBOR", garbage, None, "TERM-A", 400, "malformed",
               "AUTHN_MALFORMED_REQUEST")
        body, rid = dep("oversized", "--oversize", str(9 * 1024 * 1024))
        expect(node, "oversized", body, None, "TERM-A", 413, "too_large", "AUTHN_TOO_LARGE")

        # Portal side: a terminal's device key speaking for a patient.
        crt, key = node.terminals["TERM-A"]
        body, rid = node.reqgen("traces", "--portal", "--signer-key", key, "--signer-cert", crt,
                                "--terminal", "TERM-A")
        expect(node, "terminal as portal", body, rid, "TERM-A", 401, "unauthenticated",
               "AUTHN_CLIENT_ROLE_MISMATCH")

        # Same request id, other content: 409, the first request's document only.
        body, rid = dep("replay-1")
        status, r = node.post(body, "TERM-A")
        check(status == 200, "replay-1: %d %s" % (status, r))
        body, _ = dep("replay-2", "--request-id", rid)
        got, r = node.post(body, "TERM-A")
        check(got == 409 and r["error"]["code"] == "conflict", "replay: %d %s" % (got, r))
        entries = node.find_trace(rid, "REQUEST_ID_REUSED")
        check(len(entries) == 1 and entries[0].get("decision") == "deny" and
              entries[0].get("index") == r["error"].get("trace_id"),
              "replay with other content not traced: %s" % entries)

        # Nothing stored by any rejection.
        check(documents(node) - before == {"rej-replay-1"},
              "documents stored: %s" % (documents(node) - before))
        check(node.sql("SELECT COUNT(*) FROM patients")[0][0] == patients, "patients changed")
        added = {row[0] for row in node.sql("SELECT request_id FROM requests")} - requests
        check(added == {rid}, "request records added: %s (want only %s)" % (added, rid))
        node.stop()
        node.trace_verify()
    finally:
        node.close()


if __name__ == "__main__":
    main(test, sys.argv)
