"""Driving one child per run: line following, deadlines, stop rules and graduated shutdown.

Shared by the runners that start a process per binary (host, qemu, docker). The follower is
separate from the process so a runner whose lines come from elsewhere (a container's log
stream) can reuse the same rules.
"""

from __future__ import annotations

import logging
import os
import queue
import shlex
import signal
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .base import RunnerEvent, RunOutcome, RunRequest

log = logging.getLogger(__name__)

_POLL_S = 0.02
_EOF = None


def decode_line(raw: bytes) -> str:
    """One output line as text: emulators cut output mid-character and firmware may end lines
    with CR LF, so decode leniently and strip both."""
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


def pump_lines(chunks: Iterable[bytes], sink: queue.Queue[str | None]) -> None:
    """Split a byte stream into lines and queue them; queue None at the end."""
    pending = b""
    try:
        for chunk in chunks:
            pending += chunk
            *lines, pending = pending.split(b"\n")
            for raw in lines:
                sink.put(decode_line(raw))
    finally:
        if pending:
            sink.put(decode_line(pending))
        sink.put(_EOF)


def start_pump(chunks: Iterable[bytes]) -> queue.Queue[str | None]:
    """pump_lines on a daemon thread; returns the queue it fills."""
    lines: queue.Queue[str | None] = queue.Queue()
    threading.Thread(target=pump_lines, args=(chunks, lines), daemon=True).start()
    return lines


def read_from(path: Path, offset: int) -> bytes:
    """What a file another process writes holds past offset (nothing while it is missing)."""
    try:
        with path.open("rb") as fh:
            fh.seek(offset)
            return fh.read()
    except FileNotFoundError:
        return b""


class FileTail:
    """Follows a file another process appends to (an emulator's own log) and turns each new
    complete line into events with `parse`. Keeps nothing but the read position."""

    def __init__(self, path: Path, parse: Callable[[str], RunnerEvent | None]) -> None:
        self.path = path
        self.parse = parse
        self._offset = 0
        self._pending = b""

    def poll(self, final: bool = False) -> list[RunnerEvent]:
        data = read_from(self.path, self._offset)
        self._offset += len(data)
        *lines, self._pending = (self._pending + data).split(b"\n")
        if final and self._pending:
            lines.append(self._pending)
            self._pending = b""
        events = (self.parse(decode_line(raw)) for raw in lines)
        return [e for e in events if e is not None]


@dataclass
class Followed:
    timed_out: bool = False
    stopped: bool = False
    ended: bool = False  # the line source reached its end (the program exited)
    interrupted: bool = False  # request.cancel was set
    events: tuple[RunnerEvent, ...] = ()


def _next_deadline(current: float | None, candidate: float) -> float:
    return candidate if current is None else min(current, candidate)


EventHook = Callable[[RunnerEvent], RunnerEvent]


def _poll_events(tail: FileTail | None, on_fault: EventHook | None) -> list[RunnerEvent]:
    if tail is None:
        return []
    return [on_fault(e) if on_fault is not None and e.kind == "fault" else e for e in tail.poll()]


def _why_stop(request: RunRequest, stop_at: float | None, timeout_at: float) -> str | None:
    """Which Followed flag ends the run now, if any (Ctrl-C first, then the stop, timeout)."""
    now = time.monotonic()
    if request.cancel is not None and request.cancel.is_set():
        return "interrupted"
    if stop_at is not None and now >= stop_at:
        return "stopped"
    return "timed_out" if now >= timeout_at else None


def follow(lines: queue.Queue[str | None], request: RunRequest, log_file: IO[str],
           tail: FileTail | None = None, on_fault: EventHook | None = None) -> Followed:
    """Copy lines to log_file until the source ends, the final line or a fault asks for a
    stop (after its grace period), or the timeout passes. on_fault may enrich a fault event
    while the program is still stopped in its handler (e.g. read the faulting PC)."""
    result = Followed()
    events: list[RunnerEvent] = []
    timeout_at = time.monotonic() + request.timeout_s
    stop_at: float | None = None
    while True:
        try:
            line = lines.get(timeout=_POLL_S)
        except queue.Empty:
            line = ""
        else:
            if line is _EOF:
                result.ended = True
                break
            log_file.write(line + "\n")
            log_file.flush()
            if request.stop_on(line):
                stop_at = _next_deadline(stop_at, time.monotonic() + request.exit_grace_s)
        new = _poll_events(tail, on_fault)
        events += new
        if any(e.kind in ("fault", "lockup") for e in new):
            stop_at = _next_deadline(stop_at, time.monotonic() + request.fault_grace_s)
        if (why := _why_stop(request, stop_at, timeout_at)) is not None:
            setattr(result, why, True)
            break
    if tail is not None:
        events += tail.poll(final=True)
    result.events = tuple(events)
    return result


def drain(lines: queue.Queue[str | None], log_file: IO[str], wait_s: float = 1.0) -> None:
    """After the source was stopped: keep what was still in flight, so no output is lost."""
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=_POLL_S)
        except queue.Empty:
            continue
        if line is _EOF:
            return
        log_file.write(line + "\n")


def stop_process(proc: subprocess.Popen[bytes], grace_s: float = 2.0) -> None:
    """Terminate the child's whole process group, wait, then kill and wait: no orphans."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            continue
    proc.wait()


def run_process(argv: list[str], request: RunRequest, tail: FileTail | None = None,
                env: dict[str, str] | None = None,
                cleanup: Callable[[], None] | None = None,
                on_fault: EventHook | None = None) -> RunOutcome:
    """Run argv as its own process group with stdout+stderr merged into request.log_path.

    Ctrl-C (KeyboardInterrupt) stops the child before it propagates.
    """
    log.debug("running %s", shlex.join(argv))
    start = time.monotonic()
    request.log_path.parent.mkdir(parents=True, exist_ok=True)
    proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, start_new_session=True, env=env)
    try:
        assert proc.stdout is not None
        lines = start_pump(iter(lambda: proc.stdout.read1(65536), b""))
        with request.log_path.open("w", encoding="utf-8") as log_file:
            followed = follow(lines, request, log_file, tail, on_fault)
            exited = followed.ended
            if not exited:
                stop_process(proc)
                drain(lines, log_file)
        exit_code = _wait_exit(proc, request.timeout_s) if exited else None
    finally:
        stop_process(proc)
        if cleanup is not None:
            cleanup()
    return RunOutcome(exit_code=exit_code, timed_out=followed.timed_out,
                      stopped=followed.stopped, duration_s=time.monotonic() - start,
                      events=followed.events, interrupted=followed.interrupted)


def _wait_exit(proc: subprocess.Popen[bytes], timeout_s: float) -> int | None:
    """Exit status of a child whose output ended; None if it lingers (then it is stopped)."""
    try:
        return proc.wait(timeout=min(timeout_s, 5.0))
    except subprocess.TimeoutExpired:
        return None
