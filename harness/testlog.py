"""Pure parsing of a test binary's output (the micro_test.h contract, see
reference_runtime/include/micro_test.h). No I/O: text lines in, a ParsedLog out.

A log without the pass sentinel is never a pass: crashes, hangs and truncated logs all
look the same here (the sentinel is missing); verdict.py tells them apart with the
runner's outcome.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

SENTINEL_PASS = "~~~ALL TESTS PASSED~~~"
SENTINEL_FAIL = "~~~SOME TESTS FAILED~~~"

# Testing SimpleTest
_CASE = re.compile(r"^Testing (?P<name>\S.*?)\s*$")
# x == y failed at tests/foo_test.c:12 (1 vs 2)
_FAILURE = re.compile(r"^(?P<expr>.*?) failed at (?P<file>[^\s:]+):(?P<line>\d+)(?P<detail>.*)$")
# 11/12 tests passed
_SUMMARY = re.compile(r"^(?P<passed>\d+)/(?P<total>\d+) tests passed\s*$")
# *** HardFault pc=0x00000a3c lr=0x000004c1 cfsr=0x00008200 hfsr=0x40000000 bfar=0xe0100000 mmfar=0x00000000
_CRASH = re.compile(
    r"^\*\*\* (?P<kind>HardFault|MemManage|BusFault|UsageFault) pc=(?P<pc>0x[0-9a-fA-F]+)"
    r" lr=(?P<lr>0x[0-9a-fA-F]+) cfsr=(?P<cfsr>0x[0-9a-fA-F]+) hfsr=(?P<hfsr>0x[0-9a-fA-F]+)"
    r" bfar=(?P<bfar>0x[0-9a-fA-F]+) mmfar=(?P<mmfar>0x[0-9a-fA-F]+)")
# ==1234==ERROR: AddressSanitizer: heap-buffer-overflow on address ...
# tests/x.c:12:5: runtime error: signed integer overflow ...
_SANITIZER = re.compile(r"^==\d+==ERROR: \w+Sanitizer: .*|^\S+:\d+:\d+: runtime error: .*")

# CFSR bits (ARMv7-M ARM B3.2.15) that name what went wrong.
_CFSR_BITS = {
    0: "IACCVIOL instruction access violation", 1: "DACCVIOL data access violation",
    3: "MUNSTKERR", 4: "MSTKERR", 7: "MMARVALID",
    8: "IBUSERR instruction bus error", 9: "PRECISERR precise data bus error",
    10: "IMPRECISERR imprecise data bus error", 11: "UNSTKERR", 12: "STKERR", 15: "BFARVALID",
    16: "UNDEFINSTR undefined instruction", 17: "INVSTATE invalid state",
    18: "INVPC invalid PC load", 19: "NOCP no coprocessor", 24: "UNALIGNED unaligned access",
    25: "DIVBYZERO divide by zero",
}
_VALID_FLAGS = {"MMARVALID", "BFARVALID"}


@dataclass(frozen=True)
class Failure:
    expr: str
    file: str
    line: int
    detail: str = ""  # e.g. "(1 vs 2)"


@dataclass(frozen=True)
class CaseLog:
    name: str
    failures: tuple[Failure, ...] = ()
    finished: bool = False  # a later case or the summary followed it


@dataclass(frozen=True)
class Crash:
    """The firmware's own fault line, or a sanitizer report."""

    kind: str
    line: str
    pc: int | None = None
    cfsr: int = 0
    bfar: int | None = None
    mmfar: int | None = None

    def describe(self) -> str:
        """E.g. 'HardFault at pc 0x00000a3c: PRECISERR precise data bus error, address 0xe0100000'."""
        if self.pc is None:
            return self.line
        causes = [text for bit, text in _CFSR_BITS.items()
                  if self.cfsr >> bit & 1 and text not in _VALID_FLAGS]
        text = f"{self.kind} at pc 0x{self.pc:08x}"
        if causes:
            text += ": " + ", ".join(causes)
        if self.cfsr >> 15 & 1 and self.bfar is not None:
            text += f", address 0x{self.bfar:08x}"
        elif self.cfsr >> 7 & 1 and self.mmfar is not None:
            text += f", address 0x{self.mmfar:08x}"
        return text


@dataclass(frozen=True)
class ParsedLog:
    cases: tuple[CaseLog, ...] = ()
    summary: tuple[int, int] | None = None  # (passed, total)
    sentinel: str | None = None  # SENTINEL_PASS or SENTINEL_FAIL (FAIL wins if both)
    crash: Crash | None = None
    stray_failures: tuple[Failure, ...] = field(default=())  # failures before any case
    last_lines: tuple[str, ...] = ()

    @property
    def failures(self) -> tuple[Failure, ...]:
        return self.stray_failures + tuple(f for c in self.cases for f in c.failures)


def parse_crash(line: str) -> Crash | None:
    """The crash described by one line, or None."""
    if m := _CRASH.match(line):
        return Crash(kind=m["kind"], line=line, pc=int(m["pc"], 16), cfsr=int(m["cfsr"], 16),
                     bfar=int(m["bfar"], 16), mmfar=int(m["mmfar"], 16))
    if _SANITIZER.match(line):
        return Crash(kind="sanitizer", line=line)
    return None


def is_final_line(line: str) -> bool:
    """True for a line after which the program has nothing more to say: a sentinel alone on
    its line, or a crash report. Runners stop non-exiting targets here."""
    return line.rstrip() in (SENTINEL_PASS, SENTINEL_FAIL) or parse_crash(line) is not None


class _Builder:
    """Accumulates cases while scanning; kept private so ParsedLog stays immutable."""

    def __init__(self) -> None:
        self.cases: list[tuple[str, list[Failure]]] = []
        self.stray: list[Failure] = []

    def failure(self, failure: Failure) -> None:
        (self.cases[-1][1] if self.cases else self.stray).append(failure)


def parse_log(lines: Iterable[str], tail: int = 20) -> ParsedLog:
    """Parse a whole log. Lines may carry CR or trailing spaces; anything unrecognised is
    ordinary output and ignored (it is kept only in last_lines)."""
    b = _Builder()
    summary: tuple[int, int] | None = None
    sentinel: str | None = None
    crash: Crash | None = None
    recent: list[str] = []
    for raw in lines:
        line = raw.rstrip("\r\n")
        recent = (recent + [line])[-tail:]
        stripped = line.rstrip()
        if stripped in (SENTINEL_PASS, SENTINEL_FAIL):
            sentinel = SENTINEL_FAIL if SENTINEL_FAIL in (sentinel, stripped) else SENTINEL_PASS
        elif m := _CASE.match(line):
            b.cases.append((m["name"], []))
        elif m := _FAILURE.match(line):
            b.failure(Failure(m["expr"], m["file"], int(m["line"]), m["detail"].strip()))
        elif m := _SUMMARY.match(line):
            summary = (int(m["passed"]), int(m["total"]))
        elif crash is None:
            crash = parse_crash(line)
    n = len(b.cases)
    cases = tuple(CaseLog(name, tuple(fails), finished=i < n - 1 or summary is not None)
                  for i, (name, fails) in enumerate(b.cases))
    return ParsedLog(cases=cases, summary=summary, sentinel=sentinel, crash=crash,
                     stray_failures=tuple(b.stray), last_lines=tuple(recent))
