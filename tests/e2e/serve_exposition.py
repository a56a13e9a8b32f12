#!/usr/bin/env python3
"""Serves a saved exposition (e.g. tests/golden/m3-max.prom, the Mac the macOS converter test
writes) as /metrics with the text format's content type, so a real Prometheus scrapes a machine
this host is not.

The golden file holds what the collectors print; the exporter itself adds
silicon_exporter_build_info to every scrape (exporter/self_collectable.cpp), and the dashboards'
host picker and the fleet's "Hosts reporting" panel find machines by it. So a stand-in for a
whole exporter appends that line (platform darwin/arm64), or the Mac would vanish from those panels.

usage: serve_exposition.py PORT_FILE EXPOSITION   (binds a free port, writes it to PORT_FILE)"""
import http.server
import pathlib
import sys

port_file, body = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2]).read_bytes()
if b"\nsilicon_exporter_build_info{" not in body:
    body += (b"# HELP silicon_exporter_build_info Version, revision and platform the exporter was built from; always 1.\n"
             b"# TYPE silicon_exporter_build_info gauge\n"
             b'silicon_exporter_build_info{version="golden",revision="golden",platform="darwin/arm64"} 1\n')


class Exposition(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Exposition)
port_file.write_text(str(server.server_address[1]))
server.serve_forever()
