"""TFLM's micro_test.h output (2019 - Jan 2026; reference_runtime/include/micro_test.h keeps
it): `Testing X` opens a case, which lasts until the next one or the summary."""

from __future__ import annotations

import re

from .common import Failure, Grammar, Summary, clip

# Testing SimpleTest
CASE = re.compile(r"^Testing (?P<name>\S.*?)\s*$")
# x == y failed at tests/foo_test.c:12 (1 vs 2)
FAILURE = re.compile(r"^(?P<expr>.*?) failed at (?P<file>[^\s:]+):(?P<line>\d+)(?P<detail>.*)$")
# 11/12 tests passed
SUMMARY = re.compile(r"^(?P<passed>\d+)/(?P<total>\d+) tests passed\s*$")


def recognises(line: str) -> bool:
    """True for a line only this format prints (a case start or the summary)."""
    return bool(CASE.match(line) or SUMMARY.match(line))


def _detail(rest: str) -> str:
    """'(42 vs 41)' -> '42 vs 41': the values, without the brackets micro_test adds."""
    rest = rest.strip()
    return rest[1:-1] if rest.startswith("(") and rest.endswith(")") else rest


class MicroTestGrammar(Grammar):
    def feed(self, line: str, t: float | None) -> None:
        if self.sentinel(line):
            return
        if m := CASE.match(line):
            self.cases.end(t)
            self.cases.start(m["name"], t)
        elif m := FAILURE.match(line):
            self.cases.failure(Failure(clip(m["expr"]), clip(m["file"]), int(m["line"]),
                                       clip(_detail(m["detail"]))))
        elif m := SUMMARY.match(line):
            self.cases.end(t)
            self.summary = Summary(total=int(m["total"]), passed=int(m["passed"]))
