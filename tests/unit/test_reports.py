"""Reporters: JUnit structure, JSON schema, terminal lines."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

from tflm_test.reports.json_report import SCHEMA_VERSION, write_json
from tflm_test.reports.junit import write_junit
from tflm_test.reports.terminal import failure_details, result_line, summary_lines
from tflm_test.results import BinaryResult, CaseResult, Verdict
from tflm_test.testlog import CaseStatus, Failure, Format

FAILURE = Failure("42 == answer", "fail.c", 10, "42 vs 41")
FAILED_B = CaseResult("B", CaseStatus.FAIL, (FAILURE,), FAILURE.describe(), 0.0125)
SKIPPED_C = CaseResult("C", CaseStatus.SKIP, reason="needs 64 KB")


def results() -> list[BinaryResult]:
    passed = BinaryResult(Path("/b/pass.elf"), "bluepill", "renode", Verdict.PASS, "", 0.5, None,
                          Path("/o/pass.log"), (CaseResult("A", CaseStatus.PASS),),
                          {"executed_instructions": 1234}, format=Format.MICRO_TEST)
    failed = BinaryResult(Path("/b/fail.elf"), "bluepill", "renode", Verdict.FAIL,
                          "1 of 2 cases failed", 0.25, None, Path("/o/fail.log"),
                          (CaseResult("A", CaseStatus.PASS), FAILED_B, SKIPPED_C),
                          tail=("Testing B", "bad\x01byte"), format=Format.UNITY)
    crashed = BinaryResult(Path("/b/crash.elf"), "host", "host", Verdict.CRASH,
                           "killed by SIGSEGV", 0.1, -11, Path("/o/crash.log"), ())
    return [passed, failed, crashed]


def test_junit_one_suite_per_binary_one_case_per_test(tmp_path: Path) -> None:
    write_junit(results(), tmp_path / "r.xml")
    root = ET.parse(tmp_path / "r.xml").getroot()
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["bluepill.pass", "bluepill.fail", "host.crash"]
    fail_cases = suites[1].findall("testcase")
    assert [c.get("name") for c in fail_cases] == ["A", "B", "C"]
    assert {k: suites[1].get(k) for k in ("tests", "failures", "errors", "skipped")} == {
        "tests": "3", "failures": "1", "errors": "0", "skipped": "1"}
    failure = fail_cases[1].find("failure")
    assert failure is not None
    assert failure.get("message") == "42 == answer failed at fail.c:10 (42 vs 41)"
    assert "\x01" not in (failure.text or "")  # control bytes stripped, XML stays valid
    assert (fail_cases[0].get("time"), fail_cases[1].get("time")) == (None, "0.013")
    skipped = fail_cases[2].find("skipped")
    assert skipped is not None and skipped.get("message") == "needs 64 KB"
    formats = [s.find("properties/property[@name='format']") for s in suites]
    assert [f.get("value") for f in formats if f is not None] == ["micro_test", "unity", ""]
    crash_case = suites[2].find("testcase")
    assert crash_case is not None and crash_case.get("name") == "(binary)"
    assert crash_case.find("error").get("message") == "killed by SIGSEGV"  # type: ignore[union-attr]


def test_json_schema_fields(tmp_path: Path) -> None:
    write_json(results(), tmp_path / "r.json")
    doc = json.loads((tmp_path / "r.json").read_text())
    assert doc["version"] == SCHEMA_VERSION
    assert doc["summary"] == {"total": 3, "PASS": 1, "FAIL": 1, "CRASH": 1, "TIMEOUT": 0,
                              "ERROR": 0}
    rec = doc["results"][1]
    assert set(rec) >= {"binary", "target", "runner", "verdict", "duration_s", "exit_code", "log",
                        "cases"}
    assert rec["format"] == "unity" and doc["results"][2]["format"] is None
    assert rec["cases"][1] == {
        "name": "B", "status": "FAIL", "reason": "42 == answer failed at fail.c:10 (42 vs 41)",
        "duration_s": 0.0125,
        "failures": [{"expr": "42 == answer", "file": "fail.c", "line": 10, "detail": "42 vs 41"}]}
    assert rec["cases"][2] == {"name": "C", "status": "SKIP", "reason": "needs 64 KB",
                               "duration_s": None, "failures": []}
    assert doc["results"][0]["extras"] == {"executed_instructions": 1234}


def test_terminal_lines() -> None:
    passed, failed, crashed = results()
    assert result_line(passed).startswith("PASS     bluepill       pass")
    assert "1234 instr" in result_line(passed)
    assert result_line(failed).endswith("renode  1 skipped\n         1 of 2 cases failed")
    assert "skipped" not in result_line(passed)
    assert failure_details(passed) == []
    assert failure_details(failed)[-1] == "         full log: /o/fail.log"
    assert summary_lines(results()) == ["bluepill: 2 binaries: 1 pass, 1 fail",
                                        "host: 1 binaries: 1 crash", "1 passed, 2 failed"]
