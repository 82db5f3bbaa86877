#!/usr/bin/env python3
"""End-to-end: a terminal enrolled from an OpenSSL CSR opens a dossier, deposits, lists and reads
a document through curl over mutual TLS; replies decoded by carnet-reqgen; a replay gets the
first answer; openssl s_client sees TLS 1.2 with an ECDHE-ECDSA AEAD suite and a client
without a certificate is refused; the trace log verifies.
usage: flow_test.py carnet-node carnet-crypto carnet-reqgen"""
import hashlib
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import Node, check, main, run  # noqa: E402

GP = ("--professional", "general-practitioner")


def tls_checks(node):
    crt, key = node.terminals["TERM-A"]
    base = ["openssl", "s_client", "-connect", "127.0.0.1:%d" % node.port, "-servername",
            "localhost", "-CAfile", node.root_ca(), "-brief"]
    p = subprocess.run(base + ["-cert", crt, "-key", key, "-verify_return_error"],
                       input="", capture_output=True, text=True, timeout=30)
    out = p.stdout + p.stderr
    check(p.returncode == 0, "s_client with the enrolled certificate: " + out)
    check("Protocol version: TLSv1.2" in out, "protocol: " + out)
    check(any("Ciphersuite: ECDHE-ECDSA-" + s in out for s in
              ("AES128-GCM-SHA256", "AES256-GCM-SHA384", "CHACHA20-POLY1305")), "suite: " + out)
    check("Verification: OK" in out, "server chain: " + out)
    p = subprocess.run(base, input="", capture_output=True, text=True, timeout=30)
    check(p.returncode != 0, "s_client without a client certificate got through")
    check("alert" in (p.stdout + p.stderr), "no TLS alert: " + p.stdout + p.stderr)
    p = subprocess.run(["curl", "-sS", "--max-time", "10", "--cacert", node.root_ca(),
                        "https://localhost:%d/v1/requests" % node.port, "--data-binary", "x"],
                       capture_output=True, text=True, timeout=30)
    check(p.returncode != 0, "curl without a client certificate got an answer: " + p.stdout)


def test(tools):
    node = Node(tools)
    try:
        node.enroll("TERM-A")
        portal_crt, portal_key = node.enroll("PORTAL-A", portal=True)
        node.start()
        tls_checks(node)
        t = ("--terminal", "TERM-A")
        gp = node.professional("general-practitioner")

        req, _ = node.reqgen("open", *GP, *t)
        status, r = node.post(req, "TERM-A")
        check(status == 200 and "ack" in r, "open: %d %s" % (status, r))

        req, _ = node.reqgen("record_care_team", *GP, *t, "--target", gp["idnat"])
        status, r = node.post(req, "TERM-A")
        check(status == 200 and "ack" in r, "record_care_team: %d %s" % (status, r))

        content = os.path.join(node.tmp, "report.pdf")
        with open(content, "wb") as f:
            f.write(b"%PDF-1.4 compte rendu de consultation\n" * 40)
        dep, rid = node.reqgen("deposit", *GP, *t, "--doc-id", "doc-e2e-1", "--file", content)
        status, r = node.post(dep, "TERM-A")
        check(status == 200, "deposit: %d %s" % (status, r))
        check(r["rid"] == rid and r["ack"].get("document_id") == "doc-e2e-1" and
              r["ack"].get("version") == 1, "deposit ack: %s" % r)
        first = open(dep + ".resp", "rb").read()

        # The same request again: the stored first answer, byte for byte, and one document.
        status, r = node.post(dep, "TERM-A")
        check(status == 200 and open(dep + ".resp", "rb").read() == first,
              "replay did not return the first answer: %s" % r)
        check(node.sql("SELECT COUNT(*) FROM documents WHERE id = ?", ("doc-e2e-1",))[0][0] == 1,
              "the document is not stored exactly once")

        req, _ = node.reqgen("list", *GP, *t)
        status, r = node.post(req, "TERM-A")
        check(status == 200 and [d["metadata"]["id"] for d in r["documents"]] == ["doc-e2e-1"],
              "list: %d %s" % (status, r))

        req, _ = node.reqgen("read", *GP, *t, "--doc-id", "doc-e2e-1")
        status, r = node.post(req, "TERM-A")
        check(status == 200, "read: %d %s" % (status, r))
        data = open(content, "rb").read()
        check(bytes.fromhex(r["document"]["content_hex"]) == data, "read content differs")
        check(r["document"]["info"]["sha256"] == hashlib.sha256(data).hexdigest(), "read hash")
        check(r["document"]["info"]["author"] == gp["idnat"], "read author")

        # The patient, through the enrolled portal (device-signed ES256), reads the traces.
        req, _ = node.reqgen("traces", "--portal", "--signer-key", portal_key, "--signer-cert",
                             portal_crt, "--terminal", "PORTAL-A")
        status, r = node.post(req, "PORTAL-A")
        check(status == 200, "patient traces: %d %s" % (status, r))
        check(any(e["action"] == "deposit" and e["actor"] == gp["idnat"] and e["allowed"]
                  for e in r["traces"]), "the patient does not see the deposit: %s" % r)

        export = node.trace_export()
        for action in ("open", "deposit", "read"):
            check(action in export, "trace export lacks %s:\n%s" % (action, export))
        node.stop()
        node.trace_verify()

        # The notifications the policy asked for: the GP's first access and the new document,
        # pending until the operator marks them delivered (once).
        nots = json.loads(run([node.t.node, "notifications", "list", "--config", node.conf,
                               "--pending", "--json"]).stdout)
        kinds = sorted(n["kind"] for n in nots)
        check("new_document" in kinds and "first_access" in kinds, "notifications: %s" % nots)
        check(all(n["ins"] and n["delivered_at"] is None for n in nots), "pending: %s" % nots)
        first = nots[0]["id"]
        run([node.t.node, "notifications", "deliver", "--config", node.conf, "--id", str(first)])
        again = run([node.t.node, "notifications", "deliver", "--config", node.conf, "--id",
                     str(first)], ok=(1,))
        check("already delivered" in again.stderr, "second delivery: %s" % again.stderr)
        left = json.loads(run([node.t.node, "notifications", "list", "--config", node.conf,
                               "--pending", "--json"]).stdout)
        check(len(left) == len(nots) - 1 and all(n["id"] != first for n in left),
              "after delivery: %s" % left)
    finally:
        node.close()


if __name__ == "__main__":
    main(test, sys.argv)
