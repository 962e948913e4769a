"""The gtest and Unity grammars, through parse_log (samples: format_samples.py)."""

from __future__ import annotations

from tflm_test.testlog import CaseStatus, Failure, Format, Summary, parse_log

from .format_samples import (GTEST_CRASH, GTEST_FAIL, GTEST_PASS, GTEST_SKIP, UNITY_CRASH,
                             UNITY_FAIL, UNITY_PASS)


def statuses(lines: list[str]) -> dict[str, CaseStatus | None]:
    return {c.name: c.status for c in parse_log(lines).cases}


def test_gtest_pass_with_crlf_and_error_looking_output() -> None:
    parsed = parse_log(GTEST_PASS)
    assert parsed.format is Format.GTEST
    assert statuses(GTEST_PASS) == {"ArenaTest.AllocatesPersistentBuffers": CaseStatus.PASS,
                                    "ArenaTest.FailsWhenArenaIsTooSmall": CaseStatus.PASS}
    assert parsed.failures == ()
    assert parsed.summary == Summary(total=2, passed=2)
    assert parsed.claims_pass is True


def test_gtest_failures_take_expression_and_evaluated_values() -> None:
    parsed = parse_log(GTEST_FAIL)
    ok, flt, bcast = parsed.cases
    assert (ok.status, flt.status, bcast.status) == (CaseStatus.PASS, CaseStatus.FAIL,
                                                     CaseStatus.FAIL)
    assert flt.failures == (Failure("output_data[i] == expected[i]",
                                    "tensorflow/lite/micro/kernels/add_test.cc", 120, "3 == 4"),)
    assert bcast.failures[0].describe() == (
        "kTfLiteOk == invoke_status failed at tensorflow/lite/micro/kernels/add_test.cc:150 "
        "(0 == 1)")
    assert parsed.summary == Summary(total=3, passed=1, failed=2)
    assert parsed.claims_pass is False
    assert len(parsed.cases) == 3  # the listed names are not cases of their own


def test_gtest_skipped_case() -> None:
    assert statuses(GTEST_SKIP) == {"ConvTest.Int8": CaseStatus.PASS,
                                    "ConvTest.Int4": CaseStatus.SKIP}


def test_gtest_case_cut_off_by_a_crash_is_unfinished() -> None:
    parsed = parse_log(GTEST_CRASH)
    assert statuses(GTEST_CRASH) == {"ConvTest.Int8": CaseStatus.PASS, "ConvTest.Int16": None}
    assert parsed.crash is not None and parsed.crash.kind == "HardFault"
    assert parsed.summary is None and parsed.claims_pass is None


def test_gtest_case_without_end_line_stays_unfinished_when_the_next_starts() -> None:
    parsed = parse_log(["[ RUN      ] A.One", "[ RUN      ] A.Two", "[       OK ] A.Two"])
    assert [(c.name, c.status) for c in parsed.cases] == [("A.One", None),
                                                          ("A.Two", CaseStatus.PASS)]


def test_gtest_end_line_without_run_line_is_still_a_case() -> None:
    parsed = parse_log(["[==========] Running tests.", "[       OK ] A.Lost (0 ms)"])
    assert [(c.name, c.status) for c in parsed.cases] == [("A.Lost", CaseStatus.PASS)]
    # An end line for another case does not close the open one.
    parsed = parse_log(["[ RUN      ] A.One", "[       OK ] A.Two"])
    assert [(c.name, c.status) for c in parsed.cases] == [("A.One", None),
                                                          ("A.Two", CaseStatus.PASS)]


def test_googletest_decorations_are_understood() -> None:
    parsed = parse_log(["[==========] Running 1 test from 1 test suite.",
                        "[----------] 1 test from A", "[ RUN      ] A.One",
                        "[       OK ] A.One (3 ms)",
                        "[==========] 1 test from 1 test suite ran. (3 ms total)",
                        "[  PASSED  ] 1 test."])
    assert parsed.summary == Summary(total=1, passed=1)
    assert parsed.cases[0].status is CaseStatus.PASS


def test_gtest_failure_outside_a_case_is_stray() -> None:
    parsed = parse_log(["[==========] Running tests.", "setup.cc:9: Failure",
                        "  Expression: Init() == kTfLiteOk"])
    assert parsed.stray_failures == (Failure("", "setup.cc", 9),)


def test_unity_results_with_output_before_them() -> None:
    parsed = parse_log(UNITY_PASS)
    assert parsed.format is Format.UNITY
    assert statuses(UNITY_PASS) == {"test_softmax_s8": CaseStatus.PASS,
                                    "test_softmax_s16": CaseStatus.PASS,
                                    "test_softmax_big": CaseStatus.SKIP}
    assert parsed.cases[2].message == "needs 64 KB of RAM"
    assert parsed.summary == Summary(total=3, failed=0, skipped=1)
    assert parsed.claims_pass is True


def test_unity_failure_is_the_message_at_the_assertion() -> None:
    parsed = parse_log(UNITY_FAIL)
    assert parsed.cases[1].failures == (Failure("Expected 1 Was 2", "test_softmax.c", 52),)
    assert parsed.cases[2].message == ""
    assert parsed.summary == Summary(total=3, failed=1, skipped=1)
    assert parsed.claims_pass is False


def test_unity_ok_counts_only_after_the_counts_line() -> None:
    parsed = parse_log(["t.c:1:test_a:PASS", "OK"])
    assert parsed.claims_pass is None


def test_unity_crash_leaves_no_open_case() -> None:
    parsed = parse_log(UNITY_CRASH)
    assert statuses(UNITY_CRASH) == {"test_softmax_s8": CaseStatus.PASS}
    assert parsed.crash is not None


def test_durations_from_line_times() -> None:
    times = [0.5 + i for i in range(len(GTEST_FAIL))]
    durations = [c.duration_s for c in parse_log(GTEST_FAIL, times=times).cases]
    assert durations == [1.0, 4.0, 4.0]
    unity = parse_log(UNITY_PASS, times=[0.25, 1.0, 3.0, 3.5, 4, 4, 4, 4]).cases
    assert [c.duration_s for c in unity] == [0.25, 2.75, 0.5]  # the first from the start
    assert parse_log(GTEST_FAIL).cases[0].duration_s is None
