"""`tflm-test debug` with the real gdb-multiarch and QEMU: stop at the failing check of a
failing case, read a local, step, continue to the final line; no process is left behind."""

from __future__ import annotations

import json
import os
import re
import shutil
import shlex
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tflm_test.debug import free_port
from tflm_test.runners.base import RunnerConfig
from tflm_test.runners.qemu import QemuRunner
from tflm_test.targets import load_boards

from .conftest import TFLM_TEST, FixtureBuilder, tflm_test

pytestmark = pytest.mark.skipif(
    shutil.which("gdb-multiarch") is None or shutil.which("qemu-system-arm") is None,
    reason="needs gdb-multiarch and qemu-system-arm (ci/setup installs both)")

CASE = "FailsOnPurpose"
FAILING_CHECK = "../tests/firmware/fail.c:10"  # where fail.c's first failing check is
# Read the local, leave the breakpoint (both code paths of line 10) and step to line 11,
# then run to the port's exit, which the program reaches after its final line.
GDB_SESSION = ("print answer", "delete 1", "next", "break tm_port_exit", "continue")


def processes_mentioning(text: str) -> list[str]:
    """Command lines of live processes that contain text (e.g. a test's tmp_path)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in cmdline:
            found.append(cmdline)
    return found


def without(text: str, lines: list[str]) -> str:
    for line in lines:
        text = text.replace(f"{line}\n", "", 1)
    return text


def _ran(elf: Path, target: str, out: Path) -> None:
    """A run of the fixture first: it leaves the result debug takes the failing check from."""
    proc = tflm_test("run", str(elf), "--target", target, "--out", str(out), "--emulator",
                     "qemu")
    assert proc.returncode == 1, proc.stderr


@pytest.mark.parametrize("target", ["qemu_cortexm3", "bluepill"])
def test_stops_at_the_failing_check(target: str, fixture_elfs: FixtureBuilder,
                                    tmp_path: Path) -> None:
    elf = fixture_elfs(target)["fail"]
    out = tmp_path / "out"
    _ran(elf, target, out)
    ex = [arg for command in GDB_SESSION for arg in ("--ex", command)]
    proc = tflm_test("debug", str(elf), "--target", target, "--case", CASE, "--out", str(out),
                     "--emulator", "qemu", "--batch", *ex, timeout=120)
    assert proc.returncode == 0, proc.stderr
    log = out / "debug" / target / "fail" / "output.log"
    program = log.read_text().splitlines()
    assert program[:3] == ["Testing Passes", "Testing FailsOnPurpose",
                           "42 == answer failed at ../tests/firmware/fail.c:10 (42 vs 41)"]
    # The program's output is shown as it comes, so it cuts into gdb's lines: take it out.
    assert all(f"{line}\n" in proc.stdout for line in program)
    said = without(proc.stdout, program)
    assert f"breakpoint {FAILING_CHECK}, gdb server 127.0.0.1:" in proc.stderr
    assert re.search(r"Breakpoint 1\.1, main \(\) at \.\./tests/firmware/fail\.c:10\n", said), said
    assert "$1 = 41\n" in said  # the local `answer`
    assert re.search(r"^11\t\s+TF_LITE_MICRO_EXPECT\(answer > 50\);$", said, re.M), said  # stepped
    assert re.search(r"Breakpoint 2, tm_port_exit \(", said), said
    # The program ran to its final line (shown too, though its echo may trail gdb's lines).
    assert [ln for ln in program if not ln.startswith("qemu-system-arm:")][-1] == \
        "~~~SOME TESTS FAILED~~~"
    assert processes_mentioning(str(tmp_path)) == []


def test_quitting_gdb_stops_the_emulator(fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    """gdb on a pipe (as a user typing `quit`): the emulator, halted at the breakpoint, is
    stopped with it."""
    elf = fixture_elfs("bluepill")["fail"]  # a board program never ends by itself
    out = tmp_path / "out"
    _ran(elf, "bluepill", out)
    proc = subprocess.run([TFLM_TEST, "debug", str(elf), "--target", "bluepill", "--case", CASE,
                           "--out", str(out), "--emulator", "qemu"], input="print answer\nquit\n",
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "$1 = 41" in proc.stdout
    assert processes_mentioning(str(tmp_path)) == []


def test_sigterm_while_gdb_waits_stops_everything(fixture_elfs: FixtureBuilder,
                                                  tmp_path: Path) -> None:
    elf = fixture_elfs("qemu_cortexm3")["fail"]
    proc = subprocess.Popen([TFLM_TEST, "debug", str(elf), "--target", "qemu_cortexm3",
                             "--break", FAILING_CHECK, "--out", str(tmp_path / "out")],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    log = tmp_path / "out" / "debug" / "qemu_cortexm3" / "fail" / "output.log"
    deadline = time.monotonic() + 60
    while "Testing FailsOnPurpose" not in (log.read_text() if log.exists() else ""):
        assert time.monotonic() < deadline and proc.poll() is None, proc.communicate()
        time.sleep(0.1)
    time.sleep(1.0)  # gdb is at its prompt, the program halted at the breakpoint
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert err.strip().splitlines()[-1] == "tflm-test: interrupted"
    assert processes_mentioning(str(tmp_path)) == []


def test_no_attach_serves_gdb_until_ctrl_c(fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    elf = fixture_elfs("bluepill")["fail"]
    port = free_port()
    server = subprocess.Popen([TFLM_TEST, "debug", str(elf), "--target", "bluepill",
                               "--no-attach", "--port", str(port), "--emulator", "qemu",
                               "--out", str(tmp_path / "out")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert server.stderr is not None
        for line in server.stderr:
            if "waiting for gdb" in line:
                break
        gdb = subprocess.run(["gdb-multiarch", "-q", "-batch", str(elf), "-ex",
                              f"target remote 127.0.0.1:{port}", "-ex", f"break {FAILING_CHECK}",
                              "-ex", "continue", "-ex", "print answer"],
                             capture_output=True, text=True, timeout=60)
        assert "$1 = 41" in gdb.stdout, gdb.stdout + gdb.stderr
        assert server.poll() is None  # gdb went, the server stays until Ctrl-C
        server.send_signal(signal.SIGINT)
        out, err = server.communicate(timeout=30)
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert server.returncode == 130, err
    assert "Testing FailsOnPurpose" in out  # the program's output is shown
    assert processes_mentioning(str(tmp_path)) == []


def test_host_gdb_runs_the_program(fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    elf = fixture_elfs("host")["fail"]
    out = tmp_path / "out"
    assert tflm_test("run", str(elf), "--target", "host", "--out", str(out)).returncode == 1
    proc = tflm_test("debug", str(elf), "--target", "host", "--case", CASE, "--out", str(out),
                     "--batch", "--ex", "print answer", "--ex", "delete 1", "--ex", "continue",
                     timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "Breakpoint 1.1, main () at ../tests/firmware/fail.c:10" in proc.stdout
    assert "$1 = 41" in proc.stdout
    assert re.search(r"\[Inferior 1 \(process \d+\) exited with code 01\]", proc.stdout)


def test_a_binary_without_debug_information_is_refused(fixture_elfs: FixtureBuilder,
                                                        tmp_path: Path) -> None:
    stripped = tmp_path / "fail.elf"
    subprocess.run(["arm-none-eabi-strip", "--strip-debug", "-o", str(stripped),
                    str(fixture_elfs("qemu_cortexm3")["fail"])], check=True)
    proc = tflm_test("debug", str(stripped), "--target", "qemu_cortexm3", "--out",
                     str(tmp_path / "out"))
    assert proc.returncode == 2
    assert proc.stderr == (f"tflm-test: error: {stripped} has no debug information "
                           "(.debug_line): build it with -g to debug it by file and line\n")


def test_print_command_shows_the_runs_own_emulator_command(fixture_elfs: FixtureBuilder,
                                                          tmp_path: Path) -> None:
    elf = fixture_elfs("bluepill")["fail"]
    out = tmp_path / "out"
    proc = tflm_test("debug", str(elf), "--target", "bluepill", "--emulator", "qemu",
                     "--print-command", "--port", "4242", "--break", "fail.c:11",
                     "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    target = load_boards().get("bluepill")
    spec = next(e for e in target.emulators if e.runner == "qemu")
    run_argv = QemuRunner(target, spec, RunnerConfig()).command(str(elf))
    work = out.resolve() / "debug" / "bluepill" / "fail"
    assert lines[1] == (f"cd {work} && {shlex.join(run_argv)} "
                        "-gdb tcp:127.0.0.1:4242 -S")
    assert lines[3] == shlex.join(["gdb-multiarch", "-q", str(elf), "-ex",
                                   "target remote 127.0.0.1:4242", "-ex", "break fail.c:11",
                                   "-ex", "continue"])
    configs = json.loads("\n".join(lines[5:]))
    assert [c["type"] for c in configs] == ["cortex-debug", "cppdbg"]
    assert processes_mentioning(str(tmp_path)) == []  # nothing was started
