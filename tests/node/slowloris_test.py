#!/usr/bin/env python3
"""End-to-end slow-loris: a client that completes the TLS handshake and then sends its request
headers one byte per second is cut by the server's request timeout ([limits] request_timeout,
set short here) before it finishes, and other clients are served while it trickles.
No assertion on time: the checks are "cut before the end" and "served while still open".
usage: slowloris_test.py carnet-node carnet-crypto carnet-reqgen"""
import os
import socket
import ssl
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e import Node, check, main  # noqa: E402

HEADERS = (b"POST /v1/requests HTTP/1.1\r\nHost: localhost\r\n"
           b"Content-Type: application/cose; cose-type=\"cose-sign1\"\r\n"
           b"Content-Length: 10\r\nX-Padding: " + b"p" * 60 + b"\r\n\r\n")


class SlowClient(threading.Thread):
    def __init__(self, node):
        super().__init__(daemon=True)
        crt, key = node.terminals["TERM-A"]
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.load_verify_locations(node.root_ca())
        ctx.load_cert_chain(crt, key)
        raw = socket.create_connection(("127.0.0.1", node.port), timeout=30)
        self.sock = ctx.wrap_socket(raw, server_hostname="localhost")
        self.sent = 0
        self.cut = threading.Event()
        self.reply = b""

    def run(self):
        try:
            for i in range(len(HEADERS)):
                self.sock.sendall(HEADERS[i:i + 1])
                self.sent += 1
                self.sock.settimeout(1.0)
                try:
                    data = self.sock.recv(4096)
                    self.reply += data
                    if not data:  # closed by the server
                        break
                except (socket.timeout, TimeoutError):
                    pass
        except (OSError, ssl.SSLError):
            pass
        finally:
            self.cut.set()
            self.sock.close()


def test(tools):
    node = Node(tools, limits={"request_timeout": "6s", "idle_timeout": "6s"})
    try:
        node.enroll("TERM-A")
        node.start()
        req, _ = node.reqgen("open", "--professional", "general-practitioner",
                             "--terminal", "TERM-A")
        status, r = node.post(req, "TERM-A")
        check(status == 200, "open: %d %s" % (status, r))
        slow = SlowClient(node)
        slow.start()
        while slow.sent < 2 and not slow.cut.is_set():
            time.sleep(0.1)
        # Others are served while the slow client holds its connection.
        for i in range(3):
            req, rid = node.reqgen("status", "--professional", "general-practitioner",
                                   "--terminal", "TERM-A")
            status, r = node.post(req, "TERM-A")
            check(status == 200 and r.get("rid") == rid, "status %d: %d %s" % (i, status, r))
        check(not slow.cut.is_set(), "the slow client was cut before the others were served "
              "(request_timeout too short for this machine?)")
        slow.join(len(HEADERS) + 30)
        check(slow.cut.is_set(), "slow client still connected")
        check(slow.sent < len(HEADERS),
              "the server waited for all %d header bytes sent one per second" % len(HEADERS))
        check(not slow.reply or slow.reply.startswith(b"HTTP/1.1 408"),
              "unexpected reply to the slow client: %r" % slow.reply[:100])
        print("slow client cut after %d of %d header bytes; reply: %r" %
              (slow.sent, len(HEADERS), slow.reply[:40]))
        check(node.proc.poll() is None, "serve exited")
        req, rid = node.reqgen("status", "--professional", "general-practitioner",
                               "--terminal", "TERM-A")
        status, r = node.post(req, "TERM-A")
        check(status == 200, "after the slow client: %d %s" % (status, r))
    finally:
        node.close()


if __name__ == "__main__":
    main(test, sys.argv)
