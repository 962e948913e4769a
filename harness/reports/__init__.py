"""Reporters: pure functions from results to text, and the one way report files are written."""

from __future__ import annotations

import os
import tempfile
from enum import StrEnum
from pathlib import Path


class RunStatus(StrEnum):
    """Where the run stood when a report file was written."""

    RUNNING = "running"  # written at the start and after each result: not a final answer
    COMPLETE = "complete"
    INTERRUPTED = "interrupted"  # Ctrl-C or SIGTERM: the results so far


def _umask() -> int:
    """The process's umask, read without setting it (os.umask sets it, for every thread)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    return 0o022


def write_atomic(path: Path, text: str) -> None:
    """Replace path with text in one step: a reader (or a crash, or a full disk) sees the old
    file or the new one, never half of one.

    Raises:
        OSError: the folder cannot be made or written, or the disk is full.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # as open() would make it; mkstemp's is 0600
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except BaseException:
        os.unlink(tmp)
        raise
