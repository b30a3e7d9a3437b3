#!/usr/bin/python3
"""A capturing SMTP server for the delivery tests (aiosmtpd; run with Debian's /usr/bin/python3).

    /usr/bin/python3 capture_smtp.py PORT DIRECTORY [--auth-required] [--exit-on-stdin-eof]

Listens on 127.0.0.1:PORT and writes every message it accepts into DIRECTORY, one file per
message, byte for byte as received after the SMTP transparency dots are removed
(aiosmtpd's `envelope.original_content`):

    DIRECTORY/0001.eml    the message
    DIRECTORY/0001.json   its envelope: {"mail_from", "rcpt_tos", "peer", "authenticated_as"}
    DIRECTORY/events.log  one line per EHLO/HELO and per accepted message, for counting sessions

Both files of a message exist before the relay answers 250 to the end of DATA, so a client that
has its 250 can read them at once.

--auth-required    advertise AUTH PLAIN and LOGIN (without TLS) and refuse mail until the client
                   logs in as USERNAME / PASSWORD below (530 before, 535 for wrong credentials).
--exit-on-stdin-eof  exit when standard input closes, so the server dies with the test process
                   that started it even if that process is killed.

Prints "READY 127.0.0.1 PORT" on standard output once it accepts connections.
"""

import argparse
import json
import os
import signal
import sys
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USERNAME = "nurture-test"
PASSWORD = "correct horse battery staple"


class CaptureHandler:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0
        self.events = open(os.path.join(directory, "events.log"), "a", buffering=1)

    def _event(self, text):
        self.events.write(text + "\n")
        self.events.flush()

    async def handle_EHLO(self, server, session, envelope, hostname, responses):
        session.host_name = hostname
        self._event(f"EHLO {hostname}")
        return responses

    async def handle_HELO(self, server, session, envelope, hostname):
        session.host_name = hostname
        self._event(f"HELO {hostname}")
        return f"250 {server.hostname}"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        stem = os.path.join(self.directory, f"{self.count:04d}")
        side = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "peer": list(session.peer) if session.peer else None,
            "authenticated_as": _login_name(session.auth_data),
        }
        # Write to temporary names and rename, so that a reader never sees half a file.
        _write_atomically(stem + ".json", json.dumps(side).encode("utf-8"))
        _write_atomically(stem + ".eml", envelope.original_content)
        self._event(f"MESSAGE {self.count:04d}")
        return "250 2.0.0 Ok: captured as " + os.path.basename(stem)


def _login_name(auth_data):
    if isinstance(auth_data, LoginPassword):
        return auth_data.login.decode("utf-8", "replace")
    return None


def _write_atomically(path, data):
    temporary = path + ".tmp"
    with open(temporary, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def authenticator(server, session, envelope, mechanism, auth_data):
    if not isinstance(auth_data, LoginPassword):
        return AuthResult(success=False, handled=False)
    ok = auth_data.login == USERNAME.encode() and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)


def main():
    parser = argparse.ArgumentParser(description="Capturing SMTP server for tests")
    parser.add_argument("port", type=int)
    parser.add_argument("directory")
    parser.add_argument("--auth-required", action="store_true")
    parser.add_argument("--exit-on-stdin-eof", action="store_true")
    options = parser.parse_args()
    # A process started from a thread that blocks signals inherits the mask; take SIGTERM again.
    signal.pthread_sigmask(signal.SIG_SETMASK, [])

    os.makedirs(options.directory, exist_ok=True)
    handler = CaptureHandler(options.directory)
    settings = {}
    if options.auth_required:
        settings = dict(auth_required=True, auth_require_tls=False, authenticator=authenticator)
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=options.port,
        server_hostname="capture.test",
        **settings,
    )
    controller.start()  # returns once the server accepts connections

    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    signal.signal(signal.SIGINT, lambda *_: done.set())
    if options.exit_on_stdin_eof:
        def watch():
            try:
                while sys.stdin.buffer.read(4096):
                    pass
            finally:
                done.set()
        threading.Thread(target=watch, daemon=True).start()

    print(f"READY 127.0.0.1 {options.port}", flush=True)
    while not done.wait(0.5):
        pass
    controller.stop()


if __name__ == "__main__":
    main()
