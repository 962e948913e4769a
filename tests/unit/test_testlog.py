"""testlog: the micro_test contract on logs recorded from real runs, format detection,
the stop rule and clipping (the gtest and Unity grammars: test_formats.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test.testlog import (SENTINEL_FAIL, SENTINEL_PASS, CaseStatus, Failure, Format,
                               Summary, clip, detect_format, final_line_rule, parse_crash,
                               parse_log)

from .format_samples import (GTEST_FAIL, GTEST_NONE_RAN, GTEST_PASS, HARDFAULT, UNITY_FAIL,
                             UNITY_NONE_RAN, UNITY_PASS)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines()


def test_passing_log_has_cases_summary_and_pass_sentinel(recorded_logs: Path) -> None:
    parsed = parse_log(lines(recorded_logs / "qemu_cortexm3_pass.log"))
    assert [c.name for c in parsed.cases] == ["AddsNumbers", "ComparesFloats"]
    assert all(c.finished and not c.failures for c in parsed.cases)
    assert [c.status for c in parsed.cases] == [CaseStatus.PASS, CaseStatus.PASS]
    assert parsed.format is Format.MICRO_TEST
    assert parsed.summary == Summary(total=2, passed=2)
    assert parsed.claims_pass is True
    assert parsed.crash is None


def test_failures_belong_to_their_case_with_file_line_and_values(recorded_logs: Path) -> None:
    parsed = parse_log(lines(recorded_logs / "qemu_cortexm3_fail.log"))
    passes, fails = parsed.cases
    assert passes.failures == ()
    assert fails.failures == (
        Failure("42 == answer", "../tests/firmware/fail.c", 10, "42 vs 41"),
        Failure("answer > 50", "../tests/firmware/fail.c", 11, ""),
    )
    assert fails.status is CaseStatus.FAIL
    assert fails.failures[0].describe() == \
        "42 == answer failed at ../tests/firmware/fail.c:10 (42 vs 41)"
    assert parsed.summary == Summary(total=2, passed=1)
    assert parsed.claims_pass is False


def test_crash_line_is_decoded_with_cause_and_address(recorded_logs: Path) -> None:
    parsed = parse_log(lines(recorded_logs / "qemu_cortexm3_bus_fault.log"))
    assert parsed.crash is not None
    assert parsed.crash.kind == "HardFault"
    assert "PRECISERR precise data bus error, address 0xe0100000" in parsed.crash.describe()
    assert parsed.claims_pass is None
    assert not parsed.cases[-1].finished


def test_undefined_instruction_crash_names_pc(recorded_logs: Path) -> None:
    crash = parse_log(lines(recorded_logs / "bluepill_hardfault.log")).crash
    assert crash is not None and crash.pc is not None
    assert crash.describe().startswith(f"HardFault at pc 0x{crash.pc:08x}: UNDEFINSTR")


def test_sentinel_must_be_alone_on_its_line() -> None:
    parsed = parse_log(["Testing A", "echo " + SENTINEL_PASS, "1/1 tests passed"])
    assert parsed.claims_pass is None
    assert not final_line_rule()("prefix " + SENTINEL_PASS)


def test_crlf_and_trailing_spaces_are_tolerated() -> None:
    parsed = parse_log(["Testing A\r", "1/1 tests passed\r", SENTINEL_PASS + "  \r"])
    assert parsed.cases[0].name == "A"
    assert parsed.summary == Summary(total=1, passed=1)
    assert parsed.claims_pass is True


def test_fail_sentinel_wins_over_pass_sentinel() -> None:
    parsed = parse_log(["Testing A", SENTINEL_PASS, SENTINEL_FAIL, SENTINEL_PASS])
    assert parsed.claims_pass is False


def test_failure_before_any_case_is_kept() -> None:
    parsed = parse_log(["x failed at a.c:3", "Testing A"])
    assert parsed.stray_failures == (Failure("x", "a.c", 3),)
    assert parsed.failures == (Failure("x", "a.c", 3),)


def test_truncated_log_leaves_last_case_open(recorded_logs: Path) -> None:
    parsed = parse_log(lines(recorded_logs / "qemu_cortexm3_hang.log"))
    assert [c.finished for c in parsed.cases] == [False]
    assert parsed.claims_pass is None and parsed.summary is None


def test_final_lines() -> None:
    rule = final_line_rule()
    assert rule(SENTINEL_PASS)
    assert rule(SENTINEL_FAIL + "\r")
    assert rule("*** UsageFault pc=0x1 lr=0x2 cfsr=0x10000 hfsr=0x0 bfar=0x0 mmfar=0x0")
    assert rule("==12==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1")
    assert not rule("Testing Foo")
    assert not rule("1/1 tests passed")


def test_sanitizer_report_is_a_crash() -> None:
    crash = parse_crash("src/x.c:12:5: runtime error: signed integer overflow")
    assert crash is not None and crash.kind == "sanitizer"


def test_last_lines_keep_the_tail() -> None:
    parsed = parse_log([f"line {i}" for i in range(100)], tail=3)
    assert parsed.last_lines == ("line 97", "line 98", "line 99")


def test_micro_test_case_durations_run_to_the_next_case_or_summary() -> None:
    parsed = parse_log(["Testing A", "Testing B", "2/2 tests passed", SENTINEL_PASS],
                       times=[1.0, 3.0, 6.5, 6.5])
    assert [c.duration_s for c in parsed.cases] == [2.0, 3.5]


def test_times_must_match_the_lines() -> None:
    with pytest.raises(ValueError, match="2 entries for 1 lines"):
        parse_log(["Testing A"], times=[0.0, 1.0])


@pytest.mark.parametrize("lines,fmt", [
    (GTEST_PASS, Format.GTEST), (GTEST_NONE_RAN, Format.GTEST),
    (UNITY_PASS, Format.UNITY), (UNITY_NONE_RAN, Format.UNITY),
    # Output before the framework's first line does not decide.
    (["booting", "~~~ALL TESTS PASSED~~~", "Testing A"], Format.MICRO_TEST),
    (["0/0 tests passed"], Format.MICRO_TEST),
    (["booting", SENTINEL_PASS], None),
    ([], None),
], ids=["gtest", "gtest-none-ran", "unity", "unity-none-ran", "micro_test-late",
        "micro_test-summary", "sentinel-only", "empty"])
def test_detect_format(lines: list[str], fmt: Format | None) -> None:
    assert detect_format(lines) is fmt
    assert parse_log(lines).format is fmt


def test_first_recognised_line_decides() -> None:
    # A gtest program whose test prints "Testing ..." stays gtest.
    lines = ["[ RUN      ] A.B", "Testing the arena", "[       OK ] A.B"]
    assert detect_format(lines) is Format.GTEST
    assert [c.name for c in parse_log(lines).cases] == ["A.B"]


def test_a_line_two_formats_print_does_not_decide() -> None:
    both = "Testing t.c:1:test_a:PASS"  # "Testing X" and a Unity result line at once
    assert detect_format([both]) is None
    assert detect_format([both, "t.c:2:test_b:PASS"]) is Format.UNITY


def test_forced_format_ignores_other_formats_lines() -> None:
    parsed = parse_log(["Testing A", "t.c:1:test_a:PASS"], fmt=Format.UNITY)
    assert parsed.format is Format.UNITY
    assert [c.name for c in parsed.cases] == ["test_a"]


def final_index(lines: list[str], fmt: Format | None = None) -> int | None:
    """Where a fresh stop rule first says 'final' (None: never)."""
    rule = final_line_rule(fmt)
    return next((i for i, line in enumerate(lines) if rule(line)), None)


def test_gtest_with_failures_ends_at_the_last_listed_name() -> None:
    assert final_index(GTEST_FAIL) == len(GTEST_FAIL) - 1
    assert final_index(GTEST_FAIL[:-1]) is None  # one listed name still to come


def test_gtest_pass_ends_at_its_sentinel() -> None:
    assert final_index(GTEST_PASS) == len(GTEST_PASS) - 1


def test_unity_ends_at_ok_or_fail_after_the_counts() -> None:
    assert final_index(UNITY_PASS) == len(UNITY_PASS) - 1
    assert final_index(UNITY_FAIL) == len(UNITY_FAIL) - 1
    assert final_index(["t.c:1:test_a:PASS", "OK", "FAIL"]) is None  # output, not the end


@pytest.mark.parametrize("fmt", [None, *Format])
def test_crash_line_is_final_in_every_format(fmt: Format | None) -> None:
    assert final_index(["[ RUN      ] A.B", HARDFAULT], fmt) == 1
    assert final_index(["t.c:1:test_a:PASS", HARDFAULT], fmt) == 1


def test_forced_format_rule_needs_no_line_to_detect_it() -> None:
    summary_only = GTEST_FAIL[-5:]  # from "[==========] 3 tests ran."
    assert final_index(summary_only) is None
    assert final_index(summary_only, Format.GTEST) == 4
    assert final_index(UNITY_FAIL[-2:], Format.UNITY) == 1


def test_stop_rules_do_not_share_state() -> None:
    first = final_line_rule()
    for line in GTEST_FAIL[:-1]:
        first(line)
    assert final_line_rule()(GTEST_FAIL[-1]) is False  # a new run starts from scratch
    assert first(GTEST_FAIL[-1]) is True


def test_clip_marks_the_cut() -> None:
    assert clip("short") == "short"
    assert clip("x" * 12, limit=5) == "xxxxx… [+7 chars]"
    assert len(clip("x" * 100_000)) < 400


def test_strings_from_huge_lines_are_clipped() -> None:
    huge = "v" * 50_000
    parsed = parse_log([f"Testing {huge}", f"{huge} == 1 failed at a.c:3 ({huge} vs 1)",
                        huge, HARDFAULT + huge])
    case = parsed.cases[0]
    assert case.name == clip(huge) and case.name.endswith("… [+49700 chars]")
    assert len(case.failures[0].expr) < 400 and len(case.failures[0].detail) < 400
    assert all(len(line) < 400 for line in parsed.last_lines)
    assert parsed.crash is not None and len(parsed.crash.line) < 400
