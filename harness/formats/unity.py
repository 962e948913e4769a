"""ThrowTheSwitch Unity output (unity.c: UnityConcludeTest, UnityEnd), as CMSIS-NN and many
vendor SDKs print it. A test prints one result line when it ends and nothing when it
starts, so a case that never finished is invisible here (only an expected-case list shows
it), and a case's duration runs from the previous result line (the first: from the start).
"""

from __future__ import annotations

import re

from .common import CaseStatus, Failure, Grammar, Summary, clip

# test/test_softmax.c:42:test_softmax_s8:PASS
# test/test_softmax.c:57:test_softmax_s16:FAIL: Expected 1 Was 2
# test/test_softmax.c:61:test_softmax_big:IGNORE: needs 64 KB
# (UNITY_INCLUDE_EXEC_TIME builds add " (3 ms)" to each)
RESULT = re.compile(r"^(?P<file>[^:\s][^:]*):(?P<line>\d+):(?P<name>[^:\s]+):"
                    r"(?P<word>PASS|FAIL|IGNORE)(?::\s?(?P<message>.*?))?(?: \(\d+ ms\))?\s*$")
# 3 Tests 1 Failures 0 Ignored
COUNTS = re.compile(r"^(?P<total>\d+) Tests (?P<failed>\d+) Failures (?P<ignored>\d+) Ignored\s*$")

_STATUS = {"PASS": CaseStatus.PASS, "FAIL": CaseStatus.FAIL, "IGNORE": CaseStatus.SKIP}
_VERDICT = {"OK": True, "FAIL": False}  # the line after the counts


def recognises(line: str) -> bool:
    """True for a line only this format prints (a result line or the counts)."""
    return bool(RESULT.match(line) or COUNTS.match(line))


class UnityGrammar(Grammar):
    def __init__(self) -> None:
        super().__init__()
        self._since: float = 0.0  # when the previous case ended: the next one's start

    def feed(self, line: str, t: float | None) -> None:
        if self.summary is not None:
            if (word := line.strip()) in _VERDICT:
                self.claims_pass = _VERDICT[word]
                self.complete = True
        elif m := RESULT.match(line):
            self._result(m, t)
        elif m := COUNTS.match(line):
            self.summary = Summary(total=int(m["total"]), failed=int(m["failed"]),
                                   skipped=int(m["ignored"]))

    def _result(self, m: re.Match[str], t: float | None) -> None:
        status, message = _STATUS[m["word"]], m["message"] or ""
        self.cases.start(m["name"], self._since if t is not None else None)
        if status is CaseStatus.FAIL:
            # For FAIL, Unity prints where the failing assertion is.
            self.cases.failure(Failure(clip(message or "FAIL"), clip(m["file"]), int(m["line"])))
        self.cases.end(t, status, message=message if status is CaseStatus.SKIP else "")
        if t is not None:
            self._since = t
