"""verdict: every rule, on recorded logs and synthetic outcomes."""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test.results import Verdict
from tflm_test.runners.base import RunnerEvent, RunOutcome
from tflm_test.testlog import SENTINEL_PASS, parse_log
from tflm_test.verdict import case_results, judge


def outcome(exit_code: int | None = 0, timed_out: bool = False, stopped: bool = False,
            events: tuple[RunnerEvent, ...] = ()) -> RunOutcome:
    return RunOutcome(exit_code=exit_code, timed_out=timed_out, stopped=stopped,
                      duration_s=0.1, events=events)


def recorded(recorded_logs: Path, name: str):
    return parse_log((recorded_logs / name).read_text().splitlines())


PASSING = ["Testing A", "1/1 tests passed", SENTINEL_PASS]


def test_pass_needs_sentinel_and_clean_exit() -> None:
    j = judge(parse_log(PASSING), outcome(0), can_exit=True, timeout_s=10)
    assert (j.verdict, j.reason) == (Verdict.PASS, "")


def test_sentinel_then_nonzero_exit_is_fail() -> None:
    j = judge(parse_log(PASSING), outcome(1), can_exit=True, timeout_s=10)
    assert j.verdict is Verdict.FAIL
    assert "exited with status 1" in j.reason


def test_sentinel_without_exit_fails_where_target_can_exit() -> None:
    j = judge(parse_log(PASSING), outcome(None, stopped=True), can_exit=True, timeout_s=10,
              exit_grace_s=2)
    assert j.verdict is Verdict.FAIL and "did not exit within 2s" in j.reason


def test_board_target_passes_when_stopped_after_sentinel() -> None:
    j = judge(parse_log(PASSING), outcome(None, stopped=True), can_exit=False, timeout_s=10)
    assert j.verdict is Verdict.PASS


def test_exit_zero_without_sentinel_is_fail() -> None:
    j = judge(parse_log(["Testing A"]), outcome(0), can_exit=True, timeout_s=10)
    assert j.verdict is Verdict.FAIL and "without printing" in j.reason


def test_failure_marker_fails_even_with_pass_sentinel() -> None:
    log = ["Testing A", "x failed at a.c:1", "1/1 tests passed", SENTINEL_PASS]
    j = judge(parse_log(log), outcome(0), can_exit=True, timeout_s=10)
    assert j.verdict is Verdict.FAIL and "x at a.c:1" in j.reason


def test_summary_that_does_not_add_up_fails() -> None:
    log = ["Testing A", "0/1 tests passed", SENTINEL_PASS]
    assert judge(parse_log(log), outcome(0), True, 10).verdict is Verdict.FAIL


def test_recorded_failure(recorded_logs: Path) -> None:
    parsed = recorded(recorded_logs, "bluepill_fail.log")
    j = judge(parsed, outcome(None, stopped=True), can_exit=False, timeout_s=10)
    assert j.verdict is Verdict.FAIL
    assert j.reason == "1 of 2 cases failed; first: 42 == answer at ../tests/firmware/fail.c:10"
    assert [c.status for c in case_results(parsed, j)] == [Verdict.PASS, Verdict.FAIL]


def test_crash_line_is_crash_and_names_open_case(recorded_logs: Path) -> None:
    parsed = recorded(recorded_logs, "qemu_cortexm3_hardfault.log")
    j = judge(parsed, outcome(3), can_exit=True, timeout_s=10)
    assert j.verdict is Verdict.CRASH
    assert j.reason.endswith("in case ExecutesUndefinedInstruction")
    assert [c.status for c in case_results(parsed, j)] == [Verdict.PASS, Verdict.CRASH]


def test_fault_event_without_crash_line_is_crash(recorded_logs: Path) -> None:
    parsed = recorded(recorded_logs, "qemu_cortexm3_hardfault_spin.log")
    event = RunnerEvent("fault", "HardFault (Undefined Instruction)")
    j = judge(parsed, outcome(None, stopped=True, events=(event,)), True, 10)
    assert (j.verdict, j.reason) == (Verdict.CRASH,
                                     "HardFault (Undefined Instruction) in case "
                                     "ExecutesUndefinedInstruction")


def test_signal_death_is_crash(recorded_logs: Path) -> None:
    j = judge(recorded(recorded_logs, "host_segfault.log"), outcome(-11), True, 10)
    assert j.verdict is Verdict.CRASH and "SIGSEGV" in j.reason


def test_timeout_names_open_case(recorded_logs: Path) -> None:
    parsed = recorded(recorded_logs, "qemu_cortexm3_hang.log")
    j = judge(parsed, outcome(None, timed_out=True), True, timeout_s=3)
    assert (j.verdict, j.reason) == (Verdict.TIMEOUT, "no final line after 3s in case LoopsForever")
    assert [c.status for c in case_results(parsed, j)] == [Verdict.TIMEOUT]


def test_runner_judged_hang_gives_its_reason(recorded_logs: Path) -> None:
    parsed = recorded(recorded_logs, "bluepill_hang.log")
    hung = RunOutcome(exit_code=None, timed_out=True, stopped=False, duration_s=31.0,
                      extras={"hang": "no output for 30.0s of virtual time (limit 30s)"})
    j = judge(parsed, hung, can_exit=False, timeout_s=60)
    assert j.reason == "no output for 30.0s of virtual time (limit 30s) in case LoopsForever"


@pytest.mark.parametrize("kind", ["emulator-error", "emulator-died"])
def test_broken_emulator_is_error_even_after_a_pass(kind: str) -> None:
    j = judge(parse_log(PASSING), outcome(0, events=(RunnerEvent(kind, "renode died"),)), True, 10)
    assert (j.verdict, j.reason) == (Verdict.ERROR, "renode died")


def test_crash_beats_timeout() -> None:
    crash = "*** HardFault pc=0x10 lr=0x0 cfsr=0x0 hfsr=0x40000000 bfar=0x0 mmfar=0x0"
    j = judge(parse_log(["Testing A", crash]), outcome(None, timed_out=True), True, 10)
    assert j.verdict is Verdict.CRASH
