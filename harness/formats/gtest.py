"""TFLM's GoogleTest-style output (tensorflow/lite/micro/testing/micro_test_v2.h, since
2026-01-29). A case lasts from `[ RUN      ]` to its `[       OK ]`, `[  FAILED  ]` or
`[  SKIPPED ]` line; anything else in between is the test's own output, however alarming
("Failed to allocate..." from a test of an error path is fine). With failures there is no
sentinel: the program's last line is the last name listed after `F tests, listed below:`.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .common import CaseStatus, Failure, Grammar, Summary, clip

# [==========] Running tests.        (GoogleTest: "Running 3 tests from 1 test suite.")
RUNNING = re.compile(r"^\[=+\] Running\b")
# [ RUN      ] ArenaTest.Allocates
RUN = re.compile(r"^\[ RUN +\] (?P<name>\S+)")
# [       OK ] ArenaTest.Allocates        (GoogleTest adds " (0 ms)")
# [  FAILED  ] ArenaTest.Allocates
# [  SKIPPED ] ArenaTest.Allocates
END = re.compile(r"^\[ +(?P<word>OK|FAILED|SKIPPED) +\] (?P<name>[^\s,]+)(?: \(\d+ ms\))?\s*$")
# tensorflow/lite/micro/kernels/add_test.cc:120: Failure
FAILURE = re.compile(r"^(?P<file>\S+?):(?P<line>\d+): Failure\s*$")
#   Expression:  output[i] == expected[i]
#   Evaluated:   3 == 4
DETAIL = re.compile(r"^\s*(?P<key>Expression|Evaluated):\s*(?P<text>.*?)\s*$")
# [==========] 3 tests ran.          (GoogleTest: "3 tests from 1 test suite ran. (2 ms total)")
RAN = re.compile(r"^\[=+\] (?P<n>\d+) tests? (?:from .+ )?ran\.")
# [  PASSED  ] 2 tests.
PASSED = re.compile(r"^\[ +PASSED +\] (?P<n>\d+) tests?\.")
# [  FAILED  ] 1 test, listed below:     (GoogleTest also lists skipped ones so)
LISTED = re.compile(r"^\[ +(?P<word>FAILED|SKIPPED) +\] (?P<n>\d+) tests?, listed below:")

_STATUS = {"OK": CaseStatus.PASS, "FAILED": CaseStatus.FAIL, "SKIPPED": CaseStatus.SKIP}
_FIELD = {"Expression": "expr", "Evaluated": "detail"}


def recognises(line: str) -> bool:
    """True for a line only this format prints (its opening line or a case start)."""
    return bool(RUNNING.match(line) or RUN.match(line))


class GtestGrammar(Grammar):
    def __init__(self) -> None:
        super().__init__()
        self._in_summary = False  # after "N tests ran."
        self._unlisted = 0  # failed names still to come after "F tests, listed below:"

    def feed(self, line: str, t: float | None) -> None:
        if self.sentinel(line):
            return
        if self._in_summary:
            self._summary_line(line)
        elif m := RUN.match(line):
            self.cases.start(m["name"], t)
        elif m := END.match(line):
            self.cases.end(t, _STATUS[m["word"]], m["name"])
        elif m := FAILURE.match(line):
            self.cases.failure(Failure("", clip(m["file"]), int(m["line"])))
        elif m := DETAIL.match(line):
            self.cases.amend_failure(**{_FIELD[m["key"]]: m["text"]})
        elif m := RAN.match(line):
            self._in_summary = True
            self.summary = Summary(total=int(m["n"]))

    def _summary_line(self, line: str) -> None:
        assert self.summary is not None  # set with _in_summary
        if m := PASSED.match(line):
            self.summary = replace(self.summary, passed=int(m["n"]))
        elif m := LISTED.match(line):
            count = int(m["n"])
            if m["word"] == "SKIPPED":
                self.summary = replace(self.summary, skipped=count)
                return
            self.summary = replace(self.summary, failed=count)
            self.claims_pass = False
            self._unlisted = count
            self.complete = count == 0
        elif self._unlisted and (m := END.match(line)) and m["word"] == "FAILED":
            self._unlisted -= 1
            self.complete = self._unlisted == 0
