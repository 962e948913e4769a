"""debug: where the breakpoint comes from, the gdb command line, the IDE snippet, and the
errors that come before anything starts (the real gdb and QEMU: tests/integration)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from tflm_test import cli
from tflm_test.debug import (DebugConfig, DebugPlan, breakpoint_for, first_failure, gdb_argv,
                             last_result)
from tflm_test.errors import TflmTestError
from tflm_test.pipeline import RunOptions
from tflm_test.reports.json_report import json_text
from tflm_test.results import BinaryResult, CaseResult, Verdict
from tflm_test.runners.docker import DockerLauncher
from tflm_test.session import RESULT_NAME
from tflm_test.targets import load_boards
from tflm_test.testlog import CaseStatus, Failure

from .test_elf import GOOD, write


def _result(binary: Path, target: str = "bluepill", line: int = 10) -> BinaryResult:
    failing = CaseResult("FailsOnPurpose", CaseStatus.FAIL,
                         (Failure("42 == answer", "fail.c", line, "42 vs 41"),), "failed")
    crashed = CaseResult("Crashes", CaseStatus.FAIL, (), "crashed")
    return BinaryResult(binary.resolve(), target, "qemu netduino2", Verdict.FAIL, "1 failed",
                        0.1, None, None,
                        cases=(CaseResult("Passes", CaseStatus.PASS), crashed, failing))


def _run_folder(out: Path, result: BinaryResult, key: str) -> Path:
    path = out / result.target / key / RESULT_NAME
    path.parent.mkdir(parents=True)
    path.write_text(json_text([result]))
    return path


def _config(binary: Path, out: Path, **kw: object) -> DebugConfig:
    return DebugConfig(binary=binary, target="bluepill", options=RunOptions(out_dir=out), **kw)


def test_the_case_breaks_at_its_first_failing_check(tmp_path: Path) -> None:
    elf = tmp_path / "fail.elf"
    _run_folder(tmp_path / "out", _result(elf), "fail")
    assert breakpoint_for(_config(elf, tmp_path / "out", case="FailsOnPurpose")) == "fail.c:10"
    # No --case: the first case that has a failing check.
    assert breakpoint_for(_config(elf, tmp_path / "out")) == "fail.c:10"
    assert breakpoint_for(_config(elf, tmp_path / "out", location="x.c:3")) == "x.c:3"


def test_the_newest_run_of_that_binary_counts(tmp_path: Path) -> None:
    elf = tmp_path / "fail.elf"
    out = tmp_path / "out"
    old = _run_folder(out, _result(elf, line=10), "a/fail")
    _run_folder(out, _result(tmp_path / "other.elf", line=99), "other")
    new = _run_folder(out, _result(elf, line=12), "fail")
    os.utime(new, (1000, 1000))
    os.utime(old, (2000, 2000))
    assert last_result(elf, "bluepill", None, out)["cases"][2]["failures"][0]["line"] == 10
    os.utime(new, (3000, 3000))
    assert breakpoint_for(_config(elf, out, case="FailsOnPurpose")) == "fail.c:12"
    assert last_result(elf, "qemu_cortexm3", None, out) is None  # another target's runs


def test_from_names_the_report(tmp_path: Path) -> None:
    elf = tmp_path / "fail.elf"
    report = tmp_path / "r.json"
    report.write_text(json_text([_result(tmp_path / "x.elf"), _result(elf, line=7)]))
    config = _config(elf, tmp_path / "out", case="FailsOnPurpose", report=report)
    assert breakpoint_for(config) == "fail.c:7"
    with pytest.raises(TflmTestError, match=r"--from .*r\.json: no result for .*y\.elf on bluepill"):
        breakpoint_for(_config(tmp_path / "y.elf", tmp_path / "out", case="A", report=report))
    report.write_text("{}")
    with pytest.raises(TflmTestError, match="not a tflm-test JSON report"):
        breakpoint_for(config)


def test_a_case_without_an_earlier_run_says_what_to_do(tmp_path: Path) -> None:
    elf = tmp_path / "fail.elf"
    with pytest.raises(TflmTestError, match=r"--case A: no earlier result .* \(run it first, e\.g\. `tflm-test run "):
        breakpoint_for(_config(elf, tmp_path / "out", case="A"))
    assert breakpoint_for(_config(elf, tmp_path / "out")) == "main"


def test_a_case_that_is_not_there_or_has_no_check(tmp_path: Path) -> None:
    record = json.loads(json_text([_result(tmp_path / "fail.elf")]))["results"][0]
    with pytest.raises(TflmTestError, match=r"case 'Nope' is not in .* Passes, Crashes, Fails"):
        first_failure(record, "Nope")
    with pytest.raises(TflmTestError, match=r"case 'Crashes' has no failing check .* --break"):
        first_failure(record, "Crashes")
    with pytest.raises(TflmTestError, match=r"'Passes' has no failing check .*PASS: passed"):
        first_failure(record, "Passes")


def test_gdb_attaches_to_the_server_or_runs_the_program() -> None:
    elf = Path("/b/fail.elf")
    assert gdb_argv(elf, "fail.c:10", "127.0.0.1:4242", ("print x",), batch=True) == [
        "gdb-multiarch", "-q", "-batch", "/b/fail.elf", "-ex", "target remote 127.0.0.1:4242",
        "-ex", "break fail.c:10", "-ex", "continue", "-ex", "print x"]
    assert gdb_argv(elf, "x.c:3", "127.0.0.1:1", start=("monitor start",))[-6:] == [
        "-ex", "break x.c:3", "-ex", "monitor start", "-ex", "continue"]  # Renode's
    assert gdb_argv(elf, "main", None) == [
        "gdb-multiarch", "-q", "-ex", "break main", "-ex", "run", "--args", "/b/fail.elf"]


def test_launch_json_for_both_extensions(tmp_path: Path) -> None:
    target = load_boards().get("bluepill")
    plan = DebugPlan(Path("/b/fail.elf"), target, "fail.c:10", (), None, "127.0.0.1:4242",
                     None, "qemu netduino2")
    cortex, cpp = plan.launch_json()
    assert (cortex["type"], cortex["servertype"], cortex["gdbTarget"]) == (
        "cortex-debug", "external", "127.0.0.1:4242")
    assert cortex["postAttachCommands"] == ["break fail.c:10", "continue"]
    assert (cpp["type"], cpp["miDebuggerServerAddress"], cpp["program"]) == (
        "cppdbg", "127.0.0.1:4242", "/b/fail.elf")
    renode = DebugPlan(Path("/b/fail.elf"), target, "fail.c:10", (), None, "127.0.0.1:4242",
                       None, "renode bluepill.resc", ("monitor start",))
    cortex, cpp = renode.launch_json()
    assert cortex["postAttachCommands"] == ["break fail.c:10", "monitor start", "continue"]
    assert cpp["postRemoteConnectCommands"] == [{"text": "monitor start"}]
    host = DebugPlan(Path("/b/fail"), load_boards().get("host"), "main", (), None, None, None,
                     "host")
    (only,) = host.launch_json()
    assert only["type"] == "cppdbg" and "miDebuggerServerAddress" not in only


def test_docker_publishes_the_gdb_port_on_localhost_only(tmp_path: Path) -> None:
    launch = DockerLauncher("img").open(tmp_path)
    argv = list(launch.command(["qemu-system-arm"], tmp_path, publish=(4242,)).argv)
    assert argv[argv.index("--publish") + 1] == "127.0.0.1:4242:4242"
    assert "--network" not in argv  # publishing needs the default bridge
    assert launch.listen_host == "0.0.0.0"  # inside the container; the host sees 127.0.0.1
    plain = list(launch.command(["qemu-system-arm"], tmp_path).argv)
    assert plain[plain.index("--network") + 1] == "none"


def test_missing_gdb_is_one_line_naming_the_package(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    elf = write(tmp_path, GOOD)
    res = CliRunner().invoke(cli.cli, ["debug", str(elf), "--target", "qemu_cortexm3"])
    assert res.exit_code == 2
    assert res.output == ("tflm-test: error: gdb-multiarch not found; install the Debian "
                          "package gdb-multiarch (ci/setup does)\n")

