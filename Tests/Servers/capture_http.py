#!/usr/bin/python3
"""A capturing webhook receiver for the rep-notice tests (Python's standard library only).

    /usr/bin/python3 capture_http.py PORT DIRECTORY SECRET [--fail-first N]

Listens on 127.0.0.1:PORT. Every POST is written into DIRECTORY as NNNN.json:
{"path", "headers", "body" (the JSON it received, parsed), "signature_valid", "answered"}.
The signature is checked here, independently of the sender: the X-Nurture-Signature header
"t=<unix seconds>,v1=<hex>" must be HMAC-SHA256 under SECRET of "<t>." followed by the body.
The first N requests are answered 503 (to exercise retries), the others 200.
Exits when standard input closes, so it dies with the test process that started it.
Prints "READY 127.0.0.1 PORT" once it accepts connections.
"""

import argparse
import hashlib
import hmac
import json
import os
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main():
    parser = argparse.ArgumentParser(description="Capturing webhook receiver for tests")
    parser.add_argument("port", type=int)
    parser.add_argument("directory")
    parser.add_argument("secret")
    parser.add_argument("--fail-first", type=int, default=0)
    options = parser.parse_args()
    os.makedirs(options.directory, exist_ok=True)
    lock = threading.Lock()
    state = {"count": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            signature = self.headers.get("X-Nurture-Signature", "")
            parts = dict(part.split("=", 1) for part in signature.split(",") if "=" in part)
            expected = hmac.new(options.secret.encode(), parts.get("t", "").encode() + b"." + body, hashlib.sha256).hexdigest()
            valid = hmac.compare_digest(expected, parts.get("v1", ""))
            with lock:
                state["count"] += 1
                number = state["count"]
            status = 503 if number <= options.fail_first else 200
            try:
                parsed = json.loads(body)
            except ValueError:
                parsed = None
            record = {"path": self.path, "headers": dict(self.headers.items()), "body": parsed,
                      "signature_valid": valid, "answered": status}
            name = os.path.join(options.directory, f"{number:04d}.json")
            with open(name + ".tmp", "w") as file:
                json.dump(record, file)
            os.replace(name + ".tmp", name)
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *arguments):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", options.port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"READY 127.0.0.1 {options.port}", flush=True)
    sys.stdin.read()
    server.shutdown()


if __name__ == "__main__":
    main()
