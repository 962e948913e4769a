"""tflm-test on a project that is not ours (tests/sample_project/: its own Makefile, port,
three test frameworks, its own board lm3s6965), the way a user runs it: `tflm-test --target T`
in the project's folder builds it as its tflm-test.toml says and judges every binary and
every case as expected.json says. Real arm-none-eabi-gcc, real QEMU."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import tflm_test

SAMPLE = ROOT / "tests" / "sample_project"
EXPECTED = json.loads((SAMPLE / "expected.json").read_text())

pytestmark = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="needs arm-none-eabi-gcc and qemu-system-arm (ci/setup installs both)")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the sample project, without anything an earlier build left."""
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("build"))
    return copy


def judged(report: Path) -> dict[str, dict[str, object]]:
    """binary -> what expected.json says of it, from a tflm-test JSON report."""
    return {r["key"]: {"verdict": r["verdict"], "format": r["format"],
                       "cases": {c["name"]: c["status"] for c in r["cases"]}}
            for r in json.loads(report.read_text())["results"]}


@pytest.mark.parametrize("target", ["qemu_cortexm3", "bluepill", "lm3s6965"])
def test_every_binary_and_case_is_judged_as_expected(project: Path, tmp_path: Path,
                                                     target: str) -> None:
    report = tmp_path / "r.json"
    proc = tflm_test("--target", target, "-j", "2", "--json", str(report), cwd=project)
    assert proc.returncode == 1, proc.stderr  # the sample has failing binaries on purpose
    assert all(ln.startswith("note: ") for ln in proc.stderr.splitlines()), proc.stderr
    assert judged(report) == EXPECTED[target]
    # the failing gtest case points at its source line
    gtest = next(r for r in json.loads(report.read_text())["results"] if r["key"] == "gtest_fail")
    failed = next(c for c in gtest["cases"] if c["status"] == "FAIL")
    assert failed["failures"][0]["file"] == "tests/gtest_fail.c"
    assert failed["failures"][0]["line"] > 0


def test_the_projects_own_board_is_listed_with_its_file(project: Path) -> None:
    proc = tflm_test("targets", cwd=project)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    board = lines.index(next(ln for ln in lines if ln.startswith("lm3s6965 ")))
    assert lines[board + 1].split() == ["from", str(project / "platforms" / "lm3s6965.yaml")]


def test_a_case_or_binary_that_stops_running_is_a_failure(project: Path, tmp_path: Path) -> None:
    first = tmp_path / "first.json"
    tflm_test("--target", "qemu_cortexm3", "--json", str(first), cwd=project)
    doc = json.loads(first.read_text())
    gtest = next(r for r in doc["results"] if r["key"] == "gtest_pass")
    gtest["cases"].append({"name": "Fc.WasHereLastTime", "status": "PASS", "failures": []})
    first.write_text(json.dumps(doc))
    (project / "tests" / "unity_pass.c").unlink()  # a test that silently stops being built
    shutil.rmtree(project / "build")  # as in CI: a clean build

    second = tmp_path / "second.json"
    proc = tflm_test("--target", "qemu_cortexm3", "--expect-from", str(first),
                     "--json", str(second), cwd=project)
    assert proc.returncode == 1
    results = {r["key"]: r for r in json.loads(second.read_text())["results"]}
    assert results["gtest_pass"]["verdict"] == "FAIL"
    missing = next(c for c in results["gtest_pass"]["cases"] if c["name"] == "Fc.WasHereLastTime")
    assert (missing["status"], missing["reason"]) == ("FAIL", "case Fc.WasHereLastTime did not run")
    assert results["unity_pass"]["verdict"] == "FAIL"
    assert "the build made no such binary" in results["unity_pass"]["reason"]
    assert results["micro_test_pass"]["verdict"] == "PASS"  # the rest is judged as before


def test_a_prebuilt_binary_runs_from_any_folder_without_a_project_file(
        project: Path, tmp_path: Path) -> None:
    tflm_test("--target", "qemu_cortexm3", cwd=project)  # builds build/qemu_cortexm3/
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    elf = project / "build" / "qemu_cortexm3" / "unity_pass.elf"
    proc = tflm_test("run", str(elf), "--target", "qemu_cortexm3", cwd=elsewhere)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASS     qemu_cortexm3  unity_pass" in proc.stdout
    proc = tflm_test("--target", "qemu_cortexm3", cwd=elsewhere)  # the main job needs one
    assert proc.returncode == 2
    assert "no tflm-test.toml" in proc.stderr and proc.stderr.count("\n") == 1
