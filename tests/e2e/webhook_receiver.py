#!/usr/bin/env python3
"""A webhook receiver the end-to-end test owns: appends one JSON line per notification
({"path": ..., "status": ..., "alerts": [{"alertname", "status", "severity", "instance"}]}) to the given file.

usage: webhook_receiver.py PORT_FILE LOG_FILE   (listens on 127.0.0.1, a free port written to PORT_FILE)"""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
        record = {"path": self.path, "status": body.get("status"),
                  "alerts": [{"alertname": a["labels"].get("alertname"), "status": a.get("status"),
                              "severity": a["labels"].get("severity"), "instance": a["labels"].get("instance")}
                             for a in body.get("alerts", [])]}
        with open(sys.argv[2], "a") as log:
            log.write(json.dumps(record) + "\n")
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
with open(sys.argv[1], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
