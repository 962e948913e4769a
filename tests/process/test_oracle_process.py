"""The oracle's child process handling against tiny real scripts: deadline, Ctrl-C, and that
it dies when tflm-test itself is killed. tflite_micro is not needed here;
what it does with corrupted models is tested in tests/integration/test_verify.py."""

from __future__ import annotations

import _thread
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from tflm_test.oracle import _run_child

from .test_run_process import alive

# Starts a grandchild that ignores SIGTERM, prints its pid, then ignores SIGTERM itself.
STUBBORN = ("import subprocess, sys, time, signal\n"
            "p = subprocess.Popen([sys.executable, '-c', 'import signal, time; "
            "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)'])\n"
            "print(p.pid, flush=True)\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "time.sleep(60)\n")


def _py(code: str) -> list[str]:
    return [sys.executable, "-c", code]


def _grandchild(log: Path) -> int:
    """The pid the child wrote first to its log."""
    deadline = time.monotonic() + 10
    while not (log.exists() and log.read_text().strip()) and time.monotonic() < deadline:
        time.sleep(0.02)
    return int(log.read_text().split()[0])


def test_exit_status_and_signals_are_returned(tmp_path: Path) -> None:
    log = tmp_path / "oracle.log"
    assert _run_child(_py("import sys; print('hi'); sys.exit(3)"), log, 5) == 3
    assert log.read_text() == "hi\n"
    assert _run_child(_py("import os, signal; os.kill(os.getpid(), signal.SIGSEGV)"), log,
                      5) == -signal.SIGSEGV


def test_timeout_stops_the_whole_group(tmp_path: Path) -> None:
    log = tmp_path / "oracle.log"
    start = time.monotonic()
    assert _run_child(_py(STUBBORN), log, 1.0) is None
    assert time.monotonic() - start < 8  # timeout + terminate grace + kill
    time.sleep(0.2)
    assert not alive(_grandchild(log))


def test_ctrl_c_stops_the_whole_group_then_propagates(tmp_path: Path) -> None:
    log = tmp_path / "oracle.log"
    timer = threading.Timer(1.0, _thread.interrupt_main)
    timer.start()
    start = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            _run_child(_py(STUBBORN), log, 60)
    finally:
        timer.cancel()  # never interrupt the rest of the test session
    assert time.monotonic() - start < 8
    time.sleep(0.2)
    assert not alive(_grandchild(log))


def test_the_oracle_dies_when_tflm_test_is_killed(tmp_path: Path) -> None:
    # middle stands for tflm-test: it runs a sleeper through _run_child, then is SIGKILLed.
    log = tmp_path / "sleeper.log"
    sleeper_argv = _py("import os, time; print(os.getpid(), flush=True); time.sleep(60)")
    middle_code = ("from pathlib import Path\nfrom tflm_test.oracle import _run_child\n"
                   f"_run_child({sleeper_argv!r}, Path({str(log)!r}), 60)\n")
    middle = subprocess.Popen(_py(middle_code))
    try:
        sleeper = _grandchild(log)
        assert alive(sleeper)
    finally:
        middle.kill()
        middle.wait()
    deadline = time.monotonic() + 2
    while alive(sleeper) and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not alive(sleeper)
