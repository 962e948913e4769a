"""The progress line: drawn and redrawn at a terminal (a real pty), absent from plain
output (a pipe, as in CI logs), on real host binaries through the installed CLI."""

from __future__ import annotations

import os
import pty
import select
import subprocess
from pathlib import Path

import pytest

from .conftest import TFLM_TEST, FixtureBuilder, tflm_test

pytestmark = pytest.mark.skipif(subprocess.run(["sh", "-c", "command -v cc"],
                                               capture_output=True).returncode != 0,
                                reason="no C compiler (ci/setup installs gcc)")


def in_pty(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the CLI with a pty as stdout and stderr; everything it wrote, and its exit code."""
    parent, child = pty.openpty()
    proc = subprocess.Popen([TFLM_TEST, *args], stdin=subprocess.DEVNULL, stdout=child,
                            stderr=child, cwd=cwd, env={**os.environ, "TERM": "xterm"})
    os.close(child)
    out = b""
    try:
        while True:
            if not select.select([parent], [], [], 120)[0]:
                raise TimeoutError(out.decode(errors="replace"))
            try:
                chunk = os.read(parent, 4096)
            except OSError:  # EIO: the child closed the pty
                break
            if not chunk:
                break
            out += chunk
        return proc.wait(timeout=60), out.decode(errors="replace")
    finally:
        proc.kill()
        proc.wait()
        os.close(parent)


def test_a_terminal_gets_one_updating_progress_line(fixture_elfs: FixtureBuilder,
                                                    tmp_path: Path) -> None:
    elfs = fixture_elfs("host")
    code, out = in_pty(["run", str(elfs["pass"]), str(elfs["fail"]), str(elfs["hang"]),
                        "--target", "host", "-j", "1", "--timeout", "2.5",
                        "--out", str(tmp_path / "out")], tmp_path)
    assert code == 1, out
    assert "\r[0/3] 0 failed  0:00" in out
    assert "[2/3] 1 failed" in out and "last: FAIL host fail" in out
    assert "[2/3] 1 failed  0:02" in out  # redrawn while the hung binary runs
    assert "last: TIMEOUT host hang\r\x1b[Khost: 3 binaries" in out  # erased before the summary
    lines = out.replace("\r\n", "\n").split("\n")
    assert lines[-2] == "1 passed, 2 failed"  # (the last is empty) nothing left behind


def test_plain_output_has_one_line_per_result_and_no_progress(fixture_elfs: FixtureBuilder,
                                                              tmp_path: Path) -> None:
    elfs = fixture_elfs("host")
    res = tflm_test("run", str(elfs["pass"]), str(elfs["fail"]), "--target", "host",
                    "--out", str(tmp_path / "out"), cwd=tmp_path)
    assert res.returncode == 1
    assert "\r" not in res.stdout and "\x1b" not in res.stdout and "[1/2]" not in res.stdout
    assert sorted(line.split()[0] for line in res.stdout.splitlines()
                  if line.startswith(("PASS", "FAIL"))) == ["FAIL", "PASS"]
