#!/usr/bin/env python3
"""Answers of every size over plain HTTP and TLS, from the real HttpServer (tests/tools/http_probe_server).

A TLS record carries at most 16 KiB: a body that needs a second record once stalled after its head.
Each size (1 B, 16 KiB - 1, 16 KiB, 16 KiB + 1, 1 MiB; raw and gzipped) is fetched alone, several on
one kept-alive connection, and pipelined (all requests sent before any answer is read). Every read
has a 5 s deadline, so a stall fails here instead of at the server's 10 s write deadline.

env: PROBE_SERVER (the binary). Exit 0 when every fetch returned the whole body.
"""
import gzip
import os
import socket
import ssl
import subprocess
import sys
import tempfile
import time

SIZES = [1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 1024 * 1024]
DEADLINE = 5.0
failures = []


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


def make_certificate(folder):
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-keyout", f"{folder}/key.pem", "-out", f"{folder}/cert.pem"], check=True, capture_output=True)
    with open(f"{folder}/web.yml", "w") as config:
        config.write(f"tls_server_config:\n  cert_file: {folder}/cert.pem\n  key_file: {folder}/key.pem\n")
    return f"{folder}/web.yml"


def start(binary, folder, name, web_config=None):
    port_file = f"{folder}/{name}.port"
    process = subprocess.Popen([binary, port_file] + ([web_config] if web_config else []))
    for _ in range(100):
        if os.path.exists(port_file) and open(port_file).read().strip():
            return process, int(open(port_file).read())
        time.sleep(0.05)
    process.kill()
    sys.exit(f"{name} probe server did not start")


def connect(port, tls):
    raw = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
    if not tls:
        return raw
    context = ssl.create_default_context()
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
    return context.wrap_socket(raw)


class Reader:
    """Reads HTTP/1.1 responses (Content-Length bodies only, as this server sends) off one socket."""

    def __init__(self, sock):
        self.sock, self.buffer = sock, b""

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError("connection closed")
        self.buffer += chunk

    def response(self):
        while b"\r\n\r\n" not in self.buffer:
            self._fill()
        head, self.buffer = self.buffer.split(b"\r\n\r\n", 1)
        lines = head.decode("latin-1").split("\r\n")
        headers = {k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines[1:])}
        length = int(headers["content-length"])
        while len(self.buffer) < length:
            self._fill()
        body, self.buffer = self.buffer[:length], self.buffer[length:]
        return int(lines[0].split()[1]), headers, body


def request(size, gzipped):
    target = f"/bytes/{size}" + ("?gzip" if gzipped else "")
    encoding = "Accept-Encoding: gzip\r\n" if gzipped else ""
    return f"GET {target} HTTP/1.1\r\nHost: probe\r\n{encoding}\r\n".encode()


def body_ok(size, gzipped, status, headers, body):
    if status != 200:
        return False
    if gzipped:
        return headers.get("content-encoding") == "gzip" and len(gzip.decompress(body)) == size
    return len(body) == size and body[:1] == b"x"


def fetch_alone(port, tls, size, gzipped):
    with connect(port, tls) as sock:
        sock.sendall(request(size, gzipped))
        status, headers, body = Reader(sock).response()
    return body_ok(size, gzipped, status, headers, body), len(body)


def fetch_kept_alive(port, tls, gzipped):
    with connect(port, tls) as sock:
        reader = Reader(sock)
        for size in SIZES:
            sock.sendall(request(size, gzipped))
            if not body_ok(size, gzipped, *reader.response()):
                return False
    return True


def fetch_pipelined(port, tls, gzipped):
    with connect(port, tls) as sock:
        sock.sendall(b"".join(request(size, gzipped) for size in SIZES))
        reader = Reader(sock)
        return all(body_ok(size, gzipped, *reader.response()) for size in SIZES)


def run(port, tls):
    scheme = "https" if tls else "http"
    for gzipped in (False, True):
        kind = "gzip" if gzipped else "raw"
        for size in SIZES:
            try:
                ok, got = fetch_alone(port, tls, size, gzipped)
                check(ok, f"{scheme} {kind} {size} B alone ({got} B on the wire)")
            except (OSError, EOFError, ValueError, KeyError) as error:
                check(False, f"{scheme} {kind} {size} B alone: {error!r}")
        for name, fetch in (("kept alive", fetch_kept_alive), ("pipelined", fetch_pipelined)):
            try:
                check(fetch(port, tls, gzipped), f"{scheme} {kind} {len(SIZES)} sizes {name} on one connection")
            except (OSError, EOFError, ValueError, KeyError) as error:
                check(False, f"{scheme} {kind} {name}: {error!r}")


def main():
    binary = os.environ.get("PROBE_SERVER") or sys.exit("set PROBE_SERVER")
    with tempfile.TemporaryDirectory() as folder:
        web_config = make_certificate(folder)
        servers = [start(binary, folder, "plain"), start(binary, folder, "tls", web_config)]
        try:
            run(servers[0][1], tls=False)
            run(servers[1][1], tls=True)
        finally:
            for process, _ in servers:
                process.terminate()
                process.wait(timeout=10)
    print(f"{len(failures)} failed" if failures else "every answer arrived whole")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
