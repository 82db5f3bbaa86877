#!/usr/bin/env python3
"""End-to-end: with [terminals] crl set to the CRL that `revoke-terminal` writes (as its own
output asks), a revoked terminal is refused in the TLS handshake — node/authn README and
revoke-terminal both say so — while an enrolled one is still served.
usage: terminal_crl_test.py carnet-node carnet-crypto carnet-reqgen"""
import os
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import COSE_TYPE, Node, check, main, run  # noqa: E402


def test(tools):
    node = Node(tools)
    try:
        node.enroll("TERM-A")
        node.enroll("TERM-R")
        out = run([tools.node, "revoke-terminal", "--config", node.conf, "--id", "TERM-R"]).stdout
        m = re.search(r"CRL written to (\S+)", out)
        check(m, "revoke-terminal did not name its CRL: " + out)
        conf = open(node.conf).read()
        conf, n = re.subn(r"(?m)^#?\s*crl\s*=.*$", "crl = " + m.group(1), conf, count=1)
        check(n == 1, "node.conf has no [terminals] crl line")
        with open(node.conf, "w") as f:
            f.write(conf)
        node.start()
        body, rid = node.reqgen("status", "--professional", "general-practitioner",
                                "--terminal", "TERM-R")
        crt, key = node.terminals["TERM-R"]
        p = subprocess.run(["curl", "-sS", "--max-time", "10", "--cert", crt, "--key", key,
                            "--cacert", node.root_ca(), "-H", COSE_TYPE, "--data-binary",
                            "@" + body, "-o", os.devnull, "-w", "%{http_code}",
                            "https://localhost:%d/v1/requests" % node.port],
                           capture_output=True, text=True, timeout=30)
        check(p.returncode != 0, "the revoked terminal completed the TLS handshake and got "
              "HTTP %s (trace: %s)" % (p.stdout, [e.get("rule") for e in node.trace_entries()]))
        body, rid = node.reqgen("open", "--professional", "general-practitioner",
                                "--terminal", "TERM-A")
        status, r = node.post(body, "TERM-A")
        check(status == 200, "the enrolled terminal: %d %s" % (status, r))
    finally:
        node.close()


if __name__ == "__main__":
    main(test, sys.argv)
