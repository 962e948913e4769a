"""Real firmware on real QEMU through the CLI: each kind of run gets its verdict."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tflm_test.elf import check_elf
from tflm_test.errors import BadBinary
from tflm_test.targets import load_boards

from .conftest import TFLM_TEST, FixtureBuilder, tflm_test

# fixture -> (verdict, words the reason must contain), per target family.
EXPECTED_CORTEX_M = {
    "pass": ("PASS", ""),
    "fail": ("FAIL", "42 == answer at ../tests/firmware/fail.c:10"),
    "hardfault": ("CRASH", "UNDEFINSTR undefined instruction in case ExecutesUndefinedInstruction"),
    "hardfault_spin": ("CRASH", "HardFault (Undefined Instruction) at pc 0x"),
    "hang": ("TIMEOUT", "in case LoopsForever"),
}
EXITING = {
    "sentinel_then_exit1": ("FAIL", "but exited with status 1"),
    "never_exits": ("FAIL", "but did not exit within 2s"),
}
BOARD = {  # bluepill cannot exit: its programs are stopped at the final line
    "sentinel_then_exit1": ("PASS", ""),
    "never_exits": ("PASS", ""),
}


def udf_address(elf: Path) -> int:
    """Where the fixture's undefined instruction is, from the disassembly."""
    dump = subprocess.run(["arm-none-eabi-objdump", "-d", str(elf)], capture_output=True,
                          text=True, check=True).stdout
    (line,) = [ln for ln in dump.splitlines() if "\tudf\t" in ln]
    return int(line.split(":")[0], 16)


def run_fixtures(elfs: dict[str, Path], names: list[str], target: str, tmp_path: Path,
                 *extra: str) -> tuple[subprocess.CompletedProcess[str], dict[str, dict]]:
    report = tmp_path / "r.json"
    proc = tflm_test("run", *(str(elfs[n]) for n in names), "--target", target,
                     "--timeout", "3", "-j", "2", "--json", str(report),
                     "--out", str(tmp_path / "out"), *extra)
    records = {Path(r["binary"]).stem: r for r in json.loads(report.read_text())["results"]}
    return proc, records


@pytest.mark.parametrize("target,expected", [
    ("qemu_cortexm3", {**EXPECTED_CORTEX_M, **EXITING,
                       "bus_fault": ("CRASH", "PRECISERR precise data bus error, address 0xe0100000")}),
    ("bluepill", {**EXPECTED_CORTEX_M, **BOARD}),
])
def test_fixture_verdicts_on_qemu(target: str, expected: dict[str, tuple[str, str]],
                                  fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    elfs = fixture_elfs(target)
    start = time.monotonic()
    proc, records = run_fixtures(elfs, sorted(expected), target, tmp_path, "--emulator", "qemu")
    assert proc.returncode == 1, proc.stderr
    for name, (verdict, words) in expected.items():
        assert (name, records[name]["verdict"]) == (name, verdict), records[name]
        assert words in records[name]["reason"], records[name]
        assert Path(records[name]["log"]).is_file()
    # A handler that only spins prints nothing: the PC comes from the stacked frame.
    assert f"at pc 0x{udf_address(elfs['hardfault_spin']):08x} " in records["hardfault_spin"]["reason"]
    # Crashes are reported at once, not after the 3 s timeout.
    for name in ("hardfault", "hardfault_spin"):
        assert records[name]["duration_s"] < 2.0, records[name]
    assert time.monotonic() - start < 30


def test_host_fixtures(fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    elfs = fixture_elfs("host")
    expected = {"pass": "PASS", "fail": "FAIL", "segfault": "CRASH", "hang": "TIMEOUT", **{
        k: v[0] for k, v in EXITING.items()}}
    proc, records = run_fixtures(elfs, sorted(expected), "host", tmp_path)
    assert {n: r["verdict"] for n, r in records.items()} == expected
    assert "SIGSEGV" in records["segfault"]["reason"]


def test_cases_and_failures_in_reports(fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    elfs = fixture_elfs("qemu_cortexm3")
    junit = tmp_path / "r.xml"
    proc, records = run_fixtures(elfs, ["fail", "pass"], "qemu_cortexm3", tmp_path,
                                 "--junit", str(junit))
    assert records["fail"]["format"] == "micro_test"
    durations = [case.pop("duration_s") for case in records["fail"]["cases"]]
    assert all(isinstance(d, float) and d >= 0 for d in durations)  # from line arrival times
    counts = [case.pop("instructions") for case in records["fail"]["cases"]]
    assert all(isinstance(n, int) and n > 0 for n in counts)  # from the icount plugin
    assert records["fail"]["cases"] == [
        {"name": "Passes", "status": "PASS", "reason": "", "failures": []},
        {"name": "FailsOnPurpose", "status": "FAIL",
         "reason": "42 == answer failed at ../tests/firmware/fail.c:10 (42 vs 41); 1 more",
         "failures": [
            {"expr": "42 == answer", "file": "../tests/firmware/fail.c", "line": 10,
             "detail": "42 vs 41"},
            {"expr": "answer > 50", "file": "../tests/firmware/fail.c", "line": 11,
             "detail": ""}]}]
    assert records["pass"]["exit_code"] == 0
    assert 'failure type="FAIL" message="42 == answer failed at ../tests/firmware/fail.c:10' \
        in junit.read_text()
    # The failing binary's log tail is shown on the terminal.
    assert "| 42 == answer failed at ../tests/firmware/fail.c:10 (42 vs 41)" in proc.stdout


def test_non_elf_and_wrong_architecture_are_one_line_exit_2(
        fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    junk = tmp_path / "junk.elf"
    junk.write_text("not firmware\n")
    proc = tflm_test("run", str(junk), "--target", "qemu_cortexm3")
    assert (proc.returncode, proc.stderr) == (2, f"tflm-test: error: {junk}: not an ELF file\n")
    host_elf = fixture_elfs("host")["pass"]
    proc = tflm_test("run", str(host_elf), "--target", "bluepill")
    assert proc.returncode == 2
    assert proc.stderr.startswith("tflm-test: error:") and "runs ARM binaries" in proc.stderr
    assert proc.stdout == ""


@pytest.mark.parametrize("target", ["qemu_cortexm3", "bluepill", "host"])
def test_truncated_real_elfs_are_refused(target: str, fixture_elfs: FixtureBuilder,
                                         tmp_path: Path) -> None:
    elf = fixture_elfs(target)["pass"]
    board = load_boards().get(target)
    check_elf(elf, board)  # the whole file is fine
    data = elf.read_bytes()
    for length in (0, 4, 16, 40, 60, 200, 0x1000, len(data) // 2, len(data) - 1):
        cut = tmp_path / f"cut{length}.elf"
        cut.write_bytes(data[:length])
        with pytest.raises(BadBinary, match=f"{cut}: "):
            check_elf(cut, board)


def test_truncated_elf_is_one_line_exit_2_not_a_timeout(fixture_elfs: FixtureBuilder,
                                                        tmp_path: Path) -> None:
    data = fixture_elfs("qemu_cortexm3")["pass"].read_bytes()
    cut = tmp_path / "cut.elf"
    cut.write_bytes(data[:0x1800])  # inside the code segment, which starts at file offset 0x1000
    start = time.monotonic()
    proc = tflm_test("run", str(cut), "--target", "qemu_cortexm3", "--timeout", "30")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert proc.stderr.startswith(f"tflm-test: error: {cut}: truncated ELF: segment 0 ")
    assert proc.stderr.count("\n") == 1
    assert time.monotonic() - start < 10


@pytest.mark.parametrize("built_for,run_on,loads_at", [
    ("bluepill", "qemu_cortexm3", "0x08000000"), ("qemu_cortexm3", "bluepill", "0x00000000")])
def test_another_boards_elf_is_one_line_exit_2(built_for: str, run_on: str, loads_at: str,
                                               fixture_elfs: FixtureBuilder) -> None:
    elf = fixture_elfs(built_for)["pass"]
    proc = tflm_test("run", str(elf), "--target", run_on, "--timeout", "30")
    assert (proc.returncode, proc.stdout) == (2, "")
    assert re.fullmatch(rf"tflm-test: error: {re.escape(str(elf))}: segment 0 loads at "
                        rf"{loads_at}-0x[0-9a-f]{{8}}, outside {run_on}'s memory "
                        r"\(FLASH 0x[0-9a-f]{8}-0x[0-9a-f]{8}, RAM 0x[0-9a-f]{8}-0x[0-9a-f]{8}\)\n",
                        proc.stderr), proc.stderr


def test_fifo_given_as_a_binary_is_one_line_exit_2(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    proc = tflm_test("run", str(fifo), "--target", "host", timeout=30)
    assert (proc.returncode, proc.stdout, proc.stderr) == (
        2, "", f"tflm-test: error: {fifo}: not a regular file\n")


def test_unknown_target_is_one_line_exit_2(root: Path) -> None:
    proc = tflm_test("--target", "bluepil")
    known = ", ".join(sorted(p.stem for p in (root / "platforms").glob("*.yaml")))
    assert proc.returncode == 2
    assert proc.stderr == f"tflm-test: error: unknown target 'bluepil'; known targets: {known}\n"


def test_missing_emulator_names_the_package(fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    elf = fixture_elfs("qemu_cortexm3")["pass"]
    proc = tflm_test("run", str(elf), "--target", "qemu_cortexm3",
                     env={**os.environ, "PATH": "/nonexistent"})
    assert proc.returncode == 2
    assert proc.stderr == ("tflm-test: error: qemu-system-arm not found; install the Debian "
                           "package qemu-system-arm (ci/setup does)\n")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_ctrl_c_stops_everything_and_keeps_results(fixture_elfs: FixtureBuilder,
                                                   tmp_path: Path, sig: signal.Signals) -> None:
    elfs = fixture_elfs("qemu_cortexm3")
    report = tmp_path / "r.json"
    proc = subprocess.Popen([TFLM_TEST, "run", str(elfs["pass"]), str(elfs["hang"]), "-j", "1",
                             "--target", "qemu_cortexm3", "--timeout", "60", "--json", str(report),
                             "--out", str(tmp_path / "out")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 20
    while not (tmp_path / "out" / "qemu_cortexm3" / "hang" / "output.log").exists():
        assert time.monotonic() < deadline
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(sig)
    out, err = proc.communicate(timeout=20)
    assert proc.returncode == 130, (out, err)
    assert err.strip().splitlines()[-1].startswith("tflm-test: error: interrupted")
    records = json.loads(report.read_text())["results"]
    assert [(Path(r["binary"]).stem, r["verdict"]) for r in records] == [
        ("pass", "PASS"), ("hang", "ERROR")]
    left = subprocess.run(["pgrep", "-f", str(elfs["hang"])], capture_output=True, text=True)
    assert left.stdout == "", "QEMU left running after Ctrl-C"
