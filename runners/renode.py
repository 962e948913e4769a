"""Renode runner: one long-lived headless Renode per Runner serves many binaries.

Renode is driven through its monitor on a pseudo-terminal (pexpect, `--console --hide-log`):
the console then carries only prompts, echoed commands and their answers. Everything else
goes to files in request.work_dir, one set per binary:

- `uart.txt`: the SemihostingUart file backend, i.e. exactly the program's output: the
  source of the follow loop (runners/follow.py), copied to request.log_path.
- `renode.log`: Renode's own log (monitor `logFile`), followed for fault signs and for the
  virtual time at which each output line was written (the UART analyzer logs every line).

Between binaries the machine is dropped with `Clear` and the target's script loaded again
(0.1-0.45 s), instead of paying 3-5 s for a fresh Renode. A Renode that dies or stops
answering costs one binary an "emulator-died"/"emulator-error" event; the next run() starts
a new one.

Faults on Renode do not look like QEMU's (see the log samples above each regex):
- a CPU abort (e.g. executing unmapped memory) is an ERROR log line and the CPU stops;
- an access to unmapped memory is only a "non existing peripheral" WARNING: the program
  goes on, so the runner reports it as a fault;
- a fault exception (HardFault..UsageFault) is visible only as the NVIC's DEBUG line
  "Set pending IRQ 3..6"; the runner raises the NVIC's log level to see it, so a vendor
  handler that just spins is caught at once.
Hangs: request.timeout_s (wall clock) always bounds a run. Besides, a run with no new output
line for RenodeRunner.stall_virtual_s seconds of *virtual* time (30 s = 3e9 instructions at
Renode's default 100 MIPS) is stopped as a hang (timed_out), whatever the CPU is doing:
spinning at a bad address with instructions still counted, looping, or asleep in wfi.

In Docker (runners/docker.py) the same Renode runs in a container that lives as long as the
Renode; the run folders are under its one writable mount (RunnerConfig.out_dir).
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import shutil
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pexpect

from ..errors import RunnerUnavailable
from .base import DebugServer, EventKind, Runner, RunnerEvent, RunOutcome, RunRequest
from .follow import End, FileSource, FileTail, Followed, Watcher, follow
from .launch import Command, Launch
from .process import die_with_parent, outcome

log = logging.getLogger(__name__)

RENODE = "renode"
_POLL_S = 0.02

# Renode, version 1.13.3.38563 (-202611252125)
_VERSION = re.compile(r"Renode, version [^\r\n]+")
# 0x0000000000000B51
_HEX = re.compile(r"^\s*(0x[0-9A-Fa-f]+)\s*$", re.M)
# [Domain = Elapsed Virtual Time: 00:00:00.298100
_VIRTUAL_TIME = re.compile(r"Elapsed Virtual Time: (?P<h>\d+):(?P<m>\d\d):(?P<s>\d\d(?:\.\d+)?)")
# The monitor prompt: "(monitor) " before a machine exists, "(machine-0) " after.
_PROMPT = r"(?:^|[\r\n])\([\w.\-]+\) "
# There was an error executing command 'sysbus LoadELF $bin'  /  No such file /x.resc.
# No such command or device: sysbus.cpu  /  Could not tokenize here:  /  No such variable: $x
_COMMAND_ERROR = re.compile(r"^(There was an error executing command.*|No such (?:file|command"
                            r"|variable).*|Could not tokenize.*)$", re.M)

# 22:30:47.3407 [ERROR] cpu: CPU abort [PC=0x30000000]: Trying to execute code outside RAM or
#   ROM at 0x30000000.   (one line)
_CPU_ABORT = re.compile(r"\[ERROR\] (?P<src>[\w.]+): CPU abort \[PC=(?P<pc>0x[0-9A-Fa-f]+)\]: ?"
                        r"(?P<why>.*?)\.?$")
# 22:29:44.8708 [WARNING] sysbus: [cpu: 0x8000062] ReadDoubleWord from non existing peripheral
#   at 0xE0100000.   (one line)
_UNMAPPED = re.compile(r"\[WARNING\] [\w.]+: \[cpu: (?P<pc>0x[0-9A-Fa-f]+)\] (?P<access>\w+) "
                       r"(?:from|to) non existing peripheral at (?P<addr>0x[0-9A-Fa-f]+)")
# 22:30:50.7872 [DEBUG] nvic: Set pending IRQ 6.
_NVIC_PENDING = re.compile(r"\[DEBUG\] (?P<src>[\w.]*nvic): Set pending IRQ (?P<num>\d+)\.")
# 22:31:02.1234 [ERROR] sysbus: anything else Renode calls an error
_ERROR = re.compile(r"\[ERROR\] (?P<src>[\w.\-]+): (?P<msg>.*)$")
# 22:35:05.4520 [INFO] cpu.uartSemihosting: [host: 0.18s (+0.18s)|virt: 0s (+0s)] Testing A
# 03:27:32.4790 [DEBUG] cpu.uartSemihosting: [+0.22s host +0s virt 0s virt from start] Testing A
_UART_LINE = re.compile(r"\] [\w.]*uart\w*: \[(?:host: [^|\]]*\|virt: (?P<virt>[\d.]+)(?P<unit>[µu]?m?s) "
                        r"|\+[^\]]* virt (?P<old>[\d.]+)(?P<old_unit>[µu]?m?s) virt from start)",
                        re.IGNORECASE)
_UNITS = {"s": 1.0, "ms": 1e-3, "us": 1e-6, "µs": 1e-6}

_M_FAULTS = {3: "HardFault", 4: "MemManage", 5: "BusFault", 6: "UsageFault"}
# Run after the script has created the machine: makes fault exceptions visible (see above).
# Optional: a platform without sysbus.nvic just does not get this help.
FAULT_WATCH_COMMANDS = ("logLevel 0 sysbus.nvic",)


def renode_argv(renode: str, show_log: bool = False) -> list[str]:
    """The command line of a headless Renode whose monitor is on stdin/stdout.

    Args:
        renode: the renode launcher (a host path, or a path inside a container).
        show_log: Renode's log on the console too (a run reads it from a file instead).

    Returns:
        argv for pexpect/subprocess; stdin must stay open (EOF makes Renode quit).
    """
    return [renode, "--disable-xwt", "--console", "--plain", *([] if show_log else ["--hide-log"])]


def _monitor_path(path: str) -> str:
    # Renode's tokenizer has no quoting for @paths: "Could not tokenize here".
    if not path or any(c.isspace() for c in path):
        raise ValueError(f"Renode cannot take a path with whitespace: {path!r}")
    return "@" + path


def script_commands(script: str, binary: str, logfile: str,
                    renode_log: str | None = None) -> list[str]:
    """Monitor commands that load one binary with the target's .resc script (without `start`).

    Args:
        script: absolute path of the target's .resc (it uses $bin and $logfile).
        binary: absolute path of the ELF.
        logfile: absolute path for the UART file backend (the program's output).
        renode_log: absolute path for Renode's own log from now on, or None to leave it.

    Returns:
        The commands, in order.

    Raises:
        ValueError: a path is empty or contains whitespace (Renode cannot parse it).
    """
    # "true": flush after every line, or a fault would show up seconds late
    commands = [f"logFile {_monitor_path(renode_log)} true"] if renode_log is not None else []
    return commands + [f"$bin={_monitor_path(binary)}", f"$logfile={_monitor_path(logfile)}",
                       f"include {_monitor_path(script)}"]


def clean_output(before: str, command: str) -> str:
    """A command's answer from what the console showed before the next prompt.

    Args:
        before: the console text between sending the command and the next prompt.
        command: the command sent (Renode echoes it first).

    Returns:
        The answer, one line per line, without the echo, carriage returns or blank lines.
    """
    lines = [ln.strip("\r") for ln in before.replace("\r\n", "\n").split("\n")]
    lines = [ln for ln in lines if ln.strip()]
    if lines and lines[0].endswith(command):
        lines = lines[1:]
    return "\n".join(lines)


def command_error(answer: str) -> str | None:
    """The error Renode printed for a command, or None when it did not complain."""
    m = _COMMAND_ERROR.search(answer)
    if m is None:
        return None
    rest = answer[m.end():].strip().splitlines()
    return m[1] + (f": {rest[0]}" if rest else "")


def parse_version(text: str) -> str | None:
    """'Renode, version 1.13.3.38563 (...)' from `renode --version` or the banner, else None."""
    m = _VERSION.search(text)
    return m[0].strip() if m else None


def parse_hex_count(answer: str) -> int | None:
    """The number in an answer like '0x0000000000000B51' (cpu ExecutedInstructions)."""
    m = _HEX.search(answer)
    return int(m[1], 16) if m else None


def parse_virtual_time(answer: str) -> float | None:
    """Seconds of virtual time from `machine ElapsedVirtualTime`, else None."""
    m = _VIRTUAL_TIME.search(answer)
    if m is None:
        return None
    return int(m["h"]) * 3600 + int(m["m"]) * 60 + float(m["s"])


def parse_log_line(line: str) -> RunnerEvent | None:
    """An event for one line of Renode's log, or None for an ordinary line.

    Args:
        line: one line of the file written by the monitor's `logFile`.

    Returns:
        RunnerEvent("fault", ...) for a CPU abort, an access to unmapped memory, a pending
        fault exception or another CPU error; RunnerEvent("emulator-error", ...) for an
        error of Renode itself; None otherwise.
    """
    if m := _CPU_ABORT.search(line):
        return RunnerEvent(EventKind.FAULT, f"CPU abort at pc={m['pc']}: {m['why']}")
    if m := _UNMAPPED.search(line):
        return RunnerEvent(EventKind.FAULT, f"{m['access']} at unmapped address {m['addr']} "
                                    f"(non existing peripheral), pc={m['pc']}")
    if m := _NVIC_PENDING.search(line):
        name = _M_FAULTS.get(int(m["num"]))
        return RunnerEvent(EventKind.FAULT, f"{name} exception raised ({m['src']}: Set pending IRQ "
                                    f"{m['num']})") if name else None
    if m := _ERROR.search(line):
        kind = EventKind.FAULT if m["src"].split(".")[0] == "cpu" else EventKind.EMULATOR_ERROR
        return RunnerEvent(kind, f"Renode error from {m['src']}: {m['msg']}")
    return None


def find_renode(configured: Path | None) -> str | None:
    """The renode to run: the configured path, else `renode` on PATH, else None."""
    if configured is not None:
        return str(configured)
    return shutil.which(RENODE)


def renode_version(renode: str, timeout_s: float = 60.0) -> str:
    """`renode --version`, checked.

    Raises:
        RunnerUnavailable: renode cannot be run or does not answer like Renode.
    """
    try:
        out = subprocess.run([renode, "--version"], capture_output=True, text=True,
                             errors="replace", timeout=timeout_s, stdin=subprocess.DEVNULL)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RunnerUnavailable(f"{renode} is not a working renode: {exc}") from exc
    version = parse_version(out.stdout + out.stderr)
    if out.returncode != 0 or version is None:
        said = next((ln.strip() for ln in (out.stdout + out.stderr).splitlines() if ln.strip()),
                    "no output")[:200]
        raise RunnerUnavailable(f"{renode} is not a working renode: `{renode} --version` exited "
                                f"{out.returncode} ({said})")
    return version


class MonitorFailure(Exception):
    """Renode died ("emulator-died") or stopped answering ("emulator-error")."""

    def __init__(self, kind: EventKind, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class RenodeMonitor:
    """One Renode process and its console monitor."""

    def __init__(self, command: Command, start_timeout_s: float = 120.0,
                 command_timeout_s: float = 20.0) -> None:
        """Start Renode (tied to our life, see runners.process) and wait for its first prompt.

        Raises:
            MonitorFailure: Renode did not start or exited at once.
        """
        self.command_timeout_s = command_timeout_s
        argv = list(command.argv)
        log.debug("starting %s", shlex.join(argv))
        try:
            self.child = pexpect.spawn(argv[0], argv[1:], cwd=command.cwd, encoding="utf-8",
                                       codec_errors="replace", dimensions=(24, 4096),
                                       timeout=start_timeout_s, preexec_fn=die_with_parent)
        except (OSError, pexpect.ExceptionPexpect) as exc:
            raise MonitorFailure(EventKind.EMULATOR_DIED, f"cannot start Renode: {exc}") from exc
        self.child.delaybeforesend = None
        self._expect_prompt("start-up", start_timeout_s)
        self.banner = self.child.before or ""

    @property
    def pid(self) -> int:
        return self.child.pid

    def alive(self) -> bool:
        return self.child.isalive()

    def _expect_prompt(self, what: str, timeout_s: float) -> None:
        try:
            self.child.expect(_PROMPT, timeout=timeout_s)
        except pexpect.EOF as exc:
            said = (self.child.before or "").strip()[-300:]
            raise MonitorFailure(EventKind.EMULATOR_DIED, f"Renode exited during {what}"
                                 + (f"; last output: {said!r}" if said else "")) from exc
        except pexpect.TIMEOUT as exc:
            raise MonitorFailure(EventKind.EMULATOR_ERROR, f"Renode did not answer {what} within "
                                 f"{timeout_s:.0f}s") from exc

    def command(self, command: str, timeout_s: float | None = None) -> str:
        """Send one monitor command and return its answer (see clean_output).

        Raises:
            MonitorFailure: Renode died or did not answer in time.
        """
        try:
            self.child.sendline(command)
        except OSError as exc:
            raise MonitorFailure(EventKind.EMULATOR_DIED, f"Renode is gone ({exc})") from exc
        self._expect_prompt(repr(command), timeout_s or self.command_timeout_s)
        answer = clean_output(self.child.before or "", command)
        log.debug("renode> %s -> %r", command, answer[:200])
        return answer

    def close(self, grace_s: float = 5.0) -> None:
        """`quit`, then SIGTERM/SIGKILL the whole process group (the launcher script runs
        mono as a child); idempotent."""
        if self.child.isalive():
            try:
                self.child.sendline("quit")
                self.child.expect(pexpect.EOF, timeout=grace_s)
            except (OSError, pexpect.ExceptionPexpect):
                pass
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(self.child.pid, sig)
            except (ProcessLookupError, PermissionError):
                break
            deadline = time.monotonic() + grace_s
            while self.child.isalive() and time.monotonic() < deadline:
                time.sleep(_POLL_S)
        try:
            self.child.close(force=True)
        except pexpect.ExceptionPexpect:
            pass



UART_FILE = "uart.txt"  # in the run's work folder: the program's output (UART file backend)
RENODE_LOG = "renode.log"  # in the run's work folder: Renode's own log while the binary ran


def _clear_outputs(work: Path) -> None:
    work.mkdir(parents=True, exist_ok=True)
    for name in (UART_FILE, RENODE_LOG):
        (work / name).unlink(missing_ok=True)  # Renode would rename an old one and go on


def parse_uart_time(line: str) -> float | None:
    """Virtual seconds at which the UART analyzer saw an output line (both log formats in
    notes/renode.md), or None for any other log line."""
    m = _UART_LINE.search(line)
    if m is None:
        return None
    value, unit = (m["virt"], m["unit"]) if m["virt"] is not None else (m["old"], m["old_unit"])
    return float(value) * _UNITS[unit.lower()]


class RenodeWatcher(Watcher):
    """Renode's log (faults, virtual line times) and the virtual-time hang rule."""

    def __init__(self, monitor: RenodeMonitor, files: Path, stall_virtual_s: float) -> None:
        self.monitor = monitor
        self.uart = files / UART_FILE
        self.tail = FileTail(files / RENODE_LOG, self._parse)
        self.stall_virtual_s = stall_virtual_s
        self.virtual_times: list[float] = []
        self.virtual_s: float | None = None
        self.instructions: int | None = None  # read once the run is over
        self._output_at = 0.0  # virtual time when the output last grew
        self._output_size = 0

    def _parse(self, line: str) -> RunnerEvent | None:
        if (at := parse_uart_time(line)) is not None:
            self.virtual_times.append(at)
            return None
        return parse_log_line(line)

    def poll(self) -> list[RunnerEvent]:
        return self.tail.poll()

    def final(self) -> list[RunnerEvent]:
        return self.tail.poll(final=True)

    def check(self) -> str | None:
        """A hang: no new output for stall_virtual_s of virtual time."""
        virtual_s = parse_virtual_time(self.monitor.command("machine ElapsedVirtualTime"))
        if virtual_s is None:
            return None
        self.virtual_s = virtual_s
        size = self.uart.stat().st_size if self.uart.exists() else 0
        if size != self._output_size:
            self._output_size, self._output_at = size, virtual_s
        elif virtual_s - self._output_at >= self.stall_virtual_s:
            return (f"no output for {virtual_s - self._output_at:.1f}s of virtual time "
                    f"(limit {self.stall_virtual_s:g}s)")
        return None


class RenodeRunner(Runner):
    """Runs binaries on one long-lived Renode; see the module docstring."""

    name = "renode"
    stall_virtual_s = 30.0  # no output line for this much virtual time: a hang
    command_timeout_s = 20.0  # a monitor command that takes longer: Renode stopped answering
    start_timeout_s = 120.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._monitor: RenodeMonitor | None = None
        self._launch: Launch | None = None
        self._version: str | None = None

    @property
    def renode(self) -> str:
        return find_renode(self.config.renode) or RENODE

    @property
    def pid(self) -> int | None:
        """The running Renode's process id (its process group), or None."""
        return self._monitor.pid if self._monitor is not None else None

    def describe(self) -> str:
        script = self.emulator.script.name if self.emulator.script else "no script"
        return self.launcher.describe(f"renode {script}")

    def check_available(self) -> None:
        """Renode is optional and provided by the user: say how to point at it.

        Raises:
            RunnerUnavailable: no renode, a path that is not a working renode, or no script.
        """
        renode = find_renode(self.config.renode)
        how = ("Renode is optional and user-provided: install it (https://renode.io, or the "
               "antmicro/renode Docker image with --docker) and point tflm-test at it with "
               "--renode PATH or TFLM_TEST_RENODE=PATH")
        if renode is None:
            raise RunnerUnavailable(f"renode not found on PATH. {how}")
        if self.config.renode is not None and not Path(renode).is_file():
            raise RunnerUnavailable(f"--renode/TFLM_TEST_RENODE: {renode} does not exist. {how}")
        try:
            self._version = renode_version(renode)
        except RunnerUnavailable as exc:
            raise RunnerUnavailable(f"{exc}. {how}") from exc
        self.check_inputs()

    def check_inputs(self) -> None:
        if self.emulator.script is None or not self.emulator.script.is_file():
            raise RunnerUnavailable(f"target {self.target.name}: Renode script "
                                    f"{self.emulator.script} not found")

    def version(self) -> str | None:
        if self._version is None:
            try:
                self._version = renode_version(self.renode)
            except RunnerUnavailable:
                return None
        return self._version

    def close(self) -> None:
        """Quit Renode and leave no process behind; idempotent."""
        monitor, self._monitor = self._monitor, None
        launch, self._launch = self._launch, None
        if monitor is not None:
            monitor.close()
        if launch is not None:
            launch.close()

    def _ensure_monitor(self, work: Path) -> tuple[RenodeMonitor, Launch]:
        """The running Renode, or a new one (also when the old one cannot see `work`)."""
        if self._monitor is not None and not self._monitor.alive():
            log.warning("Renode (pid %d) is gone; starting a new one", self._monitor.pid)
            self.close()
        if self._launch is not None and not self._launch.sees(work):
            self.close()
        if self._monitor is None or self._launch is None:
            self._launch = self.launcher.open(self.config.out_dir or work, self.read_only_inputs())
            program = self._launch.program(RENODE, self.renode)
            command = self._launch.command(renode_argv(program), work, interactive=True)
            self._monitor = RenodeMonitor(command, self.start_timeout_s, self.command_timeout_s)
            self._version = self._version or parse_version(self._monitor.banner)
        return self._monitor, self._launch

    def read_only_inputs(self) -> tuple[Path, ...]:
        return (self.emulator.script.parent,) if self.emulator.script else ()

    def debug_server(self, launch: Launch, binary: Path, work_dir: Path,
                     port: int) -> DebugServer:
        """A Renode of its own with the run's script loaded (not started) and a gdb server,
        as Renode's manual ("Debugging with GDB") has it: `machine StartGdbServer PORT`, then
        gdb sends `monitor start` (the emulation does not start on gdb's `continue` alone).
        Renode's log is on the console: its UART analyzer's lines carry the program's
        output (the file backend gets it too, as in a run).

        Raises:
            RunnerUnavailable: a path Renode cannot take (whitespace), a script not visible.
        """
        work = work_dir.resolve()
        _clear_outputs(work)
        try:
            commands = script_commands(launch.path(self.emulator.script or Path("<no script>")),
                                       launch.stage(binary.resolve(), work),
                                       launch.path(work / UART_FILE))
        except ValueError as exc:
            raise RunnerUnavailable(str(exc)) from None
        execute = [arg for command in (*commands, f"machine StartGdbServer {port}")
                   for arg in ("-e", command)]
        return DebugServer((*renode_argv(launch.program(RENODE, self.renode), show_log=True),
                            *execute), gdb_start=("monitor start",), stdin_open=True)

    def run(self, request: RunRequest) -> RunOutcome:
        """Load, start and follow one binary on the shared Renode, then Clear it.

        request.timeout_s counts from `start` (not from Renode's own start-up). A dead or
        silent Renode becomes an event in this outcome and the next run starts a new Renode.
        request.cancel (Ctrl-C), KeyboardInterrupt and other exceptions quit Renode at once.
        """
        start = time.monotonic()
        work = request.work_dir.resolve()
        _clear_outputs(work)
        try:
            followed, watcher = self._run_on(*self._ensure_monitor(work), request, work)
        except MonitorFailure as exc:
            self.close()
            followed = Followed(End.ENDED, (RunnerEvent(exc.kind, f"{exc}; Renode log: "
                                                                   f"{work / RENODE_LOG}"),), ())
            watcher = None
        except BaseException:
            self.close()
            raise
        return self._outcome(followed, watcher, start)

    def _run_on(self, monitor: RenodeMonitor, launch: Launch, request: RunRequest,
                work: Path) -> tuple[Followed, RenodeWatcher | None]:
        refused = self._load(monitor, launch, request, work)
        if refused is not None:
            return Followed(End.ENDED, (refused,), ()), None
        watcher = RenodeWatcher(monitor, work, self.stall_virtual_s)
        source = FileSource(work / UART_FILE, ended=lambda: not monitor.alive())
        followed = follow(source, request, lambda: monitor.command("pause"), watcher)
        if followed.end is End.ENDED:  # the output only ends when Renode is gone
            died = RunnerEvent(EventKind.EMULATOR_DIED, f"Renode (pid {monitor.pid}) exited "
                                                        f"while {request.binary.name} ran")
            self.close()
            return Followed(followed.end, (*followed.events, died), followed.line_times), watcher
        if followed.end is End.INTERRUPTED:
            self.close()  # Ctrl-C: no counters, just stop
        else:
            self._finish(monitor, watcher)
        return followed, watcher

    def _load(self, monitor: RenodeMonitor, launch: Launch, request: RunRequest,
              work: Path) -> RunnerEvent | None:
        """Load the binary with the target's script and start it; the event when Renode
        refused, else None."""
        try:
            commands = script_commands(launch.path(self.emulator.script or Path("<no script>")),
                                       launch.stage(request.binary.resolve(), work),
                                       launch.path(work / UART_FILE), launch.path(work / RENODE_LOG))
        except (ValueError, RunnerUnavailable) as exc:
            return RunnerEvent(EventKind.EMULATOR_ERROR, str(exc))
        for command in commands:
            if error := command_error(monitor.command(command)):
                monitor.command("Clear")
                return RunnerEvent(EventKind.EMULATOR_ERROR, f"Renode refused {command!r}: "
                                                             f"{error}; Renode log: {work / RENODE_LOG}")
        for command in FAULT_WATCH_COMMANDS:
            if error := command_error(monitor.command(command)):
                log.debug("%s: %s (faults show only in the log and the output)", command, error)
        monitor.command("start")
        return None

    def _finish(self, monitor: RenodeMonitor, watcher: RenodeWatcher) -> None:
        """Read the counters (the machine is paused) and drop the machine for the next binary."""
        watcher.instructions = parse_hex_count(monitor.command("sysbus.cpu ExecutedInstructions"))
        virtual_s = parse_virtual_time(monitor.command("machine ElapsedVirtualTime"))
        if virtual_s is not None:
            watcher.virtual_s = virtual_s
        monitor.command("Clear")

    def _outcome(self, followed: Followed, watcher: RenodeWatcher | None,
                 start: float) -> RunOutcome:
        extras: dict[str, Any] = {"emulator_version": self._version}
        if watcher is not None:
            extras["virtual_time_s"] = watcher.virtual_s
            extras["executed_instructions"] = watcher.instructions
            if len(watcher.virtual_times) == len(followed.line_times) > 0:
                # Renode's own clock per line: case durations in virtual time
                followed = Followed(followed.end, followed.events,
                                    tuple(watcher.virtual_times), followed.hang)
                extras["line_clock"] = "virtual"
        return outcome(followed, None, start,
                       {k: v for k, v in extras.items() if v is not None})
