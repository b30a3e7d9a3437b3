#!/usr/bin/python3
"""Runs a server command for as long as this script's standard input stays open.

    /usr/bin/python3 tether.py COMMAND [ARGUMENT...]

The tests start servers through this so that none outlives the test process: when standard input
closes (the test stopped the server, or the test process died, even by a crash) or on SIGTERM, the
command is killed and this script exits with the command's status.

It also clears the signal mask before starting the command: a process started from a thread that
blocks signals (libdispatch's worker threads do) inherits the mask, and a server that blocks
SIGTERM cannot be stopped politely.
"""

import signal
import subprocess
import sys
import threading


def main():
    signal.pthread_sigmask(signal.SIG_SETMASK, [])
    if len(sys.argv) < 2:
        sys.exit("usage: tether.py COMMAND [ARGUMENT...]")
    child = subprocess.Popen(
        sys.argv[1:],
        stdin=subprocess.DEVNULL,
        preexec_fn=lambda: signal.pthread_sigmask(signal.SIG_SETMASK, []),
    )

    def stop(*_):
        if child.poll() is None:
            child.kill()

    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        finally:
            stop()

    threading.Thread(target=watch, daemon=True).start()
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    status = child.wait()
    sys.exit(status if status >= 0 else 0)  # killed by us: a normal stop


if __name__ == "__main__":
    main()
