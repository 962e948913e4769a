"""Every recorded log of the three formats (tests/data/logs/formats/, from the sample
project on qemu-system-arm 7.2): its format, verdict, cases and final line.

Each log is judged with the outcome tflm-test's runner would report for that run (the
folder's README gives each program's exit): exiting boards exit by themselves; the crashing
programs print nothing when they fault, so their fault comes from QEMU's event log
(<name>.qemu.log) as a runner event, with the message our QEMU event parser gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tflm_test.results import Verdict
from tflm_test.runners.base import RunnerEvent, RunOutcome
from tflm_test.testlog import CaseStatus, Format, final_line_rule, parse_log
from tflm_test.verdict import case_results, judge

FOLDER = Path(__file__).resolve().parents[1] / "data" / "logs" / "formats"
P, F, S = CaseStatus.PASS, CaseStatus.FAIL, CaseStatus.SKIP


@dataclass(frozen=True)
class Expected:
    format: Format
    verdict: Verdict
    reason: str
    cases: dict[str, CaseStatus]
    exit_code: int | None = 0  # None: the program never exits (stopped or faulted)
    fault: str | None = None  # the fault QEMU reported, as a runner event
    can_exit: bool = True
    final: str | None = None  # the line the stop rule must stop at (None: never)
    reasons: dict[str, str] = field(default_factory=dict)  # per case, where it matters


MICRO_PASS = {"MultFromRatio": P, "RequantizeRoundsHalfAwayFromZero": P, "AddSaturates": P,
              "FcMatchesGoldenAndReleasesScratch": P}
GTEST_PASS = {"Add.Saturates": P, "Fc.MatchesGolden": P, "Fc.ReportsSmallArena": P,
              "Requantize.RoundsHalfAwayFromZero": P}
UNITY_PASS = {"test_add_saturates": P, "test_fc_matches_golden": P,
              "test_fc_per_channel_weights": S, "test_requantize_rounds_half_away_from_zero": P}
PREFETCH = "HardFault (Prefetch Abort: CFSR.IACCVIOL)"
UNDEF = "HardFault (Undefined Instruction)"
INVSTATE = "HardFault (v7M INVSTATE UsageFault)"

EXPECTED = {
    "micro_test_pass.log": Expected(Format.MICRO_TEST, Verdict.PASS, "", MICRO_PASS,
                                    final="~~~ALL TESTS PASSED~~~"),
    "micro_test_fail.log": Expected(
        Format.MICRO_TEST, Verdict.FAIL,
        "2 of 3 cases failed; first: -1 == out[0] at tests/micro_test_fail.c:24",
        {"AddSaturates": P, "FcMatchesTruncatingGolden": F, "FcScratchFitsBudget": F},
        exit_code=1, final="~~~SOME TESTS FAILED~~~",
        reasons={"FcMatchesTruncatingGolden":
                 "-1 == out[0] failed at tests/micro_test_fail.c:24 (-1 vs 0)"}),
    "micro_test_crash.log": Expected(
        Format.MICRO_TEST, Verdict.CRASH, f"{PREFETCH} in case CallsUnprogrammedHook",
        {"AddSaturates": P, "CallsUnprogrammedHook": F}, exit_code=None, fault=PREFETCH,
        reasons={"CallsUnprogrammedHook": f"did not finish: the program crashed ({PREFETCH})"}),
    "gtest_pass.log": Expected(Format.GTEST, Verdict.PASS, "", GTEST_PASS,
                               final="~~~ALL TESTS PASSED~~~"),
    # QEMU's own first line ("Timer with period zero, disabling") changes nothing.
    "gtest_pass.lm3s6965.log": Expected(Format.GTEST, Verdict.PASS, "", GTEST_PASS,
                                        final="~~~ALL TESTS PASSED~~~"),
    "gtest_fail.log": Expected(
        Format.GTEST, Verdict.FAIL,
        "2 of 4 cases failed; first: -1 == out[0] at tests/gtest_fail.c:22",
        {"Add.Saturates": P, "Fc.MatchesTruncatingGolden": F, "Fc.RejectsZeroInputs": F,
         "Requantize.RoundsHalfAwayFromZero": P}, exit_code=1,
        final="[  FAILED  ] Fc.RejectsZeroInputs",
        reasons={"Fc.RejectsZeroInputs":
                 "TOY_ERR_ARG == toy_fc_eval(&fc, case_fc_input(), out, &arena) failed at "
                 "tests/gtest_fail.c:33 (-1 == -2)"}),
    "gtest_crash_mid_case.log": Expected(
        Format.GTEST, Verdict.CRASH, f"{UNDEF} in case Fc.CrashesMidCase",
        {"Add.Saturates": P, "Fc.CrashesMidCase": F}, exit_code=None, fault=UNDEF,
        reasons={"Fc.CrashesMidCase": f"did not finish: the program crashed ({UNDEF})"}),
    "gtest_zero_tests.log": Expected(Format.GTEST, Verdict.FAIL, "0 tests ran", {},
                                     final="~~~ALL TESTS PASSED~~~"),
    "unity_pass.log": Expected(Format.UNITY, Verdict.PASS, "", UNITY_PASS, final="OK"),
    # A board that cannot exit: stopped at OK, before QEMU says it was terminated.
    "unity_pass.bluepill.log": Expected(Format.UNITY, Verdict.PASS, "", UNITY_PASS,
                                        exit_code=None, can_exit=False, final="OK"),
    "unity_fail.log": Expected(
        Format.UNITY, Verdict.FAIL,
        "2 of 4 cases failed; first: Expected -1 Was 0 at tests/unity_fail.c:23",
        {"test_add_saturates": P, "test_fc_matches_truncating_golden": F,
         "test_fc_fits_small_arena": F, "test_fc_per_channel_weights": S}, exit_code=2,
        final="FAIL",
        reasons={"test_fc_fits_small_arena": "Expected TRUE Was FALSE failed at "
                                             "tests/unity_fail.c:32",
                 "test_fc_per_channel_weights": "skipped"}),
    # Unity prints nothing when a test starts: the crashed test leaves no name behind.
    "unity_crash.log": Expected(Format.UNITY, Verdict.CRASH, INVSTATE,
                                {"test_add_through_op_table": P}, exit_code=None,
                                fault=INVSTATE),
}


def read(name: str) -> list[str]:
    # As session.py reads a log; keepends so the parser itself meets the CR LF.
    text = (FOLDER / name).read_text(encoding="utf-8", errors="replace")
    return text.splitlines(keepends=True)


def outcome(exp: Expected) -> RunOutcome:
    events = (RunnerEvent("fault", exp.fault),) if exp.fault else ()
    return RunOutcome(exit_code=exp.exit_code, timed_out=False,
                      stopped=exp.exit_code is None, duration_s=0.5, events=events)


def test_every_recorded_log_has_an_expectation() -> None:
    recorded = {p.name for p in FOLDER.glob("*.log") if not p.name.endswith(".qemu.log")}
    assert recorded == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_log(name: str) -> None:
    exp = EXPECTED[name]
    parsed = parse_log(read(name))
    assert parsed.format is exp.format
    judgement = judge(parsed, outcome(exp), exp.can_exit, timeout_s=5, exit_grace_s=2)
    assert (judgement.verdict, judgement.reason) == (exp.verdict, exp.reason)
    results = case_results(parsed, judgement)
    assert {c.name: c.status for c in results} == exp.cases
    assert [c.name for c in results] == list(exp.cases)  # log order
    reasons = {c.name: c.reason for c in results}
    assert {n: reasons[n] for n in exp.reasons} == exp.reasons
    assert all(c.reason == "" for c in results if c.status is P)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_recorded_log_final_line(name: str) -> None:
    rule = final_line_rule()
    lines = read(name)
    final = next((line.rstrip("\r\n") for line in lines if rule(line)), None)
    assert final == EXPECTED[name].final


def test_expected_cases_show_what_a_unity_crash_hides() -> None:
    parsed = parse_log(read("unity_crash.log"))
    expected = ["test_add_through_op_table", "test_conv_through_op_table", "test_never_runs"]
    judgement = judge(parsed, outcome(EXPECTED["unity_crash.log"]), True, 5, expected=expected)
    assert judgement.verdict is Verdict.CRASH
    results = case_results(parsed, judgement, expected=expected)
    assert [(c.name, c.status, c.reason) for c in results[1:]] == [
        ("test_conv_through_op_table", F, "case test_conv_through_op_table did not run"),
        ("test_never_runs", F, "case test_never_runs did not run")]


def test_error_lines_inside_passing_cases_do_not_fail_them() -> None:
    parsed = parse_log(read("gtest_pass.log"))
    assert any(line.startswith("ERROR: toy_fc") for line in parsed.last_lines)
    assert parsed.failures == ()
    unity = parse_log(read("unity_fail.log"))  # an ERROR line between two results
    assert [len(c.failures) for c in unity.cases] == [0, 1, 1, 0]
