#!/usr/bin/python3
"""A rep's round trip through the web pages in headless Chromium, driven over the DevTools
protocol on a pipe (--remote-debugging-pipe: file descriptors 3 and 4, one JSON message per
NUL-terminated record), with the standard library only.

    browser_flow.py CHROMIUM SIGNIN_URL HANDOFF_ID REASON LEAD_EMAIL

Opens the sign-in link, presses Sign in, finds the hand-off, rejects it with the reason, and
opens the service-level page. Prints one JSON line with what each page showed; exits 0 when
every step did what a rep expects, 1 with the reason otherwise.
"""
import json
import os
import select
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, chromium, profile):
        to_browser_read, self.to_browser = os.pipe()
        self.from_browser, from_browser_write = os.pipe()
        # Chromium reads commands on fd 3 and writes answers on fd 4.
        def wire():
            os.dup2(to_browser_read, 3)
            os.dup2(from_browser_write, 4)
        self.process = subprocess.Popen(
            [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--remote-debugging-pipe",
             f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=wire, pass_fds=(3, 4, to_browser_read, from_browser_write),
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_browser_read)
        os.close(from_browser_write)
        self.buffer = b""
        self.next_id = 0
        self.events = []
        self.session = None

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        os.write(self.to_browser, json.dumps(message).encode() + b"\0")
        while True:
            reply = self.receive(30)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def receive(self, timeout):
        deadline = time.monotonic() + timeout
        while b"\0" not in self.buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.from_browser], [], [], left)[0]:
                raise RuntimeError("the browser did not answer in time")
            chunk = os.read(self.from_browser, 65536)
            if not chunk:
                raise RuntimeError("the browser closed the pipe")
            self.buffer += chunk
        record, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(record)

    def wait_for(self, event, timeout=30):
        deadline = time.monotonic() + timeout
        while True:
            while self.events:
                message = self.events.pop(0)
                if message.get("method") == event:
                    return message
            left = deadline - time.monotonic()
            if left <= 0:
                raise RuntimeError(f"no {event} in time")
            self.events.append(self.receive(left))

    def attach(self):
        # A tab of our own: the one Chromium opens at start may not exist yet when we ask.
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True}, session=False)["sessionId"]
        self.send("Page.enable")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True})
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def navigate(self, url):
        self.events.clear()
        self.send("Page.navigate", {"url": url})
        self.wait_for("Page.loadEventFired")

    def submit(self, expression):
        """Clicks what `expression` finds, and waits for the page the form posts to."""
        self.events.clear()
        self.evaluate(f"{expression}.click()")
        self.wait_for("Page.loadEventFired")

    def page(self):
        return self.evaluate("({url: location.pathname, text: document.body.innerText})")

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def main():
    chromium, signin_url, handoff, reason, lead = sys.argv[1:6]
    shown = {}
    with tempfile.TemporaryDirectory(prefix="nurture-browser-") as profile:
        browser = Browser(chromium, profile)
        try:
            browser.attach()
            browser.navigate(signin_url)
            # Only its text: its address holds the token.
            shown["signin"] = {"text": browser.page()["text"]}
            check("Sign in" in shown["signin"]["text"], "the sign-in page has no Sign in button")
            browser.submit("document.querySelector('form button')")
            shown["rep"] = browser.page()
            check(shown["rep"]["url"] == "/rep" and lead in shown["rep"]["text"], "the rep's page does not show the hand-off")
            form = f"document.querySelector('form[action=\"/rep/handoffs/{handoff}/reject\"]')"
            check(browser.evaluate(f"(() => {{ const s = {form}.querySelector('select'); s.value = {json.dumps(reason)}; return s.value }})()") == reason,
                  "the reason is not one of the select's options")
            browser.submit(f"{form}.querySelector('button')")
            shown["after"] = browser.page()
            check(shown["after"]["url"] == "/rep" and lead not in shown["after"]["text"], "the hand-off is still waiting")
            browser.navigate(signin_url.split("/signin/")[0] + "/rep/sla")
            shown["sla"] = browser.page()
            check(f"reject({reason})" in shown["sla"]["text"], "the service-level page does not show the rejection")
        except Exception as error:
            print(json.dumps({"ok": False, "error": str(error), "shown": shown}))
            sys.exit(1)
        finally:
            browser.close()
    print(json.dumps({"ok": True, "shown": shown}))


def check(condition, message):
    if not condition:
        raise RuntimeError(message)


if __name__ == "__main__":
    main()
