"""verdict: every rule, on recorded logs and synthetic outcomes."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from tflm_test.results import CaseResult, Verdict
from tflm_test.runners.base import RunnerEvent, RunOutcome
from tflm_test.testlog import SENTINEL_PASS, CaseStatus, parse_log
from tflm_test.verdict import Judgement, case_results, judge

from .format_samples import (GTEST_CRASH, GTEST_FAIL, GTEST_MISCOUNT, GTEST_NONE_RAN,
                             GTEST_PASS, GTEST_SKIP, UNITY_CRASH, UNITY_FAIL, UNITY_MISCOUNT,
                             UNITY_NONE_RAN, UNITY_PASS)


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
    assert [c.status for c in case_results(parsed, j)] == [CaseStatus.PASS, CaseStatus.FAIL]


def test_crash_line_is_crash_and_names_open_case(recorded_logs: Path) -> None:
    parsed = recorded(recorded_logs, "qemu_cortexm3_hardfault.log")
    j = judge(parsed, outcome(3), can_exit=True, timeout_s=10)
    assert j.verdict is Verdict.CRASH
    assert j.reason.endswith("in case ExecutesUndefinedInstruction")
    passed, cut = case_results(parsed, j)
    assert (passed.status, passed.reason) == (CaseStatus.PASS, "")
    assert cut.status is CaseStatus.FAIL
    assert cut.reason == ("did not finish: the program crashed (HardFault at pc 0x00000086: "
                          "UNDEFINSTR undefined instruction)")


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
    assert case_results(parsed, j) == (CaseResult(
        "LoopsForever", CaseStatus.FAIL,
        reason="did not finish: the program timed out (no final line after 3s)"),)


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


def test_interrupted_run_names_the_interrupt_for_the_open_case(recorded_logs: Path) -> None:
    parsed = recorded(recorded_logs, "qemu_cortexm3_hang.log")
    j = judge(parsed, outcome(None, timed_out=True), True, 3)
    stopped = replace(j, verdict=Verdict.ERROR, reason="interrupted (Ctrl-C)")  # as session does
    (case,) = case_results(parsed, stopped)
    assert case.reason == "did not finish: interrupted (Ctrl-C)"


BOARD = {"can_exit": False, "timeout_s": 10}


def stopped() -> RunOutcome:
    return outcome(None, stopped=True)


@pytest.mark.parametrize("lines", [GTEST_PASS, GTEST_SKIP, UNITY_PASS],
                         ids=["gtest", "gtest-skip", "unity"])
def test_passing_logs_of_each_format(lines: list[str]) -> None:
    assert judge(parse_log(lines), stopped(), **BOARD) == Judgement(Verdict.PASS, "")


@pytest.mark.parametrize("lines", [GTEST_NONE_RAN, UNITY_NONE_RAN,
                                   ["0/0 tests passed", SENTINEL_PASS]],
                         ids=["gtest", "unity", "micro_test"])
def test_zero_tests_is_not_a_pass(lines: list[str]) -> None:
    j = judge(parse_log(lines), stopped(), **BOARD)
    assert (j.verdict, j.reason) == (Verdict.FAIL, "0 tests ran")


@pytest.mark.parametrize("lines,reason", [
    (GTEST_MISCOUNT, "summary says 3 tests ran but the log shows 2"),
    (UNITY_MISCOUNT, "summary says 2 tests ran but the log shows 1"),
    (UNITY_PASS[:-2] + ["3 Tests 0 Failures 0 Ignored", "OK"],
     "summary says 0 skipped but the log shows 1"),
    (GTEST_SKIP[:-2] + ["[  PASSED  ] 2 tests.", SENTINEL_PASS],
     "summary says 2 passed but the log shows 1"),
], ids=["gtest-ran", "unity-tests", "unity-ignored", "gtest-passed"])
def test_counts_must_agree_with_the_cases_seen(lines: list[str], reason: str) -> None:
    j = judge(parse_log(lines), stopped(), **BOARD)
    assert (j.verdict, j.reason) == (Verdict.FAIL, reason)


def test_gtest_failures_fail_with_the_first_expression() -> None:
    parsed = parse_log(GTEST_FAIL)
    j = judge(parsed, stopped(), **BOARD)
    assert (j.verdict, j.reason) == (
        Verdict.FAIL, "2 of 3 cases failed; first: output_data[i] == expected[i] at "
                      "tensorflow/lite/micro/kernels/add_test.cc:120")
    assert [(c.status, c.reason) for c in case_results(parsed, j)] == [
        (CaseStatus.PASS, ""),
        (CaseStatus.FAIL, "output_data[i] == expected[i] failed at "
                          "tensorflow/lite/micro/kernels/add_test.cc:120 (3 == 4)"),
        (CaseStatus.FAIL, "kTfLiteOk == invoke_status failed at "
                          "tensorflow/lite/micro/kernels/add_test.cc:150 (0 == 1)")]


def test_unity_failure_and_ignore() -> None:
    parsed = parse_log(UNITY_FAIL)
    j = judge(parsed, stopped(), **BOARD)
    assert j.reason == "1 of 3 cases failed; first: Expected 1 Was 2 at test_softmax.c:52"
    assert [(c.status, c.reason) for c in case_results(parsed, j)] == [
        (CaseStatus.PASS, ""),
        (CaseStatus.FAIL, "Expected 1 Was 2 failed at test_softmax.c:52"),
        (CaseStatus.SKIP, "skipped")]
    skipped = case_results(parse_log(UNITY_PASS), judge(parse_log(UNITY_PASS), stopped(), **BOARD))
    assert (skipped[2].status, skipped[2].reason) == (CaseStatus.SKIP, "needs 64 KB of RAM")


def test_gtest_failed_case_without_failure_line_fails() -> None:
    lines = ["[ RUN      ] A.B", "[  FAILED  ] A.B", "[==========] 1 tests ran.",
             "[  PASSED  ] 0 tests.", "[  FAILED  ] 1 tests, listed below:", "[  FAILED  ] A.B"]
    parsed = parse_log(lines)
    j = judge(parsed, stopped(), **BOARD)
    assert j.reason == "1 of 1 cases failed; first: A.B"
    assert case_results(parsed, j)[0].reason == "the log reports it failed, without a failure line"


def test_fail_list_without_any_failed_case_fails() -> None:
    lines = GTEST_MISCOUNT[:5] + ["[==========] 2 tests ran.", "[  PASSED  ] 2 tests.",
                                  "[  FAILED  ] 1 tests, listed below:", "[  FAILED  ] A.Two"]
    j = judge(parse_log(lines), stopped(), **BOARD)
    assert j.reason == "the program reported failure without a failure line"


@pytest.mark.parametrize("lines,case", [(GTEST_CRASH, "ConvTest.Int16"),
                                        (UNITY_CRASH, None)], ids=["gtest", "unity"])
def test_crash_in_other_formats(lines: list[str], case: str | None) -> None:
    parsed = parse_log(lines)
    j = judge(parsed, stopped(), **BOARD)
    assert j.verdict is Verdict.CRASH
    assert j.reason == "HardFault at pc 0x00000a3c: UNDEFINSTR undefined instruction" + (
        f" in case {case}" if case else "")
    results = case_results(parsed, j)
    assert results[0].status is CaseStatus.PASS
    if case:
        assert results[-1].reason.startswith("did not finish: the program crashed (HardFault at pc")


def test_pass_marker_of_the_format_is_required() -> None:
    truncated = GTEST_PASS[:-1]  # the summary, but no sentinel
    j = judge(parse_log(truncated), stopped(), **BOARD)
    assert j.reason == "stopped without printing ~~~ALL TESTS PASSED~~~"
    j = judge(parse_log(UNITY_PASS[:-1]), outcome(0), can_exit=True, timeout_s=10)
    assert j.reason == "exited with status 0 without printing OK"


def test_log_of_no_known_format_is_never_a_pass() -> None:
    j = judge(parse_log(["hello", SENTINEL_PASS]), outcome(0), can_exit=True, timeout_s=10)
    assert (j.verdict, j.reason) == (Verdict.FAIL, "exited with status 0 without printing "
                                                   "test output (micro_test, gtest, unity)")


def test_pass_marker_without_summary_fails() -> None:
    j = judge(parse_log([*GTEST_PASS[:6], SENTINEL_PASS]), outcome(0), True, 10)
    assert j.reason == "printed ~~~ALL TESTS PASSED~~~ without a summary of the counts"


def test_unfinished_case_before_the_pass_marker_fails() -> None:
    lines = ["[ RUN      ] A.One", *GTEST_PASS]
    parsed = parse_log(lines)
    j = judge(parsed, stopped(), **BOARD)
    assert (j.verdict, j.reason) == (Verdict.FAIL, "case A.One did not finish")
    assert case_results(parsed, j)[0].reason == \
        "did not finish: the next case started before its result line"


def test_expected_case_that_did_not_run_fails() -> None:
    parsed = parse_log(UNITY_PASS)
    names = ["test_softmax_s8", "test_softmax_s16", "test_softmax_big"]
    assert judge(parsed, stopped(), **BOARD, expected=names).verdict is Verdict.PASS
    j = judge(parsed, stopped(), **BOARD, expected=[*names, "test_softmax_s4"])
    assert (j.verdict, j.reason) == (Verdict.FAIL, "case test_softmax_s4 did not run")
    j2 = judge(parsed, stopped(), **BOARD, expected=["x", "y"])
    assert j2.reason == "2 expected cases did not run: x, y"
    results = case_results(parsed, j, expected=[*names, "test_softmax_s4"])
    assert results[-1] == CaseResult("test_softmax_s4", CaseStatus.FAIL,
                                     reason="case test_softmax_s4 did not run")
    assert len(results) == 4


def test_durations_reach_case_results() -> None:
    parsed = parse_log(GTEST_PASS, times=[0.0, 0.1, 0.4, 0.5, 0.6, 1.5, 1.6, 1.6, 1.6])
    results = case_results(parsed, judge(parsed, stopped(), **BOARD))
    assert [round(c.duration_s or 0, 6) for c in results] == [0.3, 1.0]


def test_reasons_are_clipped() -> None:
    huge = "n" * 10_000
    parsed = parse_log([f"Testing {huge}", "x failed at a.c:1", "1/1 tests passed"])
    j = judge(parsed, outcome(None, timed_out=True), True, 3)
    assert len(j.reason) < 700
    assert all(len(c.reason) < 400 and len(c.name) < 400 for c in case_results(
        parsed, j, expected=[huge + "2"]))
