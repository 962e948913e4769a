"""The one follow loop: a program's output goes to its log as it arrives, each line meets the
stop rule, and the run ends when the output ends, the final line or a fault asks for a stop
(after its grace period), the watcher calls it a hang, the deadline passes, or Ctrl-C.

Every runner feeds it: a `Source` of output bytes (a pipe, a file an emulator appends to), a
`Watcher` for what the emulator reports beside the output, and a `stop` callable for what to
do when the run must end before the program did. Reading is linear in the output size, and a
line without a newline holds at most LINE_CAP bytes in memory: the log keeps every byte.
"""

from __future__ import annotations

import queue
import threading
import time
from array import array
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO

from .base import EventKind, RunnerEvent, RunRequest

POLL_S = 0.02  # longest wait for output before the other conditions are looked at again
CHECK_EVERY_S = 0.25  # how often Watcher.check runs (it may ask the emulator something)
DRAIN_S = 1.0  # after a stop: how long output still in flight is waited for
LINE_CAP = 16 * 1024  # bytes of one line kept for the stop rule and the parser
STOP_EVENTS = (EventKind.FAULT, EventKind.LOCKUP, EventKind.EMULATOR_ERROR)


def decode_line(raw: bytes) -> str:
    """One output line as text: emulators cut output mid-character and firmware may end lines
    with CR LF, so decode leniently and strip both."""
    return raw.decode("utf-8", errors="replace").rstrip("\r\n")


class LineSplitter:
    """Bytes in, complete lines out, each cut to `cap` bytes. Linear: every byte is looked at
    once, and the part of a line beyond the cap is counted, not kept."""

    def __init__(self, cap: int = LINE_CAP) -> None:
        self.cap = cap
        self._line = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        lines = []
        start = 0
        while (end := data.find(b"\n", start)) >= 0:
            self._keep(data, start, end)
            lines.append(bytes(self._line))
            self._line.clear()
            start = end + 1
        self._keep(data, start, len(data))
        return lines

    def _keep(self, data: bytes, start: int, end: int) -> None:
        room = self.cap - len(self._line)
        if room > 0:
            self._line += data[start:min(end, start + room)]

    def flush(self) -> bytes | None:
        """The unterminated last line, if any."""
        if not self._line:
            return None
        line = bytes(self._line)
        self._line.clear()
        return line


def read_lines(path: Path, cap: int = LINE_CAP, chunk: int = 1 << 20) -> list[str]:
    """A log's lines exactly as the follow loop split them (same count, same cut)."""
    splitter = LineSplitter(cap)
    lines: list[str] = []
    try:
        with path.open("rb") as fh:
            while data := fh.read(chunk):
                lines += map(decode_line, splitter.feed(data))
    except FileNotFoundError:
        return []
    if (last := splitter.flush()) is not None:
        lines.append(decode_line(last))
    return lines


class Source:
    """Where a program's output comes from. read() returns what arrived (b"" when nothing did
    within wait_s) or None once the output has ended for good."""

    def read(self, wait_s: float) -> bytes | None:
        raise NotImplementedError

    def close(self) -> None:
        """Release what reading needed; the source is not read again."""


class StreamSource(Source):
    """A blocking byte stream (a pipe), read on a daemon thread so the loop never blocks.
    The queue between them is bounded: a program that writes faster than we log waits."""

    BACKLOG = 64  # chunks (of up to 64 KiB from a pipe) held between reader and loop

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._queue: queue.Queue[bytes | None] = queue.Queue(maxsize=self.BACKLOG)
        self._ended = False
        self._closed = threading.Event()
        threading.Thread(target=self._pump, args=(chunks,), daemon=True).start()

    def _pump(self, chunks: Iterable[bytes]) -> None:
        try:
            for chunk in chunks:
                self._put(chunk)
        except (OSError, ValueError):  # the pipe was closed under us: that is its end
            pass
        finally:
            self._put(None)

    def _put(self, item: bytes | None) -> None:
        while not self._closed.is_set():
            try:
                self._queue.put(item, timeout=POLL_S)
                return
            except queue.Full:
                continue

    def close(self) -> None:
        """Nobody reads any more: let the reader thread end."""
        self._closed.set()

    def read(self, wait_s: float) -> bytes | None:
        if self._ended:
            return None
        try:
            first = self._queue.get(timeout=wait_s)
        except queue.Empty:
            return b""
        parts = [first]
        while parts[-1] is not None and not self._queue.empty():
            parts.append(self._queue.get_nowait())
        if parts[-1] is None:
            self._ended = True
            parts.pop()
            if not parts:
                return None
        return b"".join(parts)  # type: ignore[arg-type]


class FileSource(Source):
    """A file another process appends to (an emulator's UART backend). It ends once `ended()`
    says the writer is gone and everything it wrote has been read."""

    def __init__(self, path: Path, ended: Callable[[], bool]) -> None:
        self.path = path
        self._ended = ended
        self._offset = 0

    def read(self, wait_s: float) -> bytes | None:
        finished = self._ended()  # asked first: what the writer wrote before ending is read
        data = read_from(self.path, self._offset)
        self._offset += len(data)
        if data:
            return data
        if finished:
            return None
        time.sleep(wait_s)
        return b""


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
    complete line into an event with `parse`. Keeps nothing but the read position."""

    def __init__(self, path: Path, parse: Callable[[str], RunnerEvent | None]) -> None:
        self.path = path
        self.parse = parse
        self._offset = 0
        self._splitter = LineSplitter()

    def poll(self, final: bool = False) -> list[RunnerEvent]:
        data = read_from(self.path, self._offset)
        self._offset += len(data)
        lines = self._splitter.feed(data)
        if final and (last := self._splitter.flush()) is not None:
            lines.append(last)
        events = (self.parse(decode_line(raw)) for raw in lines)
        return [e for e in events if e is not None]


class Watcher:
    """What a runner watches beside the program's output; this base watches nothing."""

    def poll(self) -> list[RunnerEvent]:
        """New events from the emulator since the last call."""
        return []

    def on_fault(self, event: RunnerEvent) -> RunnerEvent:
        """Called while the program still sits in its fault handler: may add detail."""
        return event

    def check(self) -> str | None:
        """Called every CHECK_EVERY_S: a reason to call the run hung now, else None."""
        return None

    def final(self) -> list[RunnerEvent]:
        """The last events, once the run is over."""
        return self.poll()


class TailWatcher(Watcher):
    """Watches one emulator log file (see FileTail) and enriches faults with `locate`."""

    def __init__(self, tail: FileTail,
                 locate: Callable[[RunnerEvent], RunnerEvent] | None = None) -> None:
        self.tail = tail
        self.locate = locate

    def poll(self) -> list[RunnerEvent]:
        return self.tail.poll()

    def on_fault(self, event: RunnerEvent) -> RunnerEvent:
        return self.locate(event) if self.locate is not None else event

    def final(self) -> list[RunnerEvent]:
        return self.tail.poll(final=True)


class End(StrEnum):
    """Why a followed run ended."""

    ENDED = "ended"  # the output ended: the program (or emulator) exited
    STOPPED = "stopped"  # after the final line or a fault, and its grace period
    TIMED_OUT = "timed out"  # the deadline passed, or the watcher called it a hang
    INTERRUPTED = "interrupted"  # request.cancel was set (Ctrl-C)


@dataclass(frozen=True)
class Followed:
    end: End
    events: tuple[RunnerEvent, ...]
    line_times: tuple[float, ...]  # seconds from the start to each line's arrival
    hang: str | None = None  # the watcher's reason, when it called the run hung


class _Log:
    """The program's log: raw bytes appended as they come, lines timed and shown to the
    stop rule."""

    def __init__(self, out: IO[bytes], request: RunRequest, start: float) -> None:
        self.out = out
        self.request = request
        self.start = start
        self.splitter = LineSplitter()
        self.times = array("d")
        self.final_seen_at: float | None = None

    def take(self, data: bytes) -> None:
        self.out.write(data)
        self.out.flush()  # a killed tflm-test still leaves the output it saw
        now = time.monotonic()
        for raw in self.splitter.feed(data):
            self._line(raw, now)

    def _line(self, raw: bytes, now: float) -> None:
        self.times.append(now - self.start)
        if self.final_seen_at is None and self.request.stop_on(decode_line(raw)):
            self.final_seen_at = now

    def close(self) -> None:
        if (last := self.splitter.flush()) is not None:
            self._line(last, time.monotonic())


def follow(source: Source, request: RunRequest, stop: Callable[[], None],
           watcher: Watcher | None = None, start: float | None = None) -> Followed:
    """Follow one run to its end (see the module docstring); the log is request.log_path.

    Args:
        source: the program's output.
        request: deadlines, stop rule, grace periods and the cancel event.
        stop: ends the program when the run must end before it did; output that was still
            in flight is then read for DRAIN_S more.
        watcher: what else to watch (emulator log, hangs); default nothing.
        start: when the run started (time.monotonic()); default now.
    Returns:
        Why it ended, every event, and each line's arrival time.
    """
    watcher = watcher or Watcher()
    start = time.monotonic() if start is None else start
    request.log_path.parent.mkdir(parents=True, exist_ok=True)
    with request.log_path.open("wb") as out:
        log = _Log(out, request, start)
        events: list[RunnerEvent] = []
        end, hang = _loop(source, request, log, watcher, events)
        if end is not End.ENDED:
            stop()
            for data in _drain(source):
                log.take(data)
        log.close()
    events += watcher.final()
    return Followed(end, tuple(events), tuple(log.times), hang)


def _loop(source: Source, request: RunRequest, log: _Log, watcher: Watcher,
          events: list[RunnerEvent]) -> tuple[End, str | None]:
    timeout_at = log.start + request.timeout_s
    next_check = time.monotonic() + CHECK_EVERY_S
    stop_at: float | None = None
    while True:
        data = source.read(POLL_S)
        if data is None:
            return End.ENDED, None
        if data:
            log.take(data)
        if log.final_seen_at is not None:
            stop_at = _earliest(stop_at, log.final_seen_at + request.exit_grace_s)
        new = [watcher.on_fault(e) if e.kind is EventKind.FAULT else e for e in watcher.poll()]
        events += new
        now = time.monotonic()
        if any(e.kind in STOP_EVENTS for e in new):
            stop_at = _earliest(stop_at, now + request.fault_grace_s)
        if request.cancel is not None and request.cancel.is_set():
            return End.INTERRUPTED, None
        if stop_at is not None and now >= stop_at:
            return End.STOPPED, None
        if now >= timeout_at:
            return End.TIMED_OUT, None
        if now >= next_check:
            next_check = now + CHECK_EVERY_S
            if (hang := watcher.check()) is not None:
                return End.TIMED_OUT, hang


def _earliest(current: float | None, candidate: float) -> float:
    return candidate if current is None else min(current, candidate)


def _drain(source: Source) -> Iterator[bytes]:
    deadline = time.monotonic() + DRAIN_S
    while time.monotonic() < deadline:
        data = source.read(POLL_S)
        if data is None:
            return
        if data:
            yield data
