"""A real headless Chromium driven over the DevTools protocol (--remote-debugging-pipe), to
open a page and see what a person would: the DOM after its script ran, every console error
and uncaught exception, every request the page made."""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM = shutil.which("chromium")
# Root in a container: no sandbox, no GPU; nothing from the user's profile.
FLAGS = ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
         "--no-default-browser-check", "--disable-extensions", "--remote-debugging-pipe")


@dataclass
class Seen:
    """What the page did: console errors and exceptions, and the URLs it requested."""

    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


class Browser:
    """One Chromium process; commands on fd 3, answers and events on fd 4, NUL-separated."""

    def __init__(self, proc: subprocess.Popen[bytes], send: int, receive: int) -> None:
        self.proc, self._send, self._receive = proc, send, receive
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def call(self, method: str, session: str | None = None, timeout: float = 30,
             **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._send, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._message(time.monotonic() + timeout)
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def wait_event(self, method: str, timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while not any(e.get("method") == method for e in self.events):
            self.events.append(self._message(deadline))
        return next(e for e in self.events if e.get("method") == method)

    def _message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self._receive], [], [], left)[0]:
                raise TimeoutError("chromium did not answer")
            chunk = os.read(self._receive, 1 << 16)
            if not chunk:
                raise EOFError(f"chromium exited ({self.proc.poll()})")
            self._buffer += chunk
        text, _, self._buffer = self._buffer.partition(b"\0")
        return json.loads(text)

    def open(self, url: str) -> str:
        """A new tab showing url, loaded; returns its session id."""
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable", session)
        self.call("Page.navigate", session, url=url)
        self.wait_event("Page.loadEventFired")
        return session

    def evaluate(self, session: str, expression: str) -> Any:
        reply = self.call("Runtime.evaluate", session, expression=expression,
                          returnByValue=True)
        if "exceptionDetails" in reply:
            raise RuntimeError(f"{expression}: {reply['exceptionDetails']}")
        return reply["result"].get("value")

    def seen(self) -> Seen:
        seen = Seen()
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                details = params["exceptionDetails"]
                seen.errors.append(details.get("exception", {}).get("description")
                                   or details.get("text", "exception"))
            elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
                seen.errors.append(" ".join(str(a.get("value", a.get("description")))
                                            for a in params["args"]))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                seen.errors.append(params["entry"]["text"])
            elif method == "Network.requestWillBeSent":
                seen.requests.append(params["request"]["url"])
        return seen


@contextmanager
def chromium(profile: Path) -> Iterator[Browser]:
    """Start Chromium with its own profile folder; it is killed (its whole process group)
    on every way out."""
    assert CHROMIUM is not None
    to_browser, browser_in = os.pipe()
    browser_out, from_browser = os.pipe()
    # The protocol wants the pipe on fds 3 and 4 exactly; bash puts it there (dash only
    # redirects single-digit fds).
    script = f'exec "$0" "$@" 3<&{to_browser} 4>&{from_browser} {to_browser}<&- {from_browser}>&-'
    proc = subprocess.Popen(["bash", "-c", script, CHROMIUM, *FLAGS, f"--user-data-dir={profile}"],
                            pass_fds=(to_browser, from_browser), stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    os.close(to_browser)
    os.close(from_browser)
    try:
        yield Browser(proc, browser_in, browser_out)
    finally:
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        proc.wait(timeout=30)
        os.close(browser_in)
        os.close(browser_out)
