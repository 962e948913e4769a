"""One child process per run (host programs, QEMU, an emulator inside `docker run`): start it
so it cannot outlive us, follow its output with runners.follow, stop its whole group.

Children run in their own session, so a timeout can kill the whole group (QEMU, a program's
own children). Being in their own session also means nothing ties them to us: if tflm-test
is killed with SIGKILL (a CI job timeout, the OOM killer) they would run on forever. So each
child asks the kernel for SIGKILL when its parent dies (prctl PR_SET_PDEATHSIG), set between
fork and exec.
"""

from __future__ import annotations

import ctypes
import logging
import os
import shlex
import signal
import subprocess
import time
from collections.abc import Callable
from typing import Any

from .base import RunOutcome, RunRequest
from .follow import End, Followed, Source, StreamSource, Watcher, follow
from .launch import Command

log = logging.getLogger(__name__)

_PR_SET_PDEATHSIG = 1
_EXIT_WAIT_S = 5.0  # after the output ended: how long the process may take to be reaped
_prctl = getattr(ctypes.CDLL(None, use_errno=True), "prctl", None)  # Linux; looked up once


def die_with_parent() -> None:
    """preexec_fn: SIGKILL this child when the thread that started it ends (tflm-test dies).
    Only a prctl call: nothing between fork and exec may allocate or take locks."""
    if _prctl is not None:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def spawn(argv: list[str] | tuple[str, ...], **popen: Any) -> subprocess.Popen[bytes]:
    """Start argv in its own session, tied to our life (see the module docstring)."""
    log.debug("running %s", shlex.join(argv))
    return subprocess.Popen(list(argv), start_new_session=True, preexec_fn=die_with_parent,
                            **popen)


def stop_process(proc: subprocess.Popen[bytes], grace_s: float = 2.0) -> None:
    """Terminate the child's whole process group, wait, then kill and wait: no orphans."""
    if proc.poll() is not None:
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace_s)
            return
        except subprocess.TimeoutExpired:
            continue
    proc.wait()


def outcome(followed: Followed, exit_code: int | None, start: float,
            extras: dict[str, Any] | None = None) -> RunOutcome:
    """The RunOutcome of a followed run."""
    extras = dict(extras or {})
    if followed.hang is not None:
        extras["hang"] = followed.hang
    return RunOutcome(exit_code=exit_code, timed_out=followed.end is End.TIMED_OUT,
                      stopped=followed.end is End.STOPPED, duration_s=time.monotonic() - start,
                      interrupted=followed.end is End.INTERRUPTED, events=followed.events,
                      extras=extras, line_times=followed.line_times)


def run_process(command: Command, request: RunRequest, watcher: Watcher | None = None,
                cleanup: Callable[[], None] | None = None,
                env: dict[str, str] | None = None,
                wrap: Callable[[Source], Source] | None = None) -> RunOutcome:
    """Run a command with stdout and stderr merged into request.log_path, followed to its end.

    Args:
        command: argv (never through a shell), folder, and whether stdin stays open.
        request: the run.
        watcher: what else to watch while it runs (the emulator's own log).
        cleanup: called last, whatever happened (e.g. remove a container).
        env: the child's environment; default ours.
        wrap: a filter between the child's output and the log (runners/icount.py).
    Returns:
        The outcome; exit_code None when it did not exit by itself.
    """
    start = time.monotonic()
    proc = spawn(command.argv, stdin=subprocess.PIPE if command.stdin_open else subprocess.DEVNULL,
                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=command.cwd, env=env)
    assert proc.stdout is not None
    source: Source = StreamSource(iter(lambda: proc.stdout.read1(1 << 16), b""))
    if wrap is not None:
        source = wrap(source)
    try:
        followed = follow(source, request, lambda: stop_process(proc), watcher, start)
        exit_code = _reap(proc) if followed.end is End.ENDED else None
    finally:
        source.close()
        stop_process(proc)
        for pipe in (proc.stdin, proc.stdout):
            if pipe is not None:
                pipe.close()
        if cleanup is not None:
            cleanup()
    return outcome(followed, exit_code, start)


def _reap(proc: subprocess.Popen[bytes]) -> int | None:
    """Exit status of a child whose output ended; None if it lingers (then it is stopped)."""
    try:
        return proc.wait(timeout=_EXIT_WAIT_S)
    except subprocess.TimeoutExpired:
        return None
