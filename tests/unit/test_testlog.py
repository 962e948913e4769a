"""testlog: the micro_test contract, on logs recorded from real runs."""

from __future__ import annotations

from pathlib import Path

from tflm_test.testlog import (SENTINEL_FAIL, SENTINEL_PASS, Failure, is_final_line,
                               parse_crash, parse_log)


def lines(path: Path) -> list[str]:
    return path.read_text().splitlines()


def test_passing_log_has_cases_summary_and_pass_sentinel(recorded_logs: Path) -> None:
    parsed = parse_log(lines(recorded_logs / "qemu_cortexm3_pass.log"))
    assert [c.name for c in parsed.cases] == ["AddsNumbers", "ComparesFloats"]
    assert all(c.finished and not c.failures for c in parsed.cases)
    assert parsed.summary == (2, 2)
    assert parsed.sentinel == SENTINEL_PASS
    assert parsed.crash is None


def test_failures_belong_to_their_case_with_file_line_and_values(recorded_logs: Path) -> None:
    parsed = parse_log(lines(recorded_logs / "qemu_cortexm3_fail.log"))
    passes, fails = parsed.cases
    assert passes.failures == ()
    assert fails.failures == (
        Failure("42 == answer", "../tests/firmware/fail.c", 10, "(42 vs 41)"),
        Failure("answer > 50", "../tests/firmware/fail.c", 11, ""),
    )
    assert parsed.summary == (1, 2)
    assert parsed.sentinel == SENTINEL_FAIL


def test_crash_line_is_decoded_with_cause_and_address(recorded_logs: Path) -> None:
    parsed = parse_log(lines(recorded_logs / "qemu_cortexm3_bus_fault.log"))
    assert parsed.crash is not None
    assert parsed.crash.kind == "HardFault"
    assert "PRECISERR precise data bus error, address 0xe0100000" in parsed.crash.describe()
    assert parsed.sentinel is None
    assert not parsed.cases[-1].finished


def test_undefined_instruction_crash_names_pc(recorded_logs: Path) -> None:
    crash = parse_log(lines(recorded_logs / "bluepill_hardfault.log")).crash
    assert crash is not None and crash.pc is not None
    assert crash.describe().startswith(f"HardFault at pc 0x{crash.pc:08x}: UNDEFINSTR")


def test_sentinel_must_be_alone_on_its_line() -> None:
    parsed = parse_log(["Testing A", "echo " + SENTINEL_PASS, "1/1 tests passed"])
    assert parsed.sentinel is None
    assert not is_final_line("prefix " + SENTINEL_PASS)


def test_crlf_and_trailing_spaces_are_tolerated() -> None:
    parsed = parse_log(["Testing A\r", "1/1 tests passed\r", SENTINEL_PASS + "  \r"])
    assert parsed.cases[0].name == "A"
    assert parsed.summary == (1, 1)
    assert parsed.sentinel == SENTINEL_PASS


def test_fail_sentinel_wins_over_pass_sentinel() -> None:
    parsed = parse_log([SENTINEL_PASS, SENTINEL_FAIL, SENTINEL_PASS])
    assert parsed.sentinel == SENTINEL_FAIL


def test_failure_before_any_case_is_kept() -> None:
    parsed = parse_log(["x failed at a.c:3", "Testing A"])
    assert parsed.stray_failures == (Failure("x", "a.c", 3),)
    assert parsed.failures == (Failure("x", "a.c", 3),)


def test_truncated_log_leaves_last_case_open(recorded_logs: Path) -> None:
    parsed = parse_log(lines(recorded_logs / "qemu_cortexm3_hang.log"))
    assert [c.finished for c in parsed.cases] == [False]
    assert parsed.sentinel is None and parsed.summary is None


def test_final_lines() -> None:
    assert is_final_line(SENTINEL_PASS)
    assert is_final_line(SENTINEL_FAIL + "\r")
    assert is_final_line("*** UsageFault pc=0x1 lr=0x2 cfsr=0x10000 hfsr=0x0 bfar=0x0 mmfar=0x0")
    assert is_final_line("==12==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x1")
    assert not is_final_line("Testing Foo")
    assert not is_final_line("1/1 tests passed")


def test_sanitizer_report_is_a_crash() -> None:
    crash = parse_crash("src/x.c:12:5: runtime error: signed integer overflow")
    assert crash is not None and crash.kind == "sanitizer"


def test_last_lines_keep_the_tail() -> None:
    parsed = parse_log([f"line {i}" for i in range(100)], tail=3)
    assert parsed.last_lines == ("line 97", "line 98", "line 99")
