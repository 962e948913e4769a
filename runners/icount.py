"""Executed-instruction counts on QEMU: the icount TCG plugin (runners/icount.c, shipped as
package data), built with this machine's C compiler into a cache folder on first use, the
`-plugin` argument that loads it, and reading what it reports.

The plugin writes its totals to a file in the run's work folder at exit. Before every
semihosting call it also writes a marker carrying the running count to stderr, the stream
QEMU writes that call's text to, so MarkerSource can strip the markers before the log sees a
byte and give every output line the count at which its first byte was written: the log is
the same as without the plugin, and per-case counts are exact.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
import tempfile
import uuid
from array import array
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from ..errors import TflmTestError
from .base import RunOutcome
from .follow import Source

SOURCE = "icount.c"  # package data of tflm_test.runners
REPORT = "icount.txt"  # in the run's work folder
CACHE_ENV = "TFLM_TEST_CACHE"  # overrides the cache folder ($XDG_CACHE_HOME/tflm-test)
_BUILD_TIMEOUT_S = 120.0
_MAX_DIGITS = 20  # a uint64 count
_MARKER_END = b"\x1f"

# Result extras: the count over the whole run, and the marks (address, count) in the order
# they were reached. Renode's runner records its count under the same key.
INSTRUCTIONS = "executed_instructions"
MARKS = "marks"


class PluginUnavailable(TflmTestError):
    """The plugin cannot be built here; runs go on without counts (one note line)."""


def cache_dir() -> Path:
    """Where built plugins are kept: $TFLM_TEST_CACHE, else $XDG_CACHE_HOME/tflm-test, else
    ~/.cache/tflm-test. Deleting it only costs a rebuild."""
    if explicit := os.environ.get(CACHE_ENV):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tflm-test"


def build_plugin(cache: Path | None = None) -> Path:
    """The plugin's shared object, built on first use (the file name carries a hash of the
    source, so a changed plugin is rebuilt and concurrent builds never clash).

    Args:
        cache: the folder to keep it in; default cache_dir().
    Returns:
        The path of icount-<hash>.so.
    Raises:
        PluginUnavailable: no C compiler ($CC, else cc), the build failed, or the cache
            folder cannot be written.
    """
    source = resources.files("tflm_test.runners").joinpath(SOURCE).read_bytes()
    folder = cache or cache_dir()
    built = folder / f"icount-{hashlib.sha256(source).hexdigest()[:16]}.so"
    if built.is_file():
        return built
    compiler = shlex.split(os.environ.get("CC") or "cc")
    if not compiler or shutil.which(compiler[0]) is None:
        raise PluginUnavailable(f"no C compiler ({' '.join(compiler) or 'cc'}) to build the "
                                "instruction-count plugin; install gcc (ci/setup does)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=folder) as tmp:
            (Path(tmp) / SOURCE).write_bytes(source)
            made = _compile(compiler, Path(tmp))
            os.replace(made, built)  # atomic: a concurrent run sees all of it or nothing
    except OSError as exc:
        raise PluginUnavailable(f"cannot build the instruction-count plugin in {folder} "
                                f"({exc.strerror or exc})") from exc
    return built


def _compile(compiler: list[str], folder: Path) -> Path:
    out = folder / "icount.so"
    argv = [*compiler, "-shared", "-fPIC", "-O2", "-fvisibility=hidden", "-o", str(out),
            str(folder / SOURCE)]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=_BUILD_TIMEOUT_S,
                              stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired as exc:
        raise PluginUnavailable("building the instruction-count plugin took over "
                                f"{_BUILD_TIMEOUT_S:g}s") from exc
    if done.returncode != 0:
        first = next((line for line in done.stderr.splitlines() if line.strip()), "")
        said = first.strip() or f"exit status {done.returncode}"
        raise PluginUnavailable(f"building the instruction-count plugin failed "
                                f"({shlex.join(argv[:1])}: {said})")
    return out


class CountedRun:
    """One run under the plugin: its -plugin argument, the filter on its output, and the
    figures for its outcome."""

    def __init__(self, plugin: str, marks: tuple[int, ...] = ()) -> None:
        self.plugin = plugin  # the .so as the emulator process sees it
        self.marks = marks
        self.token = uuid.uuid4().hex[:16]  # markers of this run only: output cannot fake one
        self.source: MarkerSource | None = None

    def argument(self) -> str:
        """The value of -plugin (QEMU's option syntax doubles a comma inside a value)."""
        args = [self.plugin.replace(",", ",,"), f"out={REPORT}", f"token={self.token}"]
        if self.marks:
            args.append("marks=" + ":".join(f"{a:x}" for a in self.marks))
        return ",".join(args)

    def wrap(self, inner: Source) -> Source:
        """For run_process: the program's output without the markers."""
        self.source = MarkerSource(inner, self.token)
        return self.source

    def finish(self, outcome: RunOutcome, work_dir: Path) -> RunOutcome:
        """The outcome with the run's count, marks and per-line counts."""
        report = read_report(work_dir / REPORT)
        extras = dict(outcome.extras)
        # A program we stopped (after its final line: a board that cannot exit) ran on for
        # as long as stopping it took; up to its last semihosting call is the same every run.
        last = self.source.last_count if self.source is not None else None
        count = last if outcome.stopped and last is not None else report.instructions
        if count is not None:
            extras[INSTRUCTIONS] = count
        if self.marks:
            extras[MARKS] = report.marks
        lines = self.source.line_counts if self.source is not None else ()
        return replace(outcome, extras=extras, line_instructions=lines)


@dataclass(frozen=True)
class Report:
    instructions: int | None  # None: the emulator did not exit cleanly (killed)
    marks: tuple[tuple[int, int], ...]


def read_report(path: Path) -> Report:
    """What the plugin wrote at exit ("mark 0xADDR N" lines, then "instructions N"); an
    absent or cut file gives what it holds."""
    try:
        text = path.read_text(encoding="ascii", errors="replace")
    except OSError:
        return Report(None, ())
    instructions, marks = None, []
    for line in text.splitlines():
        match line.split():
            case ["mark", addr, count] if count.isdigit():
                marks.append((int(addr, 16), int(count)))
            case ["instructions", count] if count.isdigit():
                instructions = int(count)
    return Report(instructions, tuple(marks))


class MarkerSource(Source):
    """Output without the plugin's markers, and the count at each line's first byte."""

    def __init__(self, inner: Source, token: str) -> None:
        self.inner = inner
        self.prefix = b"\x1eicount:" + token.encode("ascii") + b":"
        self._held = b""  # a marker (or what may be the start of one) cut by a read
        self._count = -1  # the latest marker's count; -1: none yet
        self._at_line_start = True
        self._line_counts = array("q")
        self._ended = False

    @property
    def line_counts(self) -> tuple[int | None, ...]:
        """Per output line (as the follow loop splits them): instructions executed before
        the semihosting call that wrote its first byte; None before any marker."""
        return tuple(None if c < 0 else c for c in self._line_counts)

    @property
    def last_count(self) -> int | None:
        """The latest marker's count: where the last semihosting call began."""
        return None if self._count < 0 else self._count

    def read(self, wait_s: float) -> bytes | None:
        if self._ended:
            return None
        data = self.inner.read(wait_s)
        if data is None:
            self._ended = True
            rest, self._held = self._held, b""
            return self._emit(rest) or None
        return self._strip(self._held + data)

    def close(self) -> None:
        self.inner.close()

    def _strip(self, buf: bytes) -> bytes:
        self._held = b""
        out, pos = bytearray(), 0
        while (at := buf.find(self.prefix, pos)) >= 0:
            digits_at = at + len(self.prefix)
            end = buf.find(_MARKER_END, digits_at, digits_at + _MAX_DIGITS + 1)
            if end < 0 and len(buf) - digits_at <= _MAX_DIGITS:
                out += self._emit(buf[pos:at])
                self._held = buf[at:]  # the rest of the marker is still in flight
                return bytes(out)
            if end < 0 or not buf[digits_at:end].isdigit():
                out += self._emit(buf[pos:at + 1])  # looked like one, is program output
                pos = at + 1
                continue
            out += self._emit(buf[pos:at])
            self._count = int(buf[digits_at:end])
            pos = end + 1
        keep = self._partial_prefix(buf, pos)
        out += self._emit(buf[pos:len(buf) - keep])
        self._held = buf[len(buf) - keep:]
        return bytes(out)

    def _partial_prefix(self, buf: bytes, pos: int) -> int:
        """How many last bytes of buf could be a marker's first bytes."""
        start = buf.rfind(self.prefix[:1], max(pos, len(buf) - len(self.prefix) + 1))
        return len(buf) - start if start >= 0 and self.prefix.startswith(buf[start:]) else 0

    def _emit(self, segment: bytes) -> bytes:
        """Program output: every line starting in it gets the current count."""
        if segment:
            starts = segment.count(b"\n", 0, len(segment) - 1) + self._at_line_start
            self._line_counts.extend([self._count] * starts)
            self._at_line_start = segment.endswith(b"\n")
        return segment
