"""Shared glue of the carnet-node end-to-end tests (README.md in this folder).

A Node is one real `carnet-node` in a temporary folder: node directory made by `carnet-node
init --from-test-pki` from `carnet-crypto pki test-hierarchy`, the RPPS directory imported with
`carnet-node import-directory`, terminals enrolled from OpenSSL P-256 CSRs, `serve` on loopback
port 0. Requests come from `carnet-reqgen` and go out with curl over mutual TLS. Every process
started here is stopped by Node.close().
"""
import json
import os
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

SEED = "node-e2e"
COSE_TYPE = 'Content-Type: application/cose; cose-type="cose-sign1"'


class Fail(Exception):
    pass


def check(cond, what):
    if not cond:
        raise Fail(what)


def run(cmd, ok=(0,), **kw):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)
    if p.returncode not in ok:
        raise Fail("%s: exit %d\n%s%s" % (" ".join(map(str, cmd)), p.returncode, p.stdout,
                                           p.stderr))
    return p


class Tools:
    def __init__(self, argv):
        # usage: test.py CARNET_NODE CARNET_CRYPTO CARNET_REQGEN
        if len(argv) < 4:
            sys.exit("usage: %s carnet-node carnet-crypto carnet-reqgen" % argv[0])
        self.node, self.crypto, self.reqgen = argv[1:4]


class Node:
    def __init__(self, tools, limits=None):
        self.t = tools
        self.tmp = tempfile.mkdtemp(prefix="carnet-node-e2e.")
        self.pki = os.path.join(self.tmp, "pki")
        self.dir = os.path.join(self.tmp, "node")
        self.conf = os.path.join(self.dir, "node.conf")
        self.proc = None
        self.port = None
        self.output = []
        self.terminals = {}
        run([tools.crypto, "pki", "test-hierarchy", self.pki, "--seed", SEED])
        with open(os.path.join(self.pki, "index.json")) as f:
            self.index = json.load(f)
        run([tools.node, "init", self.dir, "--from-test-pki", self.pki])
        self._configure(limits or {})
        self._import_directory()

    # ---- setup ----
    def _configure(self, limits):
        """Loopback port 0 for both listeners; `limits` overrides [limits] keys."""
        wanted = {("listen", "address"): "127.0.0.1:0", ("listen", "admin_address"): "127.0.0.1:0"}
        for k, v in limits.items():
            wanted[("limits", k)] = v
        out, section, seen = [], None, set()
        with open(self.conf) as f:
            lines = f.read().splitlines()
        for line in lines:
            m = re.match(r"^\[(\w+)\]$", line)
            if m:
                section = m.group(1)
            m = re.match(r"^#?\s*(\w+)\s*=", line)
            if m and (section, m.group(1)) in wanted and (section, m.group(1)) not in seen:
                line = "%s = %s" % (m.group(1), wanted[(section, m.group(1))])
                seen.add((section, m.group(1)))
            out.append(line)
        check(seen == set(wanted), "node.conf lacks %s" % (set(wanted) - seen))
        with open(self.conf, "w") as f:
            f.write("\n".join(out) + "\n")

    def _import_directory(self):
        rows = ["Type d'identifiant PP|Identifiant PP|Identification nationale PP|"
                "Nom d'exercice|Prénom d'exercice|Code profession|Code savoir-faire|Statut"]
        for p in self.index["professionals"]:
            rows.append("|".join(["8", p["rpps"], p["idnat"], p["surname"], p["given_name"],
                                  p["profession"], p["specialty"] or "", "active"]))
        path = os.path.join(self.tmp, "rpps.txt")
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(rows) + "\n")
        run([self.t.node, "import-directory", "--config", self.conf, path])

    def enroll(self, ident, portal=False):
        """An OpenSSL P-256 key and CSR, enrolled; returns (cert, key) paths."""
        key = os.path.join(self.tmp, ident + ".key.pem")
        csr = os.path.join(self.tmp, ident + ".csr.pem")
        crt = os.path.join(self.tmp, ident + ".crt.pem")
        run(["openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
             "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=" + ident])
        cmd = [self.t.node, "enroll-terminal", "--config", self.conf, "--csr", csr, "--id", ident]
        if portal:
            cmd.append("--portal")
        p = run(cmd)
        with open(crt, "w") as f:
            f.write(p.stdout)
        check("BEGIN CERTIFICATE" in p.stdout, "enroll-terminal printed no certificate")
        self.terminals[ident] = (crt, key)
        return crt, key

    def revoke(self, ident):
        run([self.t.node, "revoke-terminal", "--config", self.conf, "--id", ident])

    # ---- serve ----
    def start(self):
        self.output = []
        self.proc = subprocess.Popen([self.t.node, "serve", "--config", self.conf],
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        got = threading.Event()

        def pump(stream):
            for line in stream:
                self.output.append(line)
                m = re.search(r"listening on (\S+):(\d+)", line)
                if m and not got.is_set():
                    self.port = int(m.group(2))
                    got.set()
            got.set()

        threading.Thread(target=pump, args=(self.proc.stdout,), daemon=True).start()
        got.wait(60)
        check(self.port is not None and self.proc.poll() is None,
              "serve did not say 'listening on HOST:PORT':\n" + "".join(self.output))
        return self.port

    def stop(self):
        """SIGTERM: serve drains and must exit 0 (under ASan, also without a leak report)."""
        proc, self.proc, self.port = self.proc, None, None
        if proc is None:
            return
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
                raise Fail("serve did not exit within 30 s of SIGTERM")
        time.sleep(0.2)  # let the output pump read the last lines
        check(proc.returncode == 0, "serve exited with %d:\n%s" % (proc.returncode,
                                                                   "".join(self.output[-40:])))

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.proc, self.port = None, None

    def close(self):
        try:
            self.stop()
        finally:
            self._cleanup()

    def _cleanup(self):
        if os.environ.get("CARNET_KEEP_TMP"):
            print("kept", self.tmp)
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    # ---- requests ----
    def root_ca(self):
        return os.path.join(self.pki, self.index["operator"]["root_cert"])

    def reqgen(self, action, *args, out=None):
        """Runs carnet-reqgen; returns (request file, request id hex)."""
        out = out or os.path.join(self.tmp, "req-%d.cose" % time.monotonic_ns())
        p = run([self.t.reqgen, action, "--pki", self.pki, "--out", out] + list(args))
        return out, p.stdout.strip()

    def post(self, body, terminal, url_path="/v1/requests", extra=()):
        """curl POST with the terminal's certificate; returns (HTTP status, decoded JSON or None)."""
        crt, key = self.terminals[terminal] if isinstance(terminal, str) else terminal
        resp = body + ".resp"
        p = subprocess.run(["curl", "-sS", "--max-time", "30", "--cert", crt, "--key", key,
                            "--cacert", self.root_ca(), "-H", COSE_TYPE, "--data-binary",
                            "@" + body, "-o", resp, "-w", "%{http_code}",
                            "https://localhost:%d%s" % (self.port, url_path)] + list(extra),
                           capture_output=True, text=True, timeout=60)
        check(p.returncode == 0, "curl failed: %s" % p.stderr)
        status = int(p.stdout)
        decoded = None
        if os.path.getsize(resp) > 0:
            d = run([self.t.reqgen, "decode-response", resp], ok=(0, 1))
            if d.returncode == 0:
                decoded = json.loads(d.stdout)
        return status, decoded

    def trace_export(self):
        return run([self.t.node, "trace", "export", "--config", self.conf]).stdout

    def trace_entries(self):
        return [json.loads(line) for line in self.trace_export().splitlines() if line.strip()]

    def find_trace(self, rid, rule=None):
        """The trace entries of request id `rid` (hex), with `rule` if given."""
        found = []
        for e in self.trace_entries():
            req = str(e.get("request", "")).lower()
            if req == rid.lower() and (rule is None or e.get("rule") == rule):
                found.append(e)
        return found

    def trace_verify(self):
        return run([self.t.node, "trace", "verify", "--config", self.conf])

    def database(self):
        m = re.search(r"^database\s*=\s*(\S+)", open(self.conf).read(), re.M)
        path = m.group(1) if m else "data/node.db"
        return path if os.path.isabs(path) else os.path.join(self.dir, path)

    def sql(self, query, params=()):
        """A read-only look at the store file (WAL readers see committed data only)."""
        db = sqlite3.connect("file:%s?mode=ro" % self.database(), uri=True, timeout=10)
        try:
            return db.execute(query, params).fetchall()
        finally:
            db.close()

    # ---- identities of the test PKI ----
    def professional(self, role):
        return next(p for p in self.index["professionals"] if p["role"] == role)

    def patient_ins(self, i=0):
        return self.index["vitale"]["patients"][i]["ins"]


def main(test, argv):
    """Runs test(tools) and prints OK, or the failure and the node's output."""
    tools = Tools(argv)
    try:
        test(tools)
    except Fail as e:
        print("FAIL:", e, file=sys.stderr)
        sys.exit(1)
    print("OK")
