"""The pytest plugin (`pytest --tflm-target T`), in a pytester subprocess: the installed
entry point loads it, as in a user's project. Real builds, real QEMU, one target."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from ..conftest import ROOT

pytest_plugins = ["pytester"]

SAMPLE = ROOT / "tests" / "sample_project"
TARGET = "qemu_cortexm3"
EXPECTED = json.loads((SAMPLE / "expected.json").read_text())[TARGET]

pytestmark = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="needs arm-none-eabi-gcc and qemu-system-arm (ci/setup installs both)")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    copy = tmp_path / "sample"
    shutil.copytree(SAMPLE, copy, ignore=shutil.ignore_patterns("build", "tflm-test-out"))
    return copy


def test_sample_project_binaries_are_items(pytester: pytest.Pytester, sample: Path,
                                           tmp_path: Path) -> None:
    junit = tmp_path / "junit.xml"
    result = pytester.runpytest_subprocess(
        "--tflm-target", TARGET, "--tflm-project", str(sample), "--tflm-out",
        str(tmp_path / "out"), "--tflm-jobs", "2", f"--junitxml={junit}", "-rA")
    passing = sorted(k for k, v in EXPECTED.items() if v["verdict"] == "PASS")
    failing = sorted(k for k, v in EXPECTED.items() if v["verdict"] != "PASS")
    result.assert_outcomes(passed=len(passing), failed=len(failing))
    assert result.ret == pytest.ExitCode.TESTS_FAILED
    # (node ids print relative to where pytest runs: pytester runs one folder down)
    result.stdout.fnmatch_lines_random(
        [f"PASSED *tflm-test/{TARGET}/{key}" for key in passing]
        + [f"FAILED *tflm-test/{TARGET}/{key} - {EXPECTED[key]['verdict']} on *"
           for key in failing])
    # A failure names its cases, the failing check's file:line, the log tail and the log.
    result.stdout.fnmatch_lines([
        "FAIL on qemu mps2-an385: 2 of 3 cases failed; first: -1 == out[0] at "
        "tests/micro_test_fail.c:24",
        "  case AddSaturates: PASS",
        "  case FcMatchesTruncatingGolden: FAIL: -1 == out[0] failed at "
        "tests/micro_test_fail.c:24 (-1 vs 0)",
        "  case FcScratchFitsBudget: FAIL: *tests/micro_test_fail.c:31",
        "         | Testing AddSaturates",
        "*| ~~~SOME TESTS FAILED~~~",
        f"         full log: {tmp_path / 'out'}/{TARGET}/micro_test_fail/output.log",
        f"debug it: tflm-test debug {sample}/build/{TARGET}/micro_test_fail.elf --target "
        f"{TARGET} --case FcMatchesTruncatingGolden",
    ])
    # Crash detection is the library's: the fault and the case it cut short.
    result.stdout.fnmatch_lines(["CRASH on qemu mps2-an385: HardFault (Prefetch Abort: "
                                 "CFSR.IACCVIOL) in case CallsUnprogrammedHook"])
    # One sub-result per case in the JUnit report.
    xml = junit.read_text()
    for key, expected in EXPECTED.items():
        for case, status in expected["cases"].items():
            assert f'<property name="case {case}" value="{status}" />' in xml, (key, case)


def test_our_runtime_through_the_plugin(pytester: pytest.Pytester, tmp_path: Path) -> None:
    result = pytester.runpytest_subprocess(
        "--tflm-target", TARGET, "--tflm-project", str(ROOT), "--tflm-out",
        str(tmp_path / "out"), "-k", "arena_debug_test or softmax_test", "-v")
    result.assert_outcomes(passed=2)
    result.stdout.fnmatch_lines([f"*tflm-test/{TARGET}/arena_debug_test PASSED*",
                                 f"*tflm-test/{TARGET}/softmax_test PASSED*"])


def test_off_unless_asked(pytester: pytest.Pytester, sample: Path) -> None:
    pytester.makepyfile(test_plain="def test_one():\n    pass\n")
    result = pytester.runpytest_subprocess("--tflm-project", str(sample))
    result.assert_outcomes(passed=1)
    assert not (sample / "build").exists()  # nothing was built
    help_text = pytester.runpytest_subprocess("--help").stdout.str()
    assert "--tflm-target=NAME" in help_text


def test_bad_target_is_one_usage_line(pytester: pytest.Pytester, sample: Path) -> None:
    result = pytester.runpytest_subprocess("--tflm-target", "nope", "--tflm-project",
                                           str(sample))
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    result.stderr.fnmatch_lines(["ERROR: tflm-test: unknown target 'nope'*"])
    assert "Traceback" not in result.stderr.str() + result.stdout.str()
