"""Pure parsing of a test binary's output. No I/O: text lines in, a ParsedLog out.

Three formats are understood (harness/formats/): TFLM's micro_test (2019 - Jan 2026), TFLM's
GoogleTest-style micro_test_v2 (since 2026-01-29) and Unity. Each binary's format is the
first line that only one of them prints, unless the caller forces one. Crash lines (our
fault handler, sanitizers) are read the same way in every format.

A log without its format's pass marker is never a pass: crashes, hangs and truncated logs
all look the same here (the marker is missing); verdict.py tells them apart with the
runner's outcome.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from .formats import gtest, micro_test, unity
from .formats.common import (CLIP_LIMIT, SENTINEL_FAIL, SENTINEL_PASS, CaseLog, CaseStatus,
                             Failure, Format, Grammar, Summary, clip)

__all__ = ["CLIP_LIMIT", "SENTINEL_FAIL", "SENTINEL_PASS", "CaseLog", "CaseStatus", "Crash",
           "Failure", "FinalLineRule", "Format", "ParsedLog", "Summary", "clip",
           "detect_format", "final_line_rule", "parse_crash", "parse_log"]


@dataclass(frozen=True)
class _Spec:
    grammar: Callable[[], Grammar]
    recognises: Callable[[str], bool]  # the line is one only this format prints


_FORMATS = {Format.MICRO_TEST: _Spec(micro_test.MicroTestGrammar, micro_test.recognises),
            Format.GTEST: _Spec(gtest.GtestGrammar, gtest.recognises),
            Format.UNITY: _Spec(unity.UnityGrammar, unity.recognises)}

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
    format: Format | None = None  # detected or forced; None: no line of any known format
    cases: tuple[CaseLog, ...] = ()
    summary: Summary | None = None
    claims_pass: bool | None = None  # the format's pass (True) or fail (False) marker
    crash: Crash | None = None
    stray_failures: tuple[Failure, ...] = ()  # failures before any case
    last_lines: tuple[str, ...] = ()

    @property
    def failures(self) -> tuple[Failure, ...]:
        """Every failure in log order, stray ones first."""
        return self.stray_failures + tuple(f for c in self.cases for f in c.failures)


def parse_crash(line: str) -> Crash | None:
    """The crash described by one line, or None."""
    if m := _CRASH.match(line):
        return Crash(kind=m["kind"], line=clip(line), pc=int(m["pc"], 16),
                     cfsr=int(m["cfsr"], 16), bfar=int(m["bfar"], 16), mmfar=int(m["mmfar"], 16))
    if _SANITIZER.match(line):
        return Crash(kind="sanitizer", line=clip(line))
    return None


def _recognise(line: str) -> Format | None:
    """The one format that prints this line, or None (no format, or more than one)."""
    matches = [fmt for fmt, spec in _FORMATS.items() if spec.recognises(line)]
    return matches[0] if len(matches) == 1 else None


def detect_format(lines: Iterable[str]) -> Format | None:
    """The format of a log: decided by its first line that only one format prints.

    Args:
        lines: the log's lines, with or without line ends.

    Returns:
        The format, or None when no line is recognised.
    """
    for line in lines:
        if (fmt := _recognise(line.rstrip("\r\n"))) is not None:
            return fmt
    return None


def parse_log(lines: Sequence[str], fmt: Format | None = None,
              times: Sequence[float] | None = None, tail: int = 20) -> ParsedLog:
    """Parse a whole log. Lines may carry CR or trailing spaces; anything the format does
    not define is the test's own output and ignored (it is kept only in last_lines).

    Args:
        lines: the log, one line per item.
        fmt: force this format instead of detecting it.
        times: times[i] = seconds since the run started when lines[i] arrived; gives each
            case its duration_s.
        tail: how many last lines to keep (each clipped).

    Returns:
        The cases, counts, closing claim, first crash and last lines of the log.

    Raises:
        ValueError: times does not have one entry per line.
    """
    if times is not None and len(times) != len(lines):
        raise ValueError(f"times has {len(times)} entries for {len(lines)} lines")
    clean = [raw.rstrip("\r\n") for raw in lines]
    fmt = fmt if fmt is not None else detect_format(clean)
    grammar = _FORMATS[fmt].grammar() if fmt is not None else None
    crash: Crash | None = None
    recent: deque[str] = deque(maxlen=tail)
    for i, line in enumerate(clean):
        recent.append(clip(line))
        if crash is None:
            crash = parse_crash(line)
        if grammar is not None:
            grammar.feed(line, times[i] if times is not None else None)
    if grammar is None:
        return ParsedLog(crash=crash, last_lines=tuple(recent))
    return ParsedLog(format=fmt, cases=grammar.cases.build(), summary=grammar.summary,
                     claims_pass=grammar.claims_pass, crash=crash,
                     stray_failures=tuple(grammar.cases.stray), last_lines=tuple(recent))


class FinalLineRule:
    """A run's stop rule: True for the line after which the program has nothing more to
    say. That is a crash line, a ~~~ sentinel alone on its line, or the format's own last
    line (gtest: the last listed failure; Unity: OK/FAIL after the counts). Stateful: make
    one per run (final_line_rule())."""

    def __init__(self, fmt: Format | None = None) -> None:
        self._grammar = _FORMATS[fmt].grammar() if fmt is not None else None

    def __call__(self, line: str) -> bool:
        line = line.rstrip("\r\n")
        if line.rstrip() in (SENTINEL_PASS, SENTINEL_FAIL) or parse_crash(line) is not None:
            return True
        if self._grammar is None:
            if (fmt := _recognise(line)) is None:
                return False
            self._grammar = _FORMATS[fmt].grammar()
        self._grammar.feed(line, None)
        return self._grammar.complete


def final_line_rule(fmt: Format | None = None) -> Callable[[str], bool]:
    """A fresh stop rule for one run (see FinalLineRule).

    Args:
        fmt: the binary's format; None detects it from the lines as they come.

    Returns:
        A callable taking each output line in order, True at the program's final line.
    """
    return FinalLineRule(fmt)
