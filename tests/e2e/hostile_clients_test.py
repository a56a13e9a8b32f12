#!/usr/bin/env python3
"""Clients that try to keep Prometheus out, against the real exporter; the scraper must still get in.

Each attack runs while a scraper opens a new connection once a second and must be served within
5 s, as Prometheus would:
  pipeliners   16 clients on --web.max-connections=16 send 300 pipelined requests and never read
               (reconnecting when closed); their answers must not hold the places for good
  holders      16 keep-alive clients on a cap of 16 that reconnect at once when evicted; the
               scraper's new connection must get its moment to send a request
  descriptors  ulimit -n 256 and 2000 idle connections: the cap follows the limit, no scrape
               waits in the listen backlog
  drain        after a 400 a client keeps sending: closed after a total second, not held for ever
  framing      Transfer-Encoding not ending in chunked and HTTP/1.1 without Host: 400 and a close

env: EXPORTER, FIXTURES. Exit 0 when every scrape was served and every check held.
"""
import os
import re
import select
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


class Exporter:
    def __init__(self, folder, name, flags, nofile=None, tree="x86-vm"):
        fixtures = os.environ["FIXTURES"]
        command = [os.environ["EXPORTER"], "--web.listen-address=127.0.0.1:0", "--no-collector.docker",
                   f"--path.procfs={fixtures}/{tree}/proc", f"--path.sysfs={fixtures}/{tree}/sys"] + flags
        if nofile:
            command = ["prlimit", f"--nofile={nofile}:{nofile}", "--"] + command
        self.log = f"{folder}/{name}.log"
        self.process = subprocess.Popen(command, stderr=open(self.log, "w"))
        for _ in range(200):
            found = re.search(r"port=(\d+)", open(self.log).read())
            if found:
                self.port = int(found.group(1))
                return
            time.sleep(0.05)
        self.stop()
        sys.exit(f"{name}: the exporter did not start: {open(self.log).read()}")

    def scrape(self, timeout=5.0):
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/metrics", timeout=timeout) as answer:
            return answer.read().decode()

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=15)


def unhurried_scrape(port, pause=0.1, timeout=5.0):
    """A scrape that sends its request 100 ms after connecting, as over a slow link or from a busy
    host: the time a new connection needs its place for. True when the whole answer came."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as sock:
        time.sleep(pause)
        sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: prometheus\r\nConnection: close\r\n\r\n")
        received = b""
        while True:
            data = sock.recv(65536)
            if not data:
                break
            received += data
    return received.startswith(b"HTTP/1.1 200") and b"silicon_scrape_collector_success" in received


def scrapes_during(exporter, seconds):
    """Scrapes once a second on a new connection; returns (served, tried, slowest seconds)."""
    served, tried, slowest = 0, 0, 0.0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        started = time.monotonic()
        tried += 1
        try:
            if unhurried_scrape(exporter.port):
                served += 1
        except OSError:
            pass
        took = time.monotonic() - started
        slowest = max(slowest, took)
        time.sleep(max(0.0, 1.0 - took))
    return served, tried, slowest


def counter(text, reason):
    found = re.search(r'^silicon_http_connections_closed_total\{reason="%s"\} (\S+)' % reason, text, re.M)
    return float(found.group(1)) if found else -1


class Attack:
    """Keeps `count` connections of one kind open, each replaced the moment the server closes it."""

    def __init__(self, port, count, opener):
        self.port, self.opener = port, opener
        self.stopping = threading.Event()
        self.opened = 0
        self.threads = [threading.Thread(target=self.hold, daemon=True) for _ in range(count)]

    def start(self):
        for thread in self.threads:
            thread.start()

    def hold(self):
        poller = select.poll()
        while not self.stopping.is_set():
            with socket.socket() as sock:
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                self.opened += 1
                try:
                    sock.connect(("127.0.0.1", self.port))
                    self.opener(sock)
                except OSError:
                    continue
                poller.register(sock, select.POLLRDHUP)
                while not self.stopping.is_set() and not poller.poll(20):
                    pass
                poller.unregister(sock)

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=10)


def pipeline_and_never_read(sock):
    sock.sendall(b"GET /metrics HTTP/1.1\r\nHost: attacker\r\n\r\n" * 300)


def hold_after_one_request(sock):
    sock.sendall(b"GET /-/healthy HTTP/1.1\r\nHost: holder\r\n\r\n")
    sock.settimeout(2)
    sock.recv(4096)
    sock.settimeout(None)


def attack(folder, name, opener, seconds=15):
    # intel-hybrid's /metrics is ~25 KB: 300 of them (7 MB) overflow the kernel's socket buffers
    # (tcp_wmem's 4 MB at most), so writes to a client that never reads really stall.
    exporter = Exporter(folder, name, ["--web.max-connections=16"], tree="intel-hybrid")
    attackers = Attack(exporter.port, 16, opener)
    attackers.start()
    time.sleep(1)
    try:
        try:
            served, tried, slowest = scrapes_during(exporter, seconds)
            check(served == tried, f"{name}: {served} of {tried} scrapes served on a cap of 16 "
                                   f"(slowest {slowest:.2f} s, {attackers.opened} attacker connections)")
        finally:
            attackers.stop()
        return exporter.scrape()
    finally:
        exporter.stop()  # also when a check above raised: no exporter outlives the test


def descriptors(folder):
    exporter = Exporter(folder, "descriptors", [], nofile=256)
    idle = []
    try:
        for _ in range(2000):
            try:
                idle.append(socket.create_connection(("127.0.0.1", exporter.port), timeout=2))
            except OSError:
                break
        time.sleep(0.5)
        served, tried, slowest = scrapes_during(exporter, 5)
        check(served == tried and slowest < 2,
              f"descriptors: ulimit -n 256, {len(idle)} idle connections: {served} of {tried} scrapes, slowest {slowest:.2f} s")
        check("lowered_to=128" in open(exporter.log).read(), "descriptors: the cap follows the limit and says so")
    finally:
        for sock in idle:
            sock.close()
        exporter.stop()


def keep_sending_after_a_refusal(port, chunk, pause):
    """Sends a bad request, then `chunk` every `pause` s until the server closes (10 s at most):
    (seconds until closed, bytes sent after the request)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        started, sent = time.monotonic(), 0
        while time.monotonic() - started < 10:
            try:
                sock.sendall(chunk)
                sent += len(chunk)
            except OSError:
                break
            time.sleep(pause)
        return time.monotonic() - started, sent


def drain(folder):
    exporter = Exporter(folder, "drain", [])
    try:
        took, sent = keep_sending_after_a_refusal(exporter.port, b"x" * 4096, 0.001)
        check(took < 3, f"drain: a client that keeps sending after a 400 is closed after {took:.2f} s ({sent} B sent)")
        # A trickle (100 B every 50 ms) stays under the byte budget: the total second ends it.
        took, sent = keep_sending_after_a_refusal(exporter.port, b"y" * 100, 0.05)
        check(took < 3, f"drain: a client that trickles after a 400 is closed after {took:.2f} s ({sent} B sent)")
        check("silicon_cpu_seconds_total" in exporter.scrape(), "drain: still serving")
    finally:
        exporter.stop()


def exchange(port, raw):
    """Sends raw bytes, reads until the server closes (or 3 s): what came back."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=3)
    sock.sendall(raw)
    received = b""
    try:
        while True:
            data = sock.recv(65536)
            if not data:
                break
            received += data
    except OSError:
        pass
    sock.close()
    return received.decode("latin-1")


def framing(folder):
    exporter = Exporter(folder, "framing", [])
    try:
        answer = exchange(exporter.port, b"POST /metrics HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n"
                                         b"GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n")
        statuses = re.findall(r"^HTTP/1.1 (\d+)", answer, re.M)
        check(statuses == ["400"], f"framing: Transfer-Encoding: gzip gets one 400 and a close (got {statuses})")
        answer = exchange(exporter.port, b"GET /metrics HTTP/1.1\r\nTransfer-Encoding: chunked, gzip\r\nHost: x\r\n\r\n")
        check(re.findall(r"^HTTP/1.1 (\d+)", answer, re.M) == ["400"], "framing: chunked, then gzip: 400")
        answer = exchange(exporter.port, b"GET /-/healthy HTTP/1.1\r\nConnection: close\r\n\r\n")
        check(answer.startswith("HTTP/1.1 400"), f"framing: HTTP/1.1 without Host: {answer[:12]!r}")
        answer = exchange(exporter.port, b"GET /-/healthy HTTP/1.0\r\n\r\n")
        check(answer.startswith("HTTP/1.1 200"), f"framing: HTTP/1.0 without Host is served: {answer[:12]!r}")
    finally:
        exporter.stop()


def main():
    with tempfile.TemporaryDirectory() as folder:
        text = attack(folder, "pipeliners", pipeline_and_never_read)
        check(counter(text, "write_timeout") + counter(text, "evicted") + counter(text, "done") > 0,
              "pipeliners: their connections were closed (write_timeout/evicted/done)")
        attack(folder, "holders", hold_after_one_request)
        descriptors(folder)
        drain(folder)
        framing(folder)
    print(f"{len(failures)} failed" if failures else "the scraper got in every time")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
