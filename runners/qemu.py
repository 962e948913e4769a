"""QEMU system-mode runner: qemu-system-arm with semihosting.

The program's semihosting text arrives on QEMU's stderr (target=native). QEMU's own event
log (-d int,guest_errors) goes to a separate file, followed while the program runs, so a
fault is seen at once even when the firmware's fault handler just spins and prints nothing.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

from ..errors import ToolMissing
from .base import DebugServer, EventKind, Runner, RunnerEvent, RunOutcome, RunRequest
from .follow import FileTail, TailWatcher
from .launch import Launch
from .icount import REPORT, CountedRun, PluginUnavailable, build_plugin
from .process import run_process
from .qemu_monitor import read_stacked_frame

QEMU = "qemu-system-arm"
EVENT_LOG = "qemu.log"  # in the run's work folder: QEMU's -d int,guest_errors log
QMP_SOCKET = "qmp.sock"  # in the run's work folder: read the faulting PC while QEMU runs

# Taking exception 4 [Data Abort] on CPU 0
_TAKING = re.compile(r"^Taking exception (?P<num>\d+) \[(?P<name>[^\]]+)\]")
# ...with CFSR.PRECISERR and BFAR 0xe0100000
_CFSR = re.compile(r"^\.\.\.with CFSR\.(?P<bit>\w+)(?: and (?P<reg>BFAR|MMFAR) (?P<addr>0x[0-9a-f]+))?")
# ...at fault address 0xe0100000
_ADDRESS = re.compile(r"^\.\.\.at fault address (?P<addr>0x[0-9a-f]+)")
# ...taking pending nonsecure exception 3
_PENDING = re.compile(r"^\.\.\.taking pending (?:non)?secure exception (?P<num>\d+)")
# Lockup: can't escalate 3 to HardFault (current priority -1)   (v7m lockup, QEMU >= 7)
_LOCKUP = re.compile(r"[Ll]ockup")

_FAULT_EXCEPTIONS = {"Data Abort", "Prefetch Abort", "Undefined Instruction", "Lockup"}
# Taking exception 18 [v7M INVSTATE UsageFault] on CPU 0   (also NOCP, STKOF... and BusFault)
_V7M_FAULT = re.compile(r"^v7M \w+ \w*Fault$")
_M_EXCEPTIONS = {3: "HardFault", 4: "MemManage", 5: "BusFault", 6: "UsageFault"}


class QemuEventParser:
    """Turns QEMU's -d int,guest_errors lines into fault events.

    A fault shows as "Taking exception N [kind]" then detail lines ("...with CFSR.X and BFAR
    addr", "...taking pending ... exception 3"); the event is emitted on the line that names
    the handler the core vectors to, carrying what the earlier lines said.
    """

    def __init__(self) -> None:
        self._kind: str | None = None
        self._detail = ""

    def __call__(self, line: str) -> RunnerEvent | None:
        if _LOCKUP.search(line):
            return RunnerEvent(EventKind.LOCKUP, f"CPU lockup: {line.strip()}")
        if m := _TAKING.match(line):
            name = m["name"]
            self._kind = name if name in _FAULT_EXCEPTIONS or _V7M_FAULT.match(name) else None
            self._detail = ""
            return None
        if self._kind is None:
            return None
        if m := _ADDRESS.match(line):
            self._detail = f"fault address {m['addr']}"
            return None
        if m := _CFSR.match(line):
            self._detail = f"CFSR.{m['bit']}" + (f", {m['reg']} {m['addr']}" if m["addr"] else "")
            return None
        if m := _PENDING.match(line):
            handler = _M_EXCEPTIONS.get(int(m["num"]), f"exception {m['num']}")
            event = RunnerEvent(EventKind.FAULT, f"{handler} ({self._kind}" +
                                (f": {self._detail})" if self._detail else ")"))
            self._kind = None
            return event
        return None


def _fresh(work: Path) -> None:
    """A work folder without an earlier run's event log and socket."""
    work.mkdir(parents=True, exist_ok=True)
    for name in (EVENT_LOG, QMP_SOCKET, REPORT):
        (work / name).unlink(missing_ok=True)


def qemu_version() -> str:
    """First line of `qemu-system-arm --version`, or "" when it cannot be run."""
    try:
        out = subprocess.run([QEMU, "--version"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return out.stdout.splitlines()[0].strip() if out.stdout else ""


class QemuRunner(Runner):
    name = "qemu"
    _version: str | None = None  # per instance once asked; "" when QEMU would not say
    _plugin: Path | PluginUnavailable | None = None  # per instance once built (or refused)

    def check_available(self) -> None:
        if shutil.which(QEMU) is None:
            raise ToolMissing(f"{QEMU} not found; install the Debian package qemu-system-arm "
                              "(ci/setup does)")

    def command(self, binary: str, counted: CountedRun | None = None) -> list[str]:
        """The qemu command line for a binary (a path as QEMU sees it), with the
        instruction-count plugin when `counted`. QEMU runs in the run's work folder: its
        event log, QMP socket and count report are named relative to it, which keeps the
        socket path short (unix socket paths are limited to ~100 bytes)."""
        argv = [QEMU, "-M", str(self.emulator.machine)]
        if self.emulator.cpu:
            argv += ["-cpu", self.emulator.cpu]
        return argv + ["-nographic", "-monitor", "none", "-serial", "null",
                       "-semihosting-config", "enable=on,target=native",
                       "-d", "int,guest_errors", "-D", EVENT_LOG,
                       "-qmp", f"unix:{QMP_SOCKET},server=on,wait=off",
                       *(["-plugin", counted.argument()] if counted else []),
                       *self.emulator.args, "-kernel", binary]

    def debug_server(self, launch: Launch, binary: Path, work_dir: Path,
                     port: int) -> DebugServer:
        """The run's command line, halted at reset (-S) with a gdb server (-gdb)."""
        _fresh(work_dir)
        return DebugServer((*self.command(launch.stage(binary.resolve(), work_dir)),
                            "-gdb", f"tcp:{launch.listen_host}:{port}", "-S"))

    def run(self, request: RunRequest) -> RunOutcome:
        work = request.work_dir.resolve()
        _fresh(work)
        with self.launcher.open(work) as launch:
            plugin = self.plugin()
            counted = (CountedRun(launch.stage(plugin, work), request.marks)
                       if plugin is not None else None)
            argv = self.command(launch.stage(request.binary.resolve(), work), counted)
            command = launch.command(argv, work, deadline_s=request.timeout_s)
            watcher = TailWatcher(FileTail(work / EVENT_LOG, QemuEventParser()),
                                  lambda event: self.locate_fault(event, work / QMP_SOCKET))
            try:
                outcome = run_process(command, request, watcher,
                                      wrap=counted.wrap if counted else None)
            finally:
                (work / QMP_SOCKET).unlink(missing_ok=True)
            outcome = launch.check(outcome, request.log_path)
            return counted.finish(outcome, work) if counted else outcome

    def plugin(self) -> Path | None:
        """The instruction-count plugin, built (or found in the cache) once per runner;
        None when it cannot be built here (notes() says why)."""
        if self._plugin is None:
            try:
                self._plugin = build_plugin()
            except PluginUnavailable as exc:
                self._plugin = exc
        return self._plugin if isinstance(self._plugin, Path) else None

    def notes(self) -> tuple[str, ...]:
        if self.plugin() is None:
            return (f"{self._plugin}; runs go on without instruction counts",)
        return ()

    def locate_fault(self, event: RunnerEvent, qmp: Path) -> RunnerEvent:
        """Add the faulting PC from the stacked exception frame to a fault event."""
        code = [(m.origin, m.length) for m in self.target.memory if m.name == "FLASH"]
        frame = read_stacked_frame(qmp, code or [(0, 1 << 32)])
        if frame is None:
            return event
        return replace(event, message=f"{event.message} at pc 0x{frame.pc:08x} "
                                      f"(lr 0x{frame.lr:08x}, from the stacked frame)")

    def version(self) -> str | None:
        # Asked once per runner, not once per binary: the session records it in every result.
        if self._version is None:
            self._version = qemu_version()
        return self._version or None
