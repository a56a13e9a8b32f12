#!/usr/bin/env python3
"""The real binary's log lines, read as log tools read them: every field a key of its own.

Loki's `| logfmt` and `jq .collector` find only top-level keys; a field written into msg reaches
neither. The exporter runs on a fixture tree whose /proc/stat is garbage (the cpu collector fails)
behind basic auth; a client fails to log in with a user name and target made to break lines (quotes,
spaces, a newline, `level=` text, a byte that is not UTF-8); SIGTERM ends it. In logfmt and JSON,
at debug and at warn, every line must parse, strictly, and carry ts, level and msg, and the fields
(collector, err, address, port, user, target, signal) must come back as keys with the values sent.

env: EXPORTER, FIXTURES. Exit 0 when every check held.
"""
import base64
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

failures = []
LEVELS = {"debug", "info", "warn", "error"}
# A user name and target a client controls, made to break a line or forge a key (a request target
# cannot hold a space: the server answers 400 before any login).
USER = b'ev"il user\nlevel=error msg=x \xff'
TARGET = b'/metrics?q="a"&x=\xff&y=level=error'
# What a reader gets back: a byte that is not UTF-8 is written as the four characters \xNN.
USER_READ = 'ev"il user\nlevel=error msg=x \\xff'
TARGET_READ = '/metrics?q="a"&x=\\xff&y=level=error'


def check(ok, what):
    print(("ok    " if ok else "FAIL  ") + what, flush=True)
    if not ok:
        failures.append(what)


# One logfmt pair: a bare key, '=', then a value bare (no space, quote or '=') or double-quoted with
# JSON's escapes (what go-logfmt, and so Loki, reads back).
LOGFMT_PAIR = re.compile(r'([A-Za-z_][A-Za-z0-9_.]*)=("(?:[^"\\\x00-\x1f]|\\.)*"|[^\s"=]+)(?: |$)')


def parse_logfmt(line):
    """The keys of one logfmt line, or ValueError where any part of it is not key=value."""
    fields, at = {}, 0
    while at < len(line):
        match = LOGFMT_PAIR.match(line, at)
        if not match:
            raise ValueError(f"not logfmt at column {at}: {line[at:at + 40]!r}")
        key, value = match.groups()
        if key in fields:
            raise ValueError(f"key {key} twice")
        fields[key] = json.loads(value) if value.startswith('"') else value  # json.loads: strict escapes
        at = match.end()
    return fields


def parse(log_format, raw):
    """Every line of a log, parsed; a line that does not parse fails the check and is skipped."""
    records = []
    for number, line in enumerate(raw.splitlines(), 1):
        try:
            text = line.decode("utf-8")  # strict: a raw byte >= 0x80 that is not UTF-8 fails here
            record = json.loads(text) if log_format == "json" else parse_logfmt(text)
            if not isinstance(record, dict):
                raise ValueError("not an object")
            records.append(record)
        except ValueError as error:
            check(False, f"{log_format}: line {number} does not parse ({error}): {line!r}")
    return records


def fail_login(port):
    auth = base64.b64encode(USER + b":wrong")
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(b"GET " + TARGET + b" HTTP/1.1\r\nHost: x\r\nAuthorization: Basic " + auth +
                  b"\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := s.recv(4096):
            answer += chunk
    check(answer.startswith(b"HTTP/1.1 401"), f"the failed login is refused: {answer[:40]!r}")


def scrape(port):
    request = urllib.request.Request(f"http://127.0.0.1:{port}/metrics",
                                     headers={"Authorization": "Basic " + base64.b64encode(b"prometheus:s3cret").decode()})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.read().decode()


def free_port():
    """A port nobody listens on now: at --log.level=warn no "listening" line says which was taken."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run(folder, tree, log_format, level):
    """Runs the exporter through a failed collector, a failed login and SIGTERM; returns its log."""
    log_path = f"{folder}/{log_format}-{level}.log"
    port = free_port()
    command = [os.environ["EXPORTER"], f"--web.listen-address=127.0.0.1:{port}", "--no-collector.docker",
               f"--path.procfs={tree}/proc", f"--path.sysfs={tree}/sys", f"--log.format={log_format}",
               f"--log.level={level}", f"--web.config.file={os.environ['FIXTURES']}/web/basic-auth.yml"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(command, stderr=log)
    try:
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None:
                    break
                time.sleep(0.05)
        else:
            process.poll()
        if process.returncode is not None:
            sys.exit(f"{log_format}/{level}: the exporter did not start: {open(log_path, 'rb').read()!r}")
        body = scrape(port)
        check('silicon_scrape_collector_success{collector="cpu"} 0' in body,
              f"{log_format}/{level}: the garbage /proc/stat fails the cpu collector")
        fail_login(port)
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)
    return open(log_path, "rb").read(), port


def one(records, msg):
    found = [r for r in records if r.get("msg") == msg]
    check(len(found) >= 1, f"a line with msg={msg!r}")
    return found[0] if found else {}


def main():
    fixtures = os.environ["FIXTURES"]
    with tempfile.TemporaryDirectory() as folder:
        tree = f"{folder}/tree"
        shutil.copytree(f"{fixtures}/x86-vm", tree, symlinks=True)
        with open(f"{tree}/proc/stat", "wb") as stat:
            stat.write(b"cpu0 not numbers at all\n\x00\x01\xff\n")

        for log_format in ("logfmt", "json"):
            raw, port = run(folder, tree, log_format, "debug")
            records = parse(log_format, raw)
            check(len(records) >= 4, f"{log_format}: {len(records)} lines parsed")
            for record in records:
                missing = {"ts", "level", "msg"} - record.keys()
                if missing or record["level"] not in LEVELS:
                    check(False, f"{log_format}: ts, level (one of {sorted(LEVELS)}) and msg in {record}")
                # A field written into the message ("collector failed collector=cpu") is what this replaced.
                if re.search(r"\b[a-z_]+=\S", str(record.get("msg", ""))):
                    check(False, f"{log_format}: a field inside msg: {record['msg']!r}")
            number = int if log_format == "json" else str  # JSON writes numbers bare, logfmt has only text

            listening = one(records, "listening")
            check(listening.get("address") == f"127.0.0.1:{port}" and listening.get("port") == number(port)
                  and listening.get("tls") == "off",
                  f"{log_format}: listening has address, port and tls as keys: {listening}")
            failed = one(records, "collector failed")
            check(failed.get("level") == "error" and failed.get("collector") == "cpu" and failed.get("err"),
                  f"{log_format}: collector failed has level=error, collector=cpu and err as keys: {failed}")
            login = one(records, "authentication failed")
            check(login.get("level") == "warn", f"{log_format}: a failed login is level=warn: {login.get('level')}")
            check(login.get("user") == USER_READ and login.get("target") == TARGET_READ,
                  f"{log_format}: user and target come back as the client sent them: {login}")
            check(one(records, "shutting down").get("signal") == "SIGTERM", f"{log_format}: signal=SIGTERM")
            check(one(records, "settings").get("procfs") == f"{tree}/proc", f"{log_format}: settings procfs")
            print(f"{log_format}, e.g.: {raw.splitlines()[-1].decode()}")

            raw, _ = run(folder, tree, log_format, "warn")
            records = parse(log_format, raw)
            levels = sorted({r.get("level") for r in records})
            check(levels == ["error", "warn"], f"{log_format} at --log.level=warn: levels {levels} (warn spelled warn)")
            check(b"warning" not in raw, f"{log_format} at --log.level=warn: no 'warning'")

    if failures:
        print(f"{len(failures)} check(s) failed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
