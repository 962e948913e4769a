"""Pure verdict rules: (parsed log, runner outcome, target facts) -> verdict and case results.

The rules, in order:
  ERROR    the emulator itself failed or died (no verdict on the program is possible)
  CRASH    a fault line, a fault/lockup event from the emulator, a sanitizer report, or
           death by signal
  TIMEOUT  the deadline passed first
  FAIL     a failure marker, the fail sentinel, no pass sentinel, a summary that does not
           add up, or (where the target can exit) a non-zero or missing exit
  PASS     the pass sentinel alone on its line, no failure marker, and a clean exit where
           the target can exit (stopped after the sentinel where it cannot)
"""

from __future__ import annotations

import signal
from dataclasses import dataclass

from .results import CaseResult, Verdict
from .runners.base import RunOutcome
from .testlog import SENTINEL_FAIL, SENTINEL_PASS, ParsedLog


@dataclass(frozen=True)
class Judgement:
    verdict: Verdict
    reason: str


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


def _failure(parsed: ParsedLog, outcome: RunOutcome, can_exit: bool,
             exit_grace_s: float) -> str | None:
    failures = parsed.failures
    if failures:
        f = failures[0]
        failed_cases = sum(1 for c in parsed.cases if c.failures)
        return (f"{failed_cases} of {len(parsed.cases)} cases failed; first: {f.expr} "
                f"at {f.file}:{f.line}")
    if parsed.sentinel == SENTINEL_FAIL:
        return "the program reported failure without a failure line"
    if parsed.sentinel != SENTINEL_PASS:
        how = (f"exited with status {outcome.exit_code}" if outcome.exit_code is not None
               else "stopped")
        return f"{how} without printing {SENTINEL_PASS}"
    if parsed.summary is not None and parsed.summary[0] != parsed.summary[1]:
        return f"summary says {parsed.summary[0]}/{parsed.summary[1]} tests passed"
    if can_exit and outcome.exit_code is None:
        return f"printed {SENTINEL_PASS} but did not exit within {exit_grace_s:g}s"
    if can_exit and outcome.exit_code != 0:
        return f"printed {SENTINEL_PASS} but exited with status {outcome.exit_code}"
    return None


def judge(parsed: ParsedLog, outcome: RunOutcome, can_exit: bool,
          timeout_s: float, exit_grace_s: float = 0.0) -> Judgement:
    """The verdict for one binary run (rules in the module docstring)."""
    broken = next((e for e in outcome.events
                   if e.kind in ("emulator-error", "emulator-died")), None)
    if broken is not None:
        return Judgement(Verdict.ERROR, broken.message)
    if (crash := _crash(parsed, outcome)) is not None:
        return Judgement(Verdict.CRASH, crash + _open_case(parsed))
    if outcome.timed_out:
        # A runner may have judged the hang itself, before the wall clock ran out (Renode:
        # no output for a stretch of virtual time); its reason is the better one.
        why = outcome.extras.get("hang") or f"no final line after {timeout_s:g}s"
        return Judgement(Verdict.TIMEOUT, why + _open_case(parsed))
    if (failure := _failure(parsed, outcome, can_exit, exit_grace_s)) is not None:
        return Judgement(Verdict.FAIL, failure)
    return Judgement(Verdict.PASS, "")


def case_results(parsed: ParsedLog, judgement: Judgement) -> tuple[CaseResult, ...]:
    """One result per `Testing X`: FAIL with its failures, PASS when it finished cleanly; an
    unfinished last case takes the binary's verdict (CRASH, TIMEOUT...)."""
    results = []
    for case in parsed.cases:
        if case.failures:
            status = Verdict.FAIL
        elif case.finished:
            status = Verdict.PASS
        else:
            status = judgement.verdict if judgement.verdict is not Verdict.PASS else Verdict.FAIL
        results.append(CaseResult(case.name, status, case.failures))
    return tuple(results)
