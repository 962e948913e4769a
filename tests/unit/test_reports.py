"""Reporters: JUnit structure, JSON schema, terminal lines."""

from __future__ import annotations

import io
import json
import os
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest

from tflm_test.reports import RunStatus, write_atomic
from tflm_test.reports.files import ReportFiles, ReportUnwritable
from tflm_test.reports.json_report import SCHEMA_VERSION, json_text
from tflm_test.reports.junit import junit_text
from tflm_test.reports.terminal import (Progress, failure_details, progress_line, result_line,
                                       summary_lines)
from tflm_test.results import BinaryResult, CaseResult, Verdict
from tflm_test.testlog import CaseStatus, Failure, Format

FAILURE = Failure("42 == answer", "fail.c", 10, "42 vs 41")
FAILED_B = CaseResult("B", CaseStatus.FAIL, (FAILURE,), FAILURE.describe(), 0.0125, 20931)
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


def test_junit_one_suite_per_binary_one_case_per_test() -> None:
    root = ET.fromstring(junit_text(results()))
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


def test_junit_shows_quarantined_failures_as_skipped_with_their_detail() -> None:
    _, failed, crashed = (replace(r, quarantined=True) for r in results())
    root = ET.fromstring(junit_text([failed, crashed, results()[1]]))
    quarantined, binary, plain = root.findall("testsuite")
    assert {k: quarantined.get(k) for k in ("failures", "errors", "skipped")} == {
        "failures": "0", "errors": "0", "skipped": "2"}  # B (quarantined) and C (a skip)
    case_b = quarantined.findall("testcase")[1].find("skipped")
    assert case_b is not None and case_b.get("type") == "quarantined"
    assert case_b.get("message") == "quarantined FAIL: 42 == answer failed at fail.c:10 (42 vs 41)"
    assert "fail.c:10" in (case_b.text or "")  # the detail stays readable
    crash = binary.find("testcase/skipped")
    assert crash is not None and crash.get("message") == "quarantined CRASH: killed by SIGSEGV"
    assert (binary.get("errors"), plain.get("failures")) == ("0", "1")  # the others unchanged


def test_json_schema_fields() -> None:
    doc = json.loads(json_text(results()))
    assert doc["version"] == SCHEMA_VERSION
    assert doc["status"] == "complete"
    assert doc["summary"] == {"total": 3, "PASS": 1, "FAIL": 1, "CRASH": 1, "TIMEOUT": 0,
                              "ERROR": 0, "FLAKY": 0, "TOO_BIG": 0}
    rec = doc["results"][1]
    assert set(rec) >= {"binary", "target", "runner", "verdict", "duration_s", "exit_code", "log",
                        "cases"}
    assert rec["format"] == "unity" and doc["results"][2]["format"] is None
    assert rec["cases"][1] == {
        "name": "B", "status": "FAIL", "reason": "42 == answer failed at fail.c:10 (42 vs 41)",
        "duration_s": 0.0125, "instructions": 20931,
        "failures": [{"expr": "42 == answer", "file": "fail.c", "line": 10, "detail": "42 vs 41"}]}
    assert rec["cases"][2] == {"name": "C", "status": "SKIP", "reason": "needs 64 KB",
                               "duration_s": None, "instructions": None, "failures": []}
    assert doc["results"][0]["extras"] == {"executed_instructions": 1234}
    assert (doc["results"][0]["tail"], rec["tail"]) == ([], ["Testing B", "bad\x01byte"])


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


@pytest.mark.parametrize("status", [RunStatus.RUNNING, RunStatus.INTERRUPTED])
def test_an_unfinished_run_never_reads_as_a_pass(status: RunStatus) -> None:
    passed = results()[:1]
    assert json.loads(json_text(passed, status))["status"] == str(status)
    root = ET.fromstring(junit_text(passed, status))
    errors = [c for c in root.iter("testcase") if c.find("error") is not None]
    assert [c.get("name") for c in errors] == [f"(run {status})"]


def test_start_replaces_an_earlier_report_with_a_running_one(tmp_path: Path) -> None:
    old = tmp_path / "r.json"
    old.write_text(json_text(results()[:1]))  # an earlier run that passed
    reports = ReportFiles(json=old, junit=tmp_path / "sub" / "r.xml")
    reports.start()
    doc = json.loads(old.read_text())
    assert (doc["status"], doc["results"]) == ("running", [])
    reports.add(results()[1])
    assert [r["verdict"] for r in json.loads(old.read_text())["results"]] == ["FAIL"]
    reports.finish(results(), RunStatus.COMPLETE)
    assert json.loads(old.read_text())["summary"]["total"] == 3
    assert ET.parse(tmp_path / "sub" / "r.xml").getroot().find("testsuite") is not None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "sub"]  # no temp files


def test_unwritable_report_path_is_one_line_exit_2(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    with pytest.raises(ReportUnwritable, match="--junit .*file/r.xml: cannot write") as err:
        ReportFiles(junit=tmp_path / "file" / "r.xml").start()
    assert err.value.exit_code == 2 and "\n" not in str(err.value)


def test_a_report_gets_the_mode_open_would_give_it(tmp_path: Path) -> None:
    old = os.umask(0o027)
    try:
        write_atomic(tmp_path / "r.json", "{}")
    finally:
        os.umask(old)
    assert (tmp_path / "r.json").stat().st_mode & 0o777 == 0o640  # not mkstemp's 0600


def test_a_failed_write_leaves_the_old_file_whole(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "r.json"
    path.write_text("old")
    real_fdopen = os.fdopen

    class FullDisk(io.StringIO):
        def __init__(self, fd: int) -> None:
            super().__init__()
            self.real = real_fdopen(fd, "w")

        def write(self, text: str) -> int:
            raise OSError(28, "No space left on device")

        def close(self) -> None:
            self.real.close()

    monkeypatch.setattr(os, "fdopen", lambda fd, *a, **k: FullDisk(fd))
    with pytest.raises(OSError, match="No space"):
        write_atomic(path, "new")
    assert path.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]


def test_progress_line_counts_failures_and_fits_the_terminal() -> None:
    passed, failed, crashed = results()
    progress = Progress(3).after(passed).after(failed)
    assert progress_line(progress, 65.2, 200) == "[2/3] 1 failed  1:05  last: FAIL bluepill fail"
    assert progress_line(Progress(3), 3725, 200) == "[0/3] 0 failed  1:02:05"
    assert len(progress_line(progress.after(crashed), 1, 20)) == 19  # never wraps
