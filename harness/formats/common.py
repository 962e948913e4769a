"""What every format's grammar produces: cases, failures, the printed counts and the
program's closing claim. Pure: no I/O. Strings taken from a log are clipped (clip()), since a
runaway test can print megabytes on one line; the log on disk keeps everything.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from enum import StrEnum

SENTINEL_PASS = "~~~ALL TESTS PASSED~~~"
SENTINEL_FAIL = "~~~SOME TESTS FAILED~~~"

CLIP_LIMIT = 300  # characters kept of any one string taken from a log


def clip(text: str, limit: int = CLIP_LIMIT) -> str:
    """Cut text to `limit` characters, saying how much was cut.

    Args:
        text: any string, typically taken from a test log.
        limit: how many characters to keep.

    Returns:
        text itself when short enough, else its first `limit` characters followed by
        '… [+N chars]'.
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… [+{len(text) - limit} chars]"


class Format(StrEnum):
    MICRO_TEST = "micro_test"  # TFLM micro_test.h, 2019 - Jan 2026
    GTEST = "gtest"  # TFLM micro_test_v2.h (GoogleTest-style), since 2026-01-29
    UNITY = "unity"  # ThrowTheSwitch Unity (CMSIS-NN, vendor SDKs)

    @property
    def pass_marker(self) -> str:
        """The line that closes a passing run in this format."""
        return "OK" if self is Format.UNITY else SENTINEL_PASS


class CaseStatus(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    SKIP = "SKIP"


@dataclass(frozen=True)
class Failure:
    expr: str  # the failed expression, or Unity's message
    file: str
    line: int
    detail: str = ""  # the values seen, e.g. "42 vs 41" (micro_test), "1 == 2" (gtest)

    def describe(self) -> str:
        """E.g. '42 == answer failed at fail.c:10 (42 vs 41)'."""
        text = f"{self.expr} failed at {self.file}:{self.line}"
        return f"{text} ({self.detail})" if self.detail else text


@dataclass(frozen=True)
class CaseLog:
    name: str
    failures: tuple[Failure, ...] = ()
    status: CaseStatus | None = None  # what the log says; None: started but never finished
    duration_s: float | None = None  # from its start line to its end line, when times are known
    message: str = ""  # what the log said about a skip (Unity's "IGNORE: <message>")

    @property
    def finished(self) -> bool:
        """Its end line (or, for micro_test, the next case or the summary) was seen."""
        return self.status is not None


@dataclass(frozen=True)
class Summary:
    """The counts a program printed at its end; None where its format prints no such count."""

    total: int
    passed: int | None = None
    failed: int | None = None
    skipped: int | None = None


@dataclass
class _OpenCase:
    name: str
    start: float | None
    failures: list[Failure] = field(default_factory=list)


class Cases:
    """Collects cases in log order while a grammar scans; build() freezes them."""

    def __init__(self) -> None:
        self._done: list[CaseLog] = []
        self._open: _OpenCase | None = None
        self.stray: list[Failure] = []  # failures outside any case

    def start(self, name: str, t: float | None) -> None:
        """A case begins (an open one that never ended stays unfinished)."""
        self._close_unfinished()
        self._open = _OpenCase(clip(name), t)

    def failure(self, failure: Failure) -> None:
        """A failure line: it belongs to the open case, else it is stray."""
        (self._open.failures if self._open else self.stray).append(failure)

    def amend_failure(self, **changes: str) -> None:
        """Fill in the latest failure of the open case (lines that follow a failure line)."""
        if self._open is not None and self._open.failures:
            last = self._open.failures[-1]
            self._open.failures[-1] = replace(last, **{k: clip(v) for k, v in changes.items()})

    def end(self, t: float | None, status: CaseStatus | None = None, name: str | None = None,
            message: str = "") -> None:
        """The open case ends; status None means PASS unless it has failures. A `name` that
        is not the open case's is a case whose start line is missing (no duration)."""
        if name is not None and (self._open is None or self._open.name != clip(name)):
            self.start(name, None)
        if self._open is None:
            return
        case, self._open = self._open, None
        failures = tuple(case.failures)
        status = status or (CaseStatus.FAIL if failures else CaseStatus.PASS)
        duration = t - case.start if t is not None and case.start is not None else None
        self._done.append(CaseLog(case.name, failures, status, duration, clip(message)))

    def build(self) -> tuple[CaseLog, ...]:
        """Every case so far, in log order; an open one is unfinished."""
        self._close_unfinished()
        return tuple(self._done)

    def _close_unfinished(self) -> None:
        if self._open is not None:
            self._done.append(CaseLog(self._open.name, tuple(self._open.failures)))
            self._open = None


class Grammar(ABC):
    """One format's line-by-line reader. Fed every line in order (without its line end)."""

    def __init__(self) -> None:
        self.cases = Cases()
        self.summary: Summary | None = None
        self.claims_pass: bool | None = None  # True: pass marker, False: fail marker
        self.complete = False  # the program printed its last line

    @abstractmethod
    def feed(self, line: str, t: float | None) -> None:
        """Read one line; t is when it arrived (seconds since the run started) or None."""

    def sentinel(self, line: str) -> bool:
        """Note a ~~~ sentinel alone on its line (FAIL wins); True if the line was one."""
        stripped = line.rstrip()
        if stripped not in (SENTINEL_PASS, SENTINEL_FAIL):
            return False
        self.claims_pass = self.claims_pass is not False and stripped == SENTINEL_PASS
        self.complete = True
        return True
