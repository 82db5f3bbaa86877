#!/usr/bin/env python3
"""End-to-end crash: carnet-reqgen load POSTs deposits over mutual TLS and logs each request id
(fsync'd) after its 2xx answer; carnet-node is killed with SIGKILL mid-run and restarted.
Every acknowledged request must be in the store (its document, once), a re-POST of it must get
the stored first answer byte for byte, and `carnet-node trace verify` must pass.
usage: kill9_test.py carnet-node carnet-crypto carnet-reqgen"""
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import Node, check, main  # noqa: E402

COUNT = 120
KILL_AFTER_ACKS = 25
REPOST_SAMPLE = 12


def acked(path):
    if not os.path.exists(path):
        return []
    with open(path) as f:
        return [line.split() for line in f if line.strip()]


def test(tools):
    node = Node(tools)
    load = None
    try:
        crt, key = node.enroll("TERM-A")
        node.start()
        req, _ = node.reqgen("open", "--professional", "general-practitioner",
                             "--terminal", "TERM-A")
        status, r = node.post(req, "TERM-A")
        check(status == 200, "open: %d %s" % (status, r))
        ack_log = os.path.join(node.tmp, "acks.log")
        keep = os.path.join(node.tmp, "acked")
        os.mkdir(keep)
        load = subprocess.Popen(
            [tools.reqgen, "load", "--connect", "localhost:%d" % node.port, "--cert", crt,
             "--key", key, "--ca", node.root_ca(), "--concurrency", "8", "--count", str(COUNT),
             "--ack-log", ack_log, "--keep-dir", keep, "--action", "deposit", "--pki", node.pki,
             "--professional", "general-practitioner", "--terminal", "TERM-A"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        while len(acked(ack_log)) < KILL_AFTER_ACKS and load.poll() is None:
            time.sleep(0.05)
        if load.poll() is not None:
            check(False, "load ended before the kill: %s" % (load.communicate(),))
        at_kill = len(acked(ack_log))
        node.kill9()
        out, err = load.communicate(timeout=120)
        load = None
        acks = acked(ack_log)
        print(out.strip(), "| acked when the kill was sent: %d" % at_kill)
        check(len(acks) < COUNT, "the kill came after the last request")

        node.start()
        stored = {row[0] for row in node.sql("SELECT id FROM documents")}
        lost = [doc for _, doc in acks if doc not in stored]
        check(not lost, "%d acknowledged deposits lost, e.g. %s" % (len(lost), lost[:3]))
        recorded = {row[0] for row in node.sql("SELECT request_id FROM requests")}
        missing = [rid for rid, _ in acks if rid not in recorded]
        check(not missing, "%d acknowledged request ids not recorded" % len(missing))
        step = max(1, len(acks) // REPOST_SAMPLE)
        for rid, doc in acks[::step]:
            body = os.path.join(keep, rid + ".cose")
            first = open(os.path.join(keep, rid + ".resp"), "rb").read()
            status, r = node.post(body, "TERM-A")
            check(status == 200 and open(body + ".resp", "rb").read() == first,
                  "re-POST of %s: %d %s is not the first answer" % (rid, status, r))
        dup = node.sql("SELECT id, COUNT(*) FROM documents GROUP BY id, version HAVING COUNT(*) > 1")
        check(not dup, "documents stored twice: %s" % dup[:3])
        node.stop()
        node.trace_verify()
    finally:
        if load is not None:
            load.kill()
            load.wait()
        node.close()


if __name__ == "__main__":
    main(test, sys.argv)
