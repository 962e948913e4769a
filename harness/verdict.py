"""Pure verdict rules: (parsed log, runner outcome, target facts) -> verdict and case results.

The rules, in order (the same for every test-output format):
  ERROR    the emulator itself failed or died (no verdict on the program is possible)
  CRASH    a fault line, a fault/lockup event from the emulator, a sanitizer report, or
           death by signal
  TIMEOUT  the deadline passed first
  FAIL     a failure marker or a failed case, the format's fail marker, no pass marker (or
           no known format at all), a case that started and never finished, no summary or
           one that disagrees with the cases seen (0 tests is never a pass), an expected
           case that did not run, or (where the target can exit) a non-zero or missing exit
  PASS     the format's pass marker and none of the above, with a clean exit where the
           target can exit (stopped after the final line where it cannot)
"""

from __future__ import annotations

import signal
from collections.abc import Collection
from dataclasses import dataclass

from .results import CaseResult, Verdict
from .runners.base import RunOutcome
from .testlog import CaseLog, CaseStatus, Format, ParsedLog, clip


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str  # one line, empty for a pass
    cause: str = ""  # CRASH, TIMEOUT, ERROR: what ended the program (the reason, minus the case)


def _signal_name(code: int) -> str:
    try:
        return signal.Signals(-code).name
    except ValueError:
        return f"signal {-code}"


def _open_case(parsed: ParsedLog) -> str:
    last = parsed.cases[-1] if parsed.cases else None
    return f" in case {last.name}" if last and not last.finished else ""


def _crash(parsed: ParsedLog, outcome: RunOutcome) -> str | None:
    if parsed.crash is not None:
        return parsed.crash.describe()
    fault = next((e for e in outcome.events if e.kind in ("fault", "lockup")), None)
    if fault is not None:
        return fault.message
    if outcome.exit_code is not None and outcome.exit_code < 0:
        return f"killed by {_signal_name(outcome.exit_code)}"
    return None


def _status(case: CaseLog) -> CaseStatus:
    """A case's status: a failure marker or no end line makes it a FAIL, whatever its end
    line said."""
    if case.failures or case.status is None:
        return CaseStatus.FAIL
    return case.status


def _failed_cases(parsed: ParsedLog) -> str | None:
    failed = [c for c in parsed.cases if c.finished and _status(c) is CaseStatus.FAIL]
    if parsed.failures:
        f = parsed.failures[0]
        return (f"{len(failed)} of {len(parsed.cases)} cases failed; first: {f.expr} "
                f"at {f.file}:{f.line}")
    if failed:
        return f"{len(failed)} of {len(parsed.cases)} cases failed; first: {failed[0].name}"
    if parsed.claims_pass is False:
        return "the program reported failure without a failure line"
    return None


def _not_concluded(parsed: ParsedLog, outcome: RunOutcome) -> str | None:
    how = (f"exited with status {outcome.exit_code}" if outcome.exit_code is not None
           else "stopped")
    if parsed.format is None:
        return f"{how} without printing test output ({', '.join(Format)})"
    if parsed.claims_pass is not True:
        return f"{how} without printing {parsed.format.pass_marker}"
    unfinished = [c.name for c in parsed.cases if not c.finished]
    return f"case {unfinished[0]} did not finish" if unfinished else None


def _counts(parsed: ParsedLog, marker: str) -> str | None:
    """The printed counts against the cases seen."""
    s = parsed.summary
    if s is None:
        return f"printed {marker} without a summary of the counts"
    if s.total == 0:
        return "0 tests ran"
    statuses = [_status(c) for c in parsed.cases]
    for label, printed, seen in (("tests ran", s.total, len(statuses)),
                                 ("passed", s.passed, statuses.count(CaseStatus.PASS)),
                                 ("failed", s.failed, statuses.count(CaseStatus.FAIL)),
                                 ("skipped", s.skipped, statuses.count(CaseStatus.SKIP))):
        if printed is not None and printed != seen:
            return f"summary says {printed} {label} but the log shows {seen}"
    return None


def _missing(parsed: ParsedLog, expected: Collection[str] | None) -> list[str]:
    seen = {c.name for c in parsed.cases}
    return [name for name in expected or () if clip(name) not in seen]


def _not_run(parsed: ParsedLog, expected: Collection[str] | None) -> str | None:
    missing = _missing(parsed, expected)
    if len(missing) > 1:
        return f"{len(missing)} expected cases did not run: {', '.join(missing)}"
    return f"case {missing[0]} did not run" if missing else None


def _exit(marker: str, outcome: RunOutcome, can_exit: bool, exit_grace_s: float) -> str | None:
    if can_exit and outcome.exit_code is None:
        return f"printed {marker} but did not exit within {exit_grace_s:g}s"
    if can_exit and outcome.exit_code != 0:
        return f"printed {marker} but exited with status {outcome.exit_code}"
    return None


def _failure(parsed: ParsedLog, outcome: RunOutcome, can_exit: bool, exit_grace_s: float,
             expected: Collection[str] | None) -> str | None:
    if (reason := _failed_cases(parsed) or _not_concluded(parsed, outcome)) is not None:
        return reason
    assert parsed.format is not None  # _not_concluded rules out a log of no known format
    marker = parsed.format.pass_marker
    return (_counts(parsed, marker) or _not_run(parsed, expected)
            or _exit(marker, outcome, can_exit, exit_grace_s))


def judge(parsed: ParsedLog, outcome: RunOutcome, can_exit: bool, timeout_s: float,
          exit_grace_s: float = 0.0, expected: Collection[str] | None = None) -> Judgement:
    """The verdict for one binary run (rules in the module docstring).

    Args:
        parsed: the program's log.
        outcome: what the runner saw (exit, timeout, emulator events).
        can_exit: the target can end the program (host, semihosting exit).
        timeout_s: the run's deadline, for the TIMEOUT reason.
        exit_grace_s: how long the program had to exit after its final line.
        expected: case names that must appear in the log; None: no such list.

    Returns:
        The verdict with a one-line reason (empty for a pass).
    """
    broken = next((e for e in outcome.events
                   if e.kind in ("emulator-error", "emulator-died")), None)
    if broken is not None:
        return Judgement(Verdict.ERROR, clip(broken.message), clip(broken.message))
    if (crash := _crash(parsed, outcome)) is not None:
        return Judgement(Verdict.CRASH, clip(crash + _open_case(parsed)), clip(crash))
    if outcome.timed_out:
        # A runner may have judged the hang itself, before the wall clock ran out (Renode:
        # no output for a stretch of virtual time); its reason is the better one.
        why = outcome.extras.get("hang") or f"no final line after {timeout_s:g}s"
        return Judgement(Verdict.TIMEOUT, clip(why + _open_case(parsed)), clip(why))
    if (failure := _failure(parsed, outcome, can_exit, exit_grace_s, expected)) is not None:
        return Judgement(Verdict.FAIL, clip(failure))
    return Judgement(Verdict.PASS, "")


_CUT_SHORT = {Verdict.CRASH: "the program crashed", Verdict.TIMEOUT: "the program timed out"}


def _unfinished_reason(judgement: Judgement, is_last: bool) -> str:
    if not is_last:
        return "did not finish: the next case started before its result line"
    if judgement.verdict in _CUT_SHORT:
        return f"did not finish: {_CUT_SHORT[judgement.verdict]} ({judgement.cause})"
    if judgement.verdict is Verdict.ERROR:
        return f"did not finish: {judgement.reason}"
    return "did not finish: the log ends before its result line"


def _case_reason(case: CaseLog, judgement: Judgement, is_last: bool) -> str:
    if not case.finished:
        return _unfinished_reason(judgement, is_last)
    if case.failures:
        more = len(case.failures) - 1
        return case.failures[0].describe() + (f"; {more} more" if more else "")
    if case.status is CaseStatus.FAIL:
        return "the log reports it failed, without a failure line"
    return (case.message or "skipped") if case.status is CaseStatus.SKIP else ""


def case_results(parsed: ParsedLog, judgement: Judgement,
                 expected: Collection[str] | None = None) -> tuple[CaseResult, ...]:
    """One result per case in the log, in log order, then a FAIL for each expected case
    that never appeared.

    Args:
        parsed: the program's log.
        judgement: the binary's verdict (it says why an unfinished case was cut short).
        expected: case names that must appear; None: no such list.

    Returns:
        PASS, FAIL or SKIP per case, each non-pass with a one-line reason.
    """
    last = len(parsed.cases) - 1
    results = [CaseResult(c.name, _status(c), c.failures,
                          clip(_case_reason(c, judgement, i == last)), c.duration_s)
               for i, c in enumerate(parsed.cases)]
    results += [CaseResult(clip(name), CaseStatus.FAIL, reason=clip(f"case {name} did not run"))
                for name in _missing(parsed, expected)]
    return tuple(results)
