"""Flaky tests: --retries (a binary that fails and then passes is FLAKY), the quarantine file
(failures it lists are reported but do not fail the run) and `quarantine suggest` (entries
proposed from history: a binary that both passed and failed on the same bytes).

FLAKY fails the run unless quarantined: an intermittent failure is often a real bug (a race,
uninitialised memory, a timing margin), and retrying it into green would hide it. Putting it
in the quarantine file is the reviewed decision to live with it for now.

The quarantine file (TOML):

    [[quarantine]]
    binary = "conv_test"        # the result's key, or the binary's file name
    target = "bluepill"         # optional: every target when absent
    case = "ConvSame"           # optional: the whole binary when absent
    reason = "issue 31: flaky on netduino2"
"""

from __future__ import annotations

import threading
import tomllib
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from .errors import TflmTestError
from .history import Report
from .results import Attempt, BinaryResult, Verdict
from .testlog import CaseStatus

_FAILED = {Verdict.FAIL, Verdict.CRASH, Verdict.TIMEOUT, Verdict.FLAKY}


class BadQuarantine(TflmTestError):
    """A quarantine file that cannot be read."""


def _attempt(result: BinaryResult) -> Attempt:
    return Attempt(result.verdict, result.reason,
                   tuple(c.name for c in result.cases if c.status is CaseStatus.FAIL))


def run_with_retries(run_once: Callable[[int], BinaryResult], retries: int,
                     cancel: threading.Event) -> BinaryResult:
    """Run once, then again (up to `retries` more times) while it does not pass. run_once
    gets the attempt number (1, 2...). Passing after a failure is FLAKY; failing every time
    is the last attempt's verdict; either way every attempt is recorded."""
    results = [run_once(1)]
    while (results[-1].verdict is not Verdict.PASS and len(results) <= retries
           and not cancel.is_set()):
        results.append(run_once(len(results) + 1))
    last = results[-1]
    if len(results) == 1:
        return last
    # The binary cost every attempt's time (what --durations balances shards by).
    spent = {"attempts": tuple(_attempt(r) for r in results),
             "duration_s": sum(r.duration_s for r in results)}
    if last.verdict is not Verdict.PASS:
        return replace(last, **spent)
    first = results[0]
    return replace(last, verdict=Verdict.FLAKY, **spent,
                   reason=f"passed on attempt {len(results)} of {len(results)}; attempt 1: "
                          f"{first.verdict}: {first.reason}")


@dataclass(frozen=True)
class Entry:
    binary: str
    target: str | None = None
    case: str | None = None
    reason: str = ""

    def covers(self, result: BinaryResult) -> bool:
        return (self.binary in (result.name, result.binary.stem, result.binary.name)
                and self.target in (None, result.target))


@dataclass(frozen=True)
class Quarantine:
    source: Path
    entries: tuple[Entry, ...]

    def excuses(self, result: BinaryResult) -> bool:
        """A failure this file lists: the whole binary, or (for a FAIL or FLAKY) every case
        that failed in any attempt."""
        mine = [e for e in self.entries if e.covers(result)]
        if any(e.case is None for e in mine):
            return True
        if result.verdict not in (Verdict.FAIL, Verdict.FLAKY) or not mine:
            return False
        failed = {c.name for c in result.cases if c.status is CaseStatus.FAIL}
        failed |= {name for a in result.attempts for name in a.failed_cases}
        return bool(failed) and failed <= {e.case for e in mine}

    def mark(self, result: BinaryResult) -> BinaryResult:
        if result.verdict is Verdict.PASS or not self.excuses(result):
            return result
        return replace(result, quarantined=True)


_KEYS = {"binary", "target", "case", "reason"}


def _entry(table: object, where: str) -> Entry:
    if not isinstance(table, dict) or not isinstance(table.get("binary"), str):
        raise BadQuarantine(f"{where}: each [[quarantine]] needs binary = \"name\"")
    if extra := sorted(set(table) - _KEYS):
        raise BadQuarantine(f"{where}: unknown key {', '.join(extra)}; known: "
                            f"{', '.join(sorted(_KEYS))}")
    if not all(isinstance(table.get(k, ""), str) for k in _KEYS):
        raise BadQuarantine(f"{where}: binary, target, case and reason are strings")
    return Entry(table["binary"], table.get("target"), table.get("case"), table.get("reason", ""))


def load_quarantine(path: Path, what: str = "--quarantine") -> Quarantine:
    """Raises BadQuarantine: unreadable, not TOML, or not a list of entries."""
    where = f"{what} {path}"
    try:
        with path.open("rb") as fh:
            doc = tomllib.load(fh)
    except OSError as exc:
        raise BadQuarantine(f"{where}: cannot read it ({exc.strerror or exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise BadQuarantine(f"{where}: not valid TOML: {exc}") from None
    if set(doc) - {"quarantine"} or not isinstance(doc.get("quarantine", []), list):
        raise BadQuarantine(f"{where}: expected only [[quarantine]] tables")
    return Quarantine(path, tuple(_entry(t, f"{where}: quarantine[{i}]")
                                  for i, t in enumerate(doc.get("quarantine", []))))


@dataclass(frozen=True)
class Suggestion:
    target: str
    key: str
    sha256: str
    passed: int  # runs (attempts) that passed on these bytes
    failed: int
    cases: tuple[str, ...]  # the cases that failed, when every failure was a case's

    def toml(self) -> str:
        why = (f"# passed {self.passed}, failed {self.failed} times on the same bytes "
               f"(sha256 {self.sha256[:12]})")
        head = f'{why}\n[[quarantine]]\nbinary = "{self.key}"\ntarget = "{self.target}"\n'
        reason = 'reason = "flaky: passed and failed on the same bytes"\n'
        if not self.cases:
            return head + reason
        return "\n".join(head + f'case = "{c}"\n' + reason for c in self.cases)


def _outcomes(result: BinaryResult) -> list[Attempt]:
    return list(result.attempts) or [_attempt(result)]


def suggest(reports: Iterable[Report]) -> list[Suggestion]:
    """Every (target, binary, sha256) that passed in one run or attempt and failed in
    another, across the reports (a FLAKY result alone is both)."""
    seen: dict[tuple[str, str, str], list[Attempt]] = defaultdict(list)
    for report in reports:
        for result in report.results:
            if result.sha256 and not result.cached:  # a cached result is not a new run
                seen[(result.target, result.name, result.sha256)] += _outcomes(result)
    found = []
    for (target, key, sha), outcomes in sorted(seen.items()):
        failed = [a for a in outcomes if a.verdict in _FAILED]
        passed = sum(1 for a in outcomes if a.verdict is Verdict.PASS)
        if failed and passed:
            by_case = all(a.verdict is Verdict.FAIL and a.failed_cases for a in failed)
            cases = sorted({c for a in failed for c in a.failed_cases}) if by_case else []
            found.append(Suggestion(target, key, sha, passed, len(failed), tuple(cases)))
    return found


def suggestion_text(found: Sequence[Suggestion]) -> str:
    return "\n".join(s.toml() for s in found)
