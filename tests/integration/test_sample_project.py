"""The sample project (tests/sample_project/), a TFLM-style project that is not our runtime:
built with its own Makefile and run on real QEMU directly, not through tflm-test. Checks
that its programs print the three recorded formats with the right file:line markers, that
expected.json says what the logs show, and that tests/data/logs/formats/ is current."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from ..conftest import ROOT

SAMPLE = ROOT / "tests" / "sample_project"
RECORDED = ROOT / "tests" / "data" / "logs" / "formats"
EXPECTED = json.loads((SAMPLE / "expected.json").read_text())
MACHINES = {"qemu_cortexm3": "mps2-an385", "bluepill": "netduino2"}  # boards run here
PROGRAMS = sorted(EXPECTED["qemu_cortexm3"])

# Exit status on a board that can exit; None: the program faults and never exits.
EXIT_STATUS = {"micro_test_fail": 1, "gtest_fail": 1, "unity_fail": 2,
               "micro_test_crash": None, "gtest_crash_mid_case": None, "unity_crash": None}
# The kind QEMU's -d int log names for each crash (see tests/data/logs/formats/README.md).
FAULT = {"micro_test_crash": "[Prefetch Abort]", "gtest_crash_mid_case": "[Undefined Instruction]",
         "unity_crash": "[v7M INVSTATE UsageFault]"}
# Where the format puts a failure's location, from the line of a "deliberate failure".
FAILURE_AT = {"micro_test": "failed at {file}:{line}", "gtest": "{file}:{line}: Failure\r\n",
              "unity": "{file}:{line}:"}
# A line after which the program prints nothing more (or the fault has been taken).
FINAL = re.compile(r"^(~~~ALL TESTS PASSED~~~|~~~SOME TESTS FAILED~~~|OK|FAIL|"
                   r"\[  FAILED  \] \d+ tests, listed below:)\r?$", re.M)
FAULT_TAKEN = re.compile(r"^Taking exception \d+ \[(?!Semihosting)", re.M)

pytestmark = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="needs arm-none-eabi-gcc and qemu-system-arm (ci/setup installs both)")


@dataclass(frozen=True)
class Run:
    stderr: bytes  # the semihosted text, verbatim
    events: str  # QEMU's -d int,guest_errors log
    exit_status: int | None  # None: still running when stopped

    @property
    def text(self) -> str:
        return self.stderr.decode(errors="replace")


def run_qemu(machine: str, elf: Path, work: Path, deadline_s: float = 10.0) -> Run:
    """One run; a program that cannot exit is stopped once it has printed its final line
    (or faulted) and gone quiet, as tflm-test does with a board."""
    out, events = work / f"{elf.stem}.log", work / f"{elf.stem}.events"
    argv = ["qemu-system-arm", "-M", machine, "-cpu", "cortex-m3", "-nographic",
            "-monitor", "none", "-serial", "null", "-semihosting-config",
            "enable=on,target=native", "-d", "int,guest_errors", "-D", str(events),
            "-kernel", str(elf)]
    with out.open("wb") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=err)
    try:
        end, last, quiet_since = time.monotonic() + deadline_s, b"", time.monotonic()
        while proc.poll() is None and time.monotonic() < end:
            time.sleep(0.05)
            now = out.read_bytes()
            if now != last:
                last, quiet_since = now, time.monotonic()
            done = FINAL.search(now.decode(errors="replace")) or (
                events.exists() and FAULT_TAKEN.search(events.read_text(errors="replace")))
            if done and time.monotonic() - quiet_since > 0.3:
                break
        status = proc.poll()
    finally:
        proc.kill()  # SIGKILL: QEMU adds no farewell line to the log
        proc.wait()
    return Run(out.read_bytes(), events.read_text(errors="replace") if events.exists() else "",
               status)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample project, built for every board run here (the source tree stays
    clean, and a concurrent run of the lead's end-to-end test does not race us)."""
    project = tmp_path_factory.mktemp("sample") / "sample_project"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("build"))
    for board in MACHINES:
        subprocess.run(["make", "-j4", f"TARGET={board}", "tests"], cwd=project, check=True,
                       capture_output=True)
    return project


@pytest.fixture(scope="module")
def runs(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Run]]:
    """board -> program -> Run; all runs at once (most of their time is spent idle)."""
    jobs = []
    for board, machine in MACHINES.items():
        work = tmp_path_factory.mktemp(board)
        jobs += [(board, machine, elf, work)
                 for elf in sorted((project / "build" / board).glob("*.elf"))]
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        done = list(pool.map(lambda j: (j[0], j[2].stem, run_qemu(j[1], j[2], j[3])), jobs))
    result: dict[str, dict[str, Run]] = {board: {} for board in MACHINES}
    for board, name, run in done:
        result[board][name] = run
    return result


def case_statuses(fmt: str, text: str) -> dict[str, str]:
    """A minimal reading of each format: case -> PASS/FAIL/SKIP; a started case that never
    ended (cut off by a crash) is FAIL."""
    lines = text.replace("\r\n", "\n").split("\n")
    cases: dict[str, str] = {}
    if fmt == "gtest":
        for line in lines:
            if m := re.fullmatch(r"\[ RUN      \] (\S+)|\[       OK \] (\S+)", line):
                cases[m[1] or m[2]] = "FAIL" if m[1] else "PASS"
    elif fmt == "unity":
        for line in lines:
            if m := re.fullmatch(r"[^:]+:\d+:(\w+):(PASS|FAIL|IGNORE).*", line):
                cases[m[1]] = {"IGNORE": "SKIP"}.get(m[2], m[2])
    else:
        summary = any(re.fullmatch(r"\d+/\d+ tests passed", line) for line in lines)
        current = None
        for line in lines:
            if m := re.fullmatch(r"Testing (\S+)", line):
                current, cases[m[1]] = m[1], "PASS"
            elif current and " failed at " in line:
                cases[current] = "FAIL"
        if current and not summary:
            cases[current] = "FAIL"
    return cases


def deliberate_failure_lines(program: str) -> list[int]:
    source = (SAMPLE / "tests" / f"{program}.c").read_text().splitlines()
    return [n for n, line in enumerate(source, 1) if "deliberate failure" in line
            and not line.lstrip().startswith(("/*", "*"))]


@pytest.mark.parametrize("board", sorted(MACHINES))
@pytest.mark.parametrize("program", PROGRAMS)
def test_program_output(runs: dict[str, dict[str, Run]], board: str, program: str) -> None:
    expected, run = EXPECTED[board][program], runs[board][program]
    assert case_statuses(expected["format"], run.text) == expected["cases"], run.text
    for line in deliberate_failure_lines(program):
        marker = FAILURE_AT[expected["format"]].format(file=f"tests/{program}.c", line=line)
        assert marker in run.text, f"{marker!r} not in {run.text!r}"
    if expected["format"] == "gtest":  # serial-console line endings, every line
        assert run.text.endswith("\r\n") and "\n" not in run.text.replace("\r\n", "")
    else:
        assert "\r" not in run.text
    if program in FAULT:
        assert FAULT[program] in run.events, run.events
        assert run.exit_status is None
    elif board == "bluepill":
        assert run.exit_status is None  # a board never exits, even when all is done
    else:
        assert run.exit_status == EXIT_STATUS.get(program, 0), run.text


def test_failing_programs_have_failure_lines() -> None:
    for program in ("micro_test_fail", "gtest_fail", "unity_fail"):
        assert len(deliberate_failure_lines(program)) == 2, program


def test_boards_print_the_same_text(runs: dict[str, dict[str, Run]]) -> None:
    for program in PROGRAMS:
        assert runs["bluepill"][program].stderr == runs["qemu_cortexm3"][program].stderr, program


def test_recorded_logs_are_current(runs: dict[str, dict[str, Run]]) -> None:
    """tests/data/logs/formats/<program>.log is what the program prints today."""
    for program in PROGRAMS:
        recorded = (RECORDED / f"{program}.log").read_bytes()
        assert recorded == runs["qemu_cortexm3"][program].stderr, (
            f"{program}: re-record with sh tests/data/logs/formats/record.sh")


def test_nothing_allocates(project: Path) -> None:
    for elf in sorted(project.glob("build/*/*.elf")):
        symbols = subprocess.run(["arm-none-eabi-nm", str(elf)], capture_output=True, text=True,
                                 check=True).stdout
        assert not re.search(r" (malloc|_malloc_r|_sbrk|free)$", symbols, re.M), elf


def test_unknown_board_is_a_make_error() -> None:
    proc = subprocess.run(["make", "-n", "TARGET=stm32h7", "tests"], cwd=SAMPLE,
                          capture_output=True, text=True)
    assert proc.returncode != 0
    assert "unknown TARGET 'stm32h7'; use TARGET=<board>, one of: qemu_cortexm3 bluepill lm3s6965" in proc.stderr
