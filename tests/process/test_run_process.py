"""run_process against tiny real scripts: deadlines, stop rules, shutdown, no orphans.

These test process handling only; verdicts are tested on real emulators (tests/integration).
"""

from __future__ import annotations

import sys
import threading
import time
from pathlib import Path

from tflm_test.runners.base import RunRequest
from tflm_test.runners.follow import LINE_CAP, read_lines
from tflm_test.runners.launch import Command
from tflm_test.runners.process import run_process


def request(tmp_path: Path, timeout_s: float = 5.0, **kw: object) -> RunRequest:
    return RunRequest(binary=tmp_path / "x", log_path=tmp_path / "x.log", work_dir=tmp_path,
                      timeout_s=timeout_s, stop_on=lambda line: line == "DONE", **kw)  # type: ignore[arg-type]


def py(code: str) -> Command:
    return Command((sys.executable, "-c", code))


def alive(pid: int) -> bool:
    """Running (a zombie waiting for a reaper that may not exist here counts as dead)."""
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in status


def test_exit_status_and_output_are_kept(tmp_path: Path) -> None:
    out = run_process(py("import sys; print('a'); print('b\\r', file=sys.stderr); sys.exit(3)"),
                      request(tmp_path))
    assert (out.exit_code, out.timed_out, out.stopped) == (3, False, False)
    assert sorted((tmp_path / "x.log").read_text().splitlines()) == ["a", "b"]


def test_hang_times_out_and_the_whole_group_dies(tmp_path: Path) -> None:
    # The child starts a grandchild that ignores SIGTERM; both must be gone afterwards.
    code = ("import subprocess, sys, time, signal\n"
            "p = subprocess.Popen([sys.executable, '-c', 'import signal, time; "
            "signal.signal(signal.SIGTERM, signal.SIG_IGN); time.sleep(60)'])\n"
            "print(p.pid, flush=True)\n"
            "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
            "time.sleep(60)\n")
    start = time.monotonic()
    out = run_process(py(code), request(tmp_path, timeout_s=1.0))
    assert out.timed_out and out.exit_code is None
    assert time.monotonic() - start < 8  # timeout + terminate grace + kill
    grandchild = int((tmp_path / "x.log").read_text().split()[0])
    time.sleep(0.2)
    assert not alive(grandchild)


def test_final_line_stops_a_program_that_never_exits(tmp_path: Path) -> None:
    out = run_process(py("import time; print('DONE', flush=True); time.sleep(60)"),
                      request(tmp_path, timeout_s=30))
    assert out.stopped and not out.timed_out and out.exit_code is None
    assert out.duration_s < 5


def test_exit_grace_lets_a_program_exit_after_its_final_line(tmp_path: Path) -> None:
    out = run_process(py("import time; print('DONE', flush=True); time.sleep(0.3)"),
                      request(tmp_path, exit_grace_s=3.0))
    assert (out.exit_code, out.stopped) == (0, False)


def test_partial_last_line_and_bad_bytes_are_kept(tmp_path: Path) -> None:
    code = "import sys; sys.stdout.buffer.write(b'ok\\n\\xff\\xfehalf'); sys.stdout.flush()"
    out = run_process(py(code), request(tmp_path))
    assert (tmp_path / "x.log").read_bytes() == b"ok\n\xff\xfehalf"  # the log: bytes as they came
    assert read_lines(tmp_path / "x.log") == ["ok", "\ufffd\ufffdhalf"]
    assert len(out.line_times) == 2


def test_cancel_stops_at_once(tmp_path: Path) -> None:
    cancel = threading.Event()
    threading.Timer(0.3, cancel.set).start()
    out = run_process(py("import time; time.sleep(60)"), request(tmp_path, cancel=cancel))
    assert out.interrupted and out.exit_code is None and out.duration_s < 5


def test_line_times_are_arrival_times(tmp_path: Path) -> None:
    out = run_process(py("import time; print('a', flush=True); time.sleep(0.5); print('b')"),
                      request(tmp_path))
    assert len(out.line_times) == 2
    assert out.line_times[1] - out.line_times[0] >= 0.4


def test_a_huge_line_without_newline_is_kept_whole_in_the_log(tmp_path: Path) -> None:
    # (how fast: bench/long_lines.py)
    code = ("import sys\nchunk = b'x' * 65536\n"
            "for _ in range(1024): sys.stdout.buffer.write(chunk)\n"
            "sys.stdout.buffer.write(b'\\nEND\\n')")
    out = run_process(py(code), request(tmp_path, timeout_s=120))
    assert out.exit_code == 0
    assert (tmp_path / "x.log").stat().st_size == 64 * 1024 * 1024 + 5
    lines = read_lines(tmp_path / "x.log")
    assert [len(lines[0]), lines[1]] == [LINE_CAP, "END"]  # what is parsed is cut
    assert len(out.line_times) == 2


def test_a_child_dies_with_the_thread_that_started_it(tmp_path: Path) -> None:
    """kill -9 of tflm-test: the kernel kills its emulators (PR_SET_PDEATHSIG). A thread
    that ends stands in for the process here."""
    pids: list[int] = []

    def start_and_abandon() -> None:
        from tflm_test.runners.process import spawn
        pids.append(spawn([sys.executable, "-c", "import time; time.sleep(60)"]).pid)

    thread = threading.Thread(target=start_and_abandon)
    thread.start()
    thread.join()
    deadline = time.monotonic() + 5
    while alive(pids[0]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(pids[0])
