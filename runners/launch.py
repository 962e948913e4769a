"""Where a runner's emulator process runs: on this machine, or inside a container.

A runner builds its emulator's argv with the paths the process will see (`Launch.path`) and
starts `Launch.command(argv)`; the Docker launcher (runners/docker.py) turns that into a
`docker run` of the same argv with the folders mounted. So every runner runs in Docker with
no code of its own for it, and Docker has no copy of any runner.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .base import RunOutcome


@dataclass(frozen=True)
class Command:
    """A process to start on this machine."""

    argv: tuple[str, ...]
    cwd: Path | None = None
    stdin_open: bool = False  # give it a pipe on stdin, held open while it runs


class Launch(ABC):
    """One place for processes to run in, with the folders they may see; close() frees it."""

    # The address a server started here listens on so that this machine's 127.0.0.1 reaches
    # it (a container's published port arrives on its own interface, not its loopback).
    listen_host = "127.0.0.1"

    @abstractmethod
    def path(self, host_path: Path) -> str:
        """How a process started here sees host_path (which must be visible)."""

    @abstractmethod
    def sees(self, host_path: Path) -> bool:
        """Whether host_path is visible to processes started here."""

    @abstractmethod
    def command(self, argv: Sequence[str], cwd: Path, interactive: bool = False,
                deadline_s: float | None = None, publish: Sequence[int] = ()) -> Command:
        """The command that runs argv (in their terms) in cwd (a visible host folder).

        Args:
            argv: the program and its arguments, paths as path() gave them.
            cwd: the folder it runs in.
            interactive: it is driven on a terminal (a Renode console under pexpect).
            deadline_s: a place that could outlive us ends the process after this long.
            publish: TCP ports it listens on (at listen_host) that must be reachable on this
                machine's 127.0.0.1 only (a gdb server).
        """

    def stage(self, binary: Path, work_dir: Path) -> str:
        """The path of binary as seen here; copied into work_dir when not visible."""
        return self.path(binary)

    def program(self, name: str, local: str) -> str:
        """How to name a program here: `local` (a path the user chose) on this machine, the
        plain name where the place has its own (an image's PATH)."""
        return name

    def check(self, outcome: RunOutcome, log_path: Path) -> RunOutcome:
        """The outcome as a direct run would report it; raise RunnerUnavailable when the run
        failed because of the place, not the program."""
        return outcome

    def close(self) -> None:
        """Stop whatever is still running here; idempotent."""

    def __enter__(self) -> Launch:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Launcher(ABC):
    """Opens Launches: one per run, or one per long-lived emulator."""

    @abstractmethod
    def open(self, writable: Path, read_only: Sequence[Path] = ()) -> Launch:
        """A place whose processes can write under `writable` and read `read_only`."""

    def describe(self, inner: str) -> str:
        """How results name a runner launched here, e.g. 'qemu mps2-an385 in docker X'."""
        return inner


class LocalLaunch(Launch):
    """This machine: every path is itself."""

    def program(self, name: str, local: str) -> str:
        return local

    def path(self, host_path: Path) -> str:
        return str(host_path)

    def sees(self, host_path: Path) -> bool:
        return True

    def command(self, argv: Sequence[str], cwd: Path, interactive: bool = False,
                deadline_s: float | None = None, publish: Sequence[int] = ()) -> Command:
        return Command(tuple(argv), cwd)


class LocalLauncher(Launcher):
    def open(self, writable: Path, read_only: Sequence[Path] = ()) -> Launch:
        return LocalLaunch()


LOCAL = LocalLauncher()
