"""Nothing wrong, nothing lost (issue 9), as a hostile but realistic user meets it: binaries
with the same name, the same binary many times, kill -9 of tflm-test, a second Ctrl-C right
after the first, and output paths that cannot be written. Real binaries, real QEMU."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from .conftest import TFLM_TEST, FixtureBuilder, tflm_test


def _report(path: Path) -> dict:
    return json.loads(path.read_text())


def _copy(elf: Path, to: Path) -> Path:
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(elf, to)
    return to


def test_same_named_binaries_keep_their_own_verdicts(fixture_elfs: FixtureBuilder,
                                                     tmp_path: Path) -> None:
    elfs = fixture_elfs("host")
    a = _copy(elfs["pass"], tmp_path / "a" / "x.elf")
    b = _copy(elfs["fail"], tmp_path / "b" / "x.elf")
    for _ in range(3):  # the mix-up was a race: give it a few chances
        report = tmp_path / "r.json"
        proc = tflm_test("run", str(a), str(b), "--target", "host", "-j", "2", "--json",
                         str(report), "--out", str(tmp_path / "out"))
        records = _report(report)["results"]
        assert [(r["key"], r["verdict"]) for r in records] == [("a/x", "PASS"), ("b/x", "FAIL")]
        assert proc.returncode == 1
        logs = [Path(r["log"]) for r in records]
        assert logs[0] != logs[1]
        assert "FailsOnPurpose" not in logs[0].read_text()
        assert "FailsOnPurpose" in logs[1].read_text()


def test_the_same_binary_sixty_times_passes_sixty_times(fixture_elfs: FixtureBuilder,
                                                        tmp_path: Path) -> None:
    elf = str(fixture_elfs("host")["pass"])
    report = tmp_path / "r.json"
    proc = tflm_test("run", *[elf] * 60, "--target", "host", "-j", "2", "--json", str(report),
                     "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stdout[-2000:]
    records = _report(report)["results"]
    assert [r["verdict"] for r in records] == ["PASS"] * 60
    assert len({r["log"] for r in records}) == 60


def _emulators_of(elf: Path) -> list[int]:
    """Pids of the QEMUs running `elf` (not tflm-test, whose argv names it too)."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            argv = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if proc.name.isdigit() and argv[0].endswith(b"qemu-system-arm") and \
                str(elf).encode() in argv:
            pids.append(int(proc.name))
    return pids


def _start(args: list[str], log_appears: Path) -> subprocess.Popen[str]:
    proc = subprocess.Popen([TFLM_TEST, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True)
    deadline = time.monotonic() + 30
    while not log_appears.exists():
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail(f"no {log_appears} appeared: {proc.communicate()}")
        time.sleep(0.05)
    time.sleep(0.5)  # the program is running now
    return proc


def test_kill_9_takes_the_emulators_along_and_no_old_pass_survives(
        fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    elfs = fixture_elfs("qemu_cortexm3")
    report = tmp_path / "r.json"
    out = tmp_path / "out"
    tflm_test("run", str(elfs["pass"]), "--target", "qemu_cortexm3", "--json", str(report),
              "--out", str(out))
    assert _report(report)["summary"]["PASS"] == 1  # an earlier run that passed
    proc = _start(["run", str(elfs["hang"]), "--target", "qemu_cortexm3", "--timeout", "120",
                   "--json", str(report), "--out", str(out)],
                  out / "qemu_cortexm3" / "hang" / "output.log")
    assert _emulators_of(elfs["hang"]), "QEMU did not start"
    proc.send_signal(signal.SIGKILL)  # a CI job timeout, the OOM killer
    proc.communicate()
    deadline = time.monotonic() + 5
    while _emulators_of(elfs["hang"]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _emulators_of(elfs["hang"]) == [], "QEMU outlived tflm-test"
    doc = _report(report)
    assert doc["status"] == "running" and doc["summary"]["PASS"] == 0


def test_a_second_ctrl_c_right_after_the_first_keeps_the_report(fixture_elfs: FixtureBuilder,
                                                                tmp_path: Path) -> None:
    elfs = fixture_elfs("qemu_cortexm3")
    report = tmp_path / "r.json"
    out = tmp_path / "out"
    proc = _start(["run", str(elfs["pass"]), str(elfs["hang"]), "-j", "1", "--target",
                   "qemu_cortexm3", "--timeout", "120", "--json", str(report), "--out", str(out)],
                  out / "qemu_cortexm3" / "hang" / "output.log")
    proc.send_signal(signal.SIGINT)
    time.sleep(0.005)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "Traceback" not in err
    doc = _report(report)
    assert doc["status"] == "interrupted"
    assert [(r["key"], r["verdict"]) for r in doc["results"]] == [("pass", "PASS"),
                                                                  ("hang", "ERROR")]
    assert _emulators_of(elfs["hang"]) == []


# ---- output paths that cannot be written: one line, exit 2, before anything runs ----

def _refused(proc: subprocess.CompletedProcess[str], option: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("tflm-test: error: ")
    assert option in proc.stderr
    assert proc.stdout == "", "something ran before the path was checked"


@pytest.mark.parametrize("option", ["--out", "--json", "--junit"])
def test_a_path_under_a_file(fixture_elfs: FixtureBuilder, tmp_path: Path, option: str) -> None:
    (tmp_path / "file").write_text("")
    target = tmp_path / "file" / "sub"
    args = ["run", str(fixture_elfs("host")["pass"]), "--target", "host", option, str(target)]
    if option != "--out":
        args += ["--out", str(tmp_path / "out")]
    _refused(tflm_test(*args), option)


@pytest.fixture
def tiny_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 64 KiB tmpfs of our own (root only), unmounted afterwards."""
    mount_point = tmp_path / "mnt"
    mount_point.mkdir()
    if os.geteuid() != 0 or subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount_point)],
            capture_output=True).returncode != 0:
        pytest.skip("needs root and mount(8) to make a small file system")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=True)


@pytest.mark.parametrize("option", ["--out", "--json", "--junit"])
def test_a_full_file_system(fixture_elfs: FixtureBuilder, tmp_path: Path, tiny_tmpfs: Path,
                            option: str) -> None:
    with (tiny_tmpfs / "filler").open("wb") as filler:
        try:
            filler.write(b"\0" * (1 << 20))
        except OSError:
            pass  # full now
    args = ["run", str(fixture_elfs("host")["pass"]), "--target", "host",
            option, str(tiny_tmpfs / "x")]
    if option != "--out":
        args += ["--out", str(tmp_path / "out")]
    _refused(tflm_test(*args), option)


@pytest.mark.parametrize("option", ["--out", "--json"])
def test_a_read_only_file_system(fixture_elfs: FixtureBuilder, tmp_path: Path,
                                 tiny_tmpfs: Path, option: str) -> None:
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_tmpfs)], check=True)
    args = ["run", str(fixture_elfs("host")["pass"]), "--target", "host",
            option, str(tiny_tmpfs / "x")]
    if option != "--out":
        args += ["--out", str(tmp_path / "out")]
    _refused(tflm_test(*args), option)


def test_a_user_without_permission(fixture_elfs: FixtureBuilder) -> None:
    nobody = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    if os.geteuid() != 0 or shutil.which("setpriv") is None:
        pytest.skip("needs root and setpriv(1) to run as another user")
    if subprocess.run([*nobody, TFLM_TEST, "--version"], capture_output=True).returncode != 0:
        pytest.skip(f"user nobody cannot run {TFLM_TEST} (its folders are private)")
    with tempfile.TemporaryDirectory() as shared:  # root's, mode 0755: nobody may only read
        os.chmod(shared, 0o755)
        elf = _copy(fixture_elfs("host")["pass"], Path(shared) / "pass.elf")
        proc = subprocess.run([*nobody, TFLM_TEST, "run", str(elf), "--target", "host",
                               "--out", str(Path(shared) / "out")],
                              capture_output=True, text=True, timeout=60, cwd=shared)
    _refused(proc, "--out")
