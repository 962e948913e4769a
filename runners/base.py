"""The runner interface: start a binary, move its output to a log file line by line, report
process and emulator events. A runner never decides pass/fail (harness/verdict.py does).
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from types import TracebackType
from typing import Any, ClassVar

from ..errors import RunnerUnavailable
from ..targets import EmulatorSpec, Target
from .launch import LOCAL, Launch, Launcher

# Called on every complete output line; True means "this was the final line": a target that
# cannot exit is stopped, one that can is given RunRequest.exit_grace_s to exit on its own.
StopRule = Callable[[str], bool]


class EventKind(StrEnum):
    FAULT = "fault"  # a CPU exception was taken: the message names kind and address
    LOCKUP = "lockup"
    EMULATOR_ERROR = "emulator-error"  # the emulator itself failed
    EMULATOR_DIED = "emulator-died"


@dataclass(frozen=True)
class RunnerEvent:
    """Something the emulator or process reported beside the program's own output."""

    kind: EventKind
    message: str


@dataclass(frozen=True)
class RunRequest:
    binary: Path
    log_path: Path  # the program's output, its bytes written as they arrive
    work_dir: Path  # this run's own folder for emulator logs and sockets (no other run uses it)
    timeout_s: float
    stop_on: StopRule
    exit_grace_s: float = 0.0  # after the final line: wait this long for a natural exit
    fault_grace_s: float = 0.5  # after a fault event: wait this long for a crash line
    cancel: threading.Event | None = None  # set on Ctrl-C: stop the program at once
    # Code addresses (Thumb bit cleared, elf.symbol_addresses) whose arrivals are counted:
    # RunOutcome.extras["marks"] lists (address, executed instructions) in order (QEMU).
    marks: tuple[int, ...] = ()


@dataclass(frozen=True)
class DebugServer:
    """An emulator started halted with a gdb server: its argv (in a Launch's terms), the gdb
    commands that make it run once gdb is attached and its breakpoints are set (before
    `continue`), and whether it needs stdin held open."""

    argv: tuple[str, ...]
    gdb_start: tuple[str, ...] = ()
    stdin_open: bool = False


@dataclass(frozen=True)
class RunOutcome:
    exit_code: int | None  # None: did not exit by itself (stopped or timed out); <0: signal
    timed_out: bool
    stopped: bool  # we stopped it after the final line or a fault
    duration_s: float
    interrupted: bool = False  # stopped because RunRequest.cancel was set
    events: tuple[RunnerEvent, ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)  # e.g. executed_instructions
    line_times: tuple[float, ...] = ()  # seconds from the start to each log line's arrival
    # Per log line, instructions executed before it was written (None: not known); empty
    # when the runner does not count (see runners/icount.py).
    line_instructions: tuple[int | None, ...] = ()


@dataclass(frozen=True)
class RunnerConfig:
    """Options every runner may read; each is defined once here (see cli.py for the flags)."""

    renode: Path | None = None  # --renode / TFLM_TEST_RENODE
    docker_image: str | None = None  # --docker [IMAGE]: run the emulator in this image
    out_dir: Path | None = None  # --out: every run's work folder is under it


class Runner(ABC):
    """One way of running binaries for one target. Use as a context manager: close() frees
    any long-lived emulator process (e.g. a Renode worker)."""

    name: ClassVar[str]

    def __init__(self, target: Target, emulator: EmulatorSpec, config: RunnerConfig,
                 launcher: Launcher = LOCAL) -> None:
        self.target = target
        self.emulator = emulator
        self.config = config
        self.launcher = launcher  # where the emulator process runs (here, or in Docker)

    @abstractmethod
    def check_available(self) -> None:
        """Raise RunnerUnavailable/ToolMissing (saying what installs it) when unusable."""

    def check_inputs(self) -> None:
        """Raise RunnerUnavailable when a file the target names (a script) is missing; the
        part of check_available that holds wherever the emulator runs."""

    @abstractmethod
    def run(self, request: RunRequest) -> RunOutcome:
        """Run one binary to completion, stop rule, crash or timeout; never raises for a
        misbehaving binary (that is an outcome), only for a broken environment."""

    def debug_server(self, launch: Launch, binary: Path, work_dir: Path,
                     port: int) -> DebugServer:
        """The emulator (run in `launch`, in work_dir) with the program loaded, halted before
        its first instruction, and a gdb server on launch.listen_host:port; its output as in
        run(). `tflm-test debug` starts it.

        Raises:
            RunnerUnavailable: this emulator cannot serve gdb.
        """
        raise RunnerUnavailable(f"the {self.name} runner has no gdb server")

    def read_only_inputs(self) -> tuple[Path, ...]:
        """Folders the emulator reads besides the binary (a board script's), which a
        launcher must let it see."""
        return ()

    def version(self) -> str | None:
        """The emulator's version string, for the results (None when not applicable)."""
        return None

    def notes(self) -> tuple[str, ...]:
        """One line each for what this runner cannot do here (it still runs), said once
        per target before anything runs."""
        return ()

    def describe(self) -> str:
        """Short human name, e.g. 'qemu netduino2'."""
        return self.launcher.describe(" ".join(p for p in (self.name, self.emulator.machine) if p))

    def close(self) -> None:
        """Release long-lived resources; idempotent."""

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()
