"""The Renode runner on real Renode with the bluepill fixture firmware (tests/firmware).

Needs renode (TFLM_TEST_RENODE, else `renode` on PATH) and arm-none-eabi-gcc; skipped with a
reason otherwise. One Renode serves the whole module, as one session worker would.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tflm_test.errors import RunnerUnavailable
from tflm_test.runners.base import RunnerConfig, RunOutcome, RunRequest
from tflm_test.runners.renode import RenodeRunner
from tflm_test.targets import load_boards
from tflm_test.testlog import SENTINEL_FAIL, SENTINEL_PASS, final_line_rule

from .conftest import tflm_test

pytestmark = [pytest.mark.integration, pytest.mark.renode]

RENODE = os.environ.get("TFLM_TEST_RENODE") or shutil.which("renode")
if RENODE is None:
    pytest.skip("no Renode: set TFLM_TEST_RENODE=/path/to/renode or put renode on PATH "
                "(Renode is optional and user-provided)", allow_module_level=True)
if shutil.which("arm-none-eabi-gcc") is None:
    pytest.skip("arm-none-eabi-gcc missing (Debian package gcc-arm-none-eabi)",
                allow_module_level=True)


@pytest.fixture(scope="module")
def fixtures(root: Path) -> Path:
    subprocess.run(["make", "-s", "-C", str(root / "reference_runtime"), "TARGET=bluepill",
                    "fixtures"], check=True, capture_output=True)
    return root / "reference_runtime" / "gen" / "bluepill" / "fixtures"


def make_runner(root: Path) -> RenodeRunner:
    target = load_boards().get("bluepill")
    spec = next(e for e in target.emulators if e.runner == "renode")
    return RenodeRunner(target, spec, RunnerConfig(renode=Path(str(RENODE))))


@pytest.fixture(scope="module")
def runner(root: Path) -> Iterator[RenodeRunner]:
    with make_runner(root) as r:
        r.check_available()
        yield r


def run(runner: RenodeRunner, elf: Path, work: Path, timeout_s: float = 20.0) -> RunOutcome:
    return runner.run(RunRequest(binary=elf, log_path=work / f"{elf.stem}.log", work_dir=work,
                                 timeout_s=timeout_s, stop_on=final_line_rule()))


def output(work: Path, name: str) -> list[str]:
    return (work / f"{name}.log").read_text().splitlines()


def test_pass_stops_on_final_line(runner: RenodeRunner, fixtures: Path, tmp_path: Path) -> None:
    outcome = run(runner, fixtures / "pass.elf", tmp_path)
    assert outcome.stopped and not outcome.timed_out and outcome.events == ()
    assert output(tmp_path, "pass")[-1] == SENTINEL_PASS
    assert outcome.extras["executed_instructions"] > 0
    assert outcome.extras["emulator_version"].startswith("Renode, version")
    assert "machine-0: Machine started" in (tmp_path / "renode.log").read_text()


def test_fail(runner: RenodeRunner, fixtures: Path, tmp_path: Path) -> None:
    outcome = run(runner, fixtures / "fail.elf", tmp_path)
    assert outcome.stopped and outcome.events == ()
    lines = output(tmp_path, "fail")
    assert lines[-1] == SENTINEL_FAIL and "1/2 tests passed" in lines


def test_crash_with_our_handler(runner: RenodeRunner, fixtures: Path, tmp_path: Path) -> None:
    outcome = run(runner, fixtures / "hardfault.elf", tmp_path)
    assert outcome.stopped and outcome.duration_s < 5
    assert output(tmp_path, "hardfault")[-1].startswith("*** UsageFault pc=0x")
    assert [e.kind for e in outcome.events] == ["fault"]


def test_crash_with_spinning_handler(runner: RenodeRunner, fixtures: Path, tmp_path: Path) -> None:
    outcome = run(runner, fixtures / "hardfault_spin.elf", tmp_path)
    assert outcome.stopped and not outcome.timed_out and outcome.duration_s < 5
    assert outcome.events[0].kind == "fault" and "UsageFault" in outcome.events[0].message
    assert output(tmp_path, "hardfault_spin") == ["Testing ExecutesUndefinedInstruction"]


def test_unmapped_read_is_a_fault(runner: RenodeRunner, fixtures: Path, tmp_path: Path) -> None:
    outcome = run(runner, fixtures / "bus_fault.elf", tmp_path)
    assert [e.kind for e in outcome.events] == ["fault"]
    assert "0xE0100000" in outcome.events[0].message


def test_jump_to_unmapped_memory(runner: RenodeRunner, fixtures: Path, tmp_path: Path) -> None:
    outcome = run(runner, fixtures / "renode_bad_jump.elf", tmp_path)
    assert outcome.stopped and outcome.duration_s < 5
    assert any("CPU abort at pc=0x30000000" in e.message for e in outcome.events)


def test_hang_times_out(runner: RenodeRunner, fixtures: Path, tmp_path: Path) -> None:
    outcome = run(runner, fixtures / "hang.elf", tmp_path, timeout_s=2.0)
    assert outcome.timed_out and not outcome.stopped
    assert 2.0 <= outcome.duration_s < 6.0
    assert output(tmp_path, "hang") == ["Testing LoopsForever"]


def test_hang_judged_by_virtual_time(root: Path, fixtures: Path, tmp_path: Path) -> None:
    with make_runner(root) as r:
        r.stall_virtual_s = 0.5
        outcome = run(r, fixtures / "hang.elf", tmp_path, timeout_s=60.0)
    assert outcome.timed_out and outcome.duration_s < 30
    assert "virtual time" in outcome.extras["hang"]


def test_many_binaries_one_renode_same_counts(runner: RenodeRunner, fixtures: Path,
                                              tmp_path: Path) -> None:
    first = run(runner, fixtures / "pass.elf", tmp_path / "1")
    pid = runner.pid
    rest = [run(runner, fixtures / name, tmp_path / str(i))
            for i, name in enumerate(["fail.elf", "pass.elf", "fail.elf", "pass.elf"], 2)]
    assert runner.pid == pid
    assert all(o.stopped for o in rest)
    assert rest[1].extras["executed_instructions"] == first.extras["executed_instructions"]
    assert rest[3].extras["executed_instructions"] == first.extras["executed_instructions"]
    assert rest[0].extras["executed_instructions"] == rest[2].extras["executed_instructions"]
    assert max(o.duration_s for o in rest) < 2.0  # a fresh Renode would take 3-5 s


def test_killed_renode_is_reported_and_replaced(root: Path, fixtures: Path,
                                                tmp_path: Path) -> None:
    with make_runner(root) as r:
        run(r, fixtures / "pass.elf", tmp_path / "warm")
        pid = r.pid
        assert pid is not None
        threading.Timer(1.0, os.killpg, (pid, signal.SIGKILL)).start()
        outcome = run(r, fixtures / "hang.elf", tmp_path / "killed")
        assert [e.kind for e in outcome.events] == ["emulator-died"]
        assert outcome.duration_s < 10
        again = run(r, fixtures / "pass.elf", tmp_path / "again")
        assert again.stopped and r.pid not in (None, pid)
    assert not _alive(pid)


def test_close_leaves_no_process(root: Path, fixtures: Path, tmp_path: Path) -> None:
    r = make_runner(root)
    run(r, fixtures / "pass.elf", tmp_path)
    pid = r.pid
    r.close()
    r.close()
    assert pid is not None and not _alive(pid)


def _alive(pgid: int) -> bool:
    time.sleep(0.2)
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def test_cancel_stops_at_once(root: Path, fixtures: Path, tmp_path: Path) -> None:
    cancel = threading.Event()
    with make_runner(root) as r:
        run(r, fixtures / "pass.elf", tmp_path / "warm")
        pid = r.pid
        threading.Timer(1.0, cancel.set).start()
        outcome = r.run(RunRequest(binary=fixtures / "hang.elf", log_path=tmp_path / "hang.log",
                                   work_dir=tmp_path, timeout_s=30.0, stop_on=final_line_rule(),
                                   cancel=cancel))
        assert outcome.interrupted and not outcome.timed_out and outcome.duration_s < 5
        assert pid is not None and not _alive(pid)


def test_keyboard_interrupt_quits_renode(root: Path, fixtures: Path, tmp_path: Path) -> None:
    def interrupt(line: str) -> bool:
        raise KeyboardInterrupt

    r = make_runner(root)
    run(r, fixtures / "pass.elf", tmp_path / "warm")
    pid = r.pid
    with pytest.raises(KeyboardInterrupt):
        r.run(RunRequest(binary=fixtures / "pass.elf", log_path=tmp_path / "pass.log",
                         work_dir=tmp_path, timeout_s=30.0, stop_on=interrupt))
    assert r.pid is None and pid is not None and not _alive(pid)


def test_a_path_that_is_not_renode_is_one_clear_error(root: Path) -> None:
    target = load_boards().get("bluepill")
    spec = next(e for e in target.emulators if e.runner == "renode")
    runner = RenodeRunner(target, spec, RunnerConfig(renode=Path("/bin/true")))
    with pytest.raises(RunnerUnavailable, match=r"/bin/true is not a working renode.*--renode PATH"):
        runner.check_available()


# ---- through the CLI, as a user runs it ----

def test_main_job_on_renode(tmp_path: Path) -> None:
    """`tflm-test --target bluepill --emulator renode`: every runtime test on Renode's STM32F103,
    with instruction counts and the Renode version in the report."""
    report = tmp_path / "r.json"
    proc = tflm_test("--target", "bluepill", "--emulator", "renode", "--renode", str(RENODE),
                     "-j", "2", "--json", str(report), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    records = json.loads(report.read_text())["results"]
    assert {Path(r["binary"]).stem for r in records} >= {"micro_speech_test", "interp_test"}
    for record in records:
        assert (record["verdict"], record["runner"]) == ("PASS", "renode bluepill.resc"), record
        assert record["extras"]["executed_instructions"] > 0
        assert record["extras"]["emulator_version"].startswith("Renode, version 1.")


def test_fixture_verdicts_through_the_cli(fixtures: Path, tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    names = ("pass", "fail", "hardfault", "hardfault_spin", "hang")
    proc = tflm_test("run", *(str(fixtures / f"{n}.elf") for n in names), "--target", "bluepill",
                     "--emulator", "renode", "--renode", str(RENODE), "--timeout", "5",
                     "--json", str(report), "--out", str(tmp_path / "out"))
    assert proc.returncode == 1
    verdicts = {Path(r["binary"]).stem: r["verdict"]
                for r in json.loads(report.read_text())["results"]}
    assert verdicts == {"pass": "PASS", "fail": "FAIL", "hardfault": "CRASH",
                        "hardfault_spin": "CRASH", "hang": "TIMEOUT"}


def test_forced_renode_that_is_missing_is_one_line_exit_2(fixtures: Path) -> None:
    proc = tflm_test("run", str(fixtures / "pass.elf"), "--target", "bluepill",
                     "--emulator", "renode", "--renode", "/nonexistent/renode")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("tflm-test: error: ")


@pytest.mark.skipif(shutil.which("gdb-multiarch") is None, reason="needs gdb-multiarch")
def test_debug_stops_at_the_failing_check_on_renode(fixtures: Path, tmp_path: Path) -> None:
    """`tflm-test debug` on Renode's gdb server: the failing check of fail.c, its local, and
    the program runs on to its final line once gdb continues."""
    elf, out = fixtures / "fail.elf", tmp_path / "out"
    renode = ["--emulator", "renode", "--renode", str(RENODE), "--out", str(out)]
    ran = tflm_test("run", str(elf), "--target", "bluepill", *renode)
    assert ran.returncode == 1, ran.stdout + ran.stderr
    proc = tflm_test("debug", str(elf), "--target", "bluepill", "--case", "FailsOnPurpose",
                     *renode, "--batch", "--ex", "print answer", "--ex", "delete 1",
                     "--ex", "continue", timeout=180)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "breakpoint ../tests/firmware/fail.c:10" in proc.stderr
    assert "$1 = 41\n" in proc.stdout and "fail.c:10" in proc.stdout, proc.stdout
    uart = (out / "debug" / "bluepill" / "fail" / "uart.txt").read_text()
    assert uart.startswith("Testing Passes\nTesting FailsOnPurpose\n")
