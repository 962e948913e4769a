"""Renode runner: one long-lived headless Renode per Runner serves many binaries.

Renode is driven through its monitor on a pseudo-terminal (pexpect, `--console --hide-log`):
the console then carries only prompts, echoed commands and their answers. Everything else
goes to files in request.work_dir, one set per binary:

- `<stem>.uart`: the SemihostingUart file backend, i.e. exactly the program's output. It is
  followed line by line, copied to request.log_path and given to request.stop_on.
- `<stem>.renode.log`: Renode's own log (monitor `logFile`), followed for fault signs.

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
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import pexpect

from ..errors import RunnerUnavailable
from .base import Runner, RunnerEvent, RunOutcome, RunRequest
from .process import FileTail

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

_M_FAULTS = {3: "HardFault", 4: "MemManage", 5: "BusFault", 6: "UsageFault"}
# Run after the script has created the machine: makes fault exceptions visible (see above).
# Optional: a platform without sysbus.nvic just does not get this help.
FAULT_WATCH_COMMANDS = ("logLevel 0 sysbus.nvic",)


def renode_argv(renode: str) -> list[str]:
    """The command line of a headless Renode whose monitor is on stdin/stdout.

    Args:
        renode: the renode launcher (a host path, or a path inside a container).

    Returns:
        argv for pexpect/subprocess; stdin must stay open (EOF makes Renode quit).
    """
    return [renode, "--disable-xwt", "--console", "--plain", "--hide-log"]


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
        return RunnerEvent("fault", f"CPU abort at pc={m['pc']}: {m['why']}")
    if m := _UNMAPPED.search(line):
        return RunnerEvent("fault", f"{m['access']} at unmapped address {m['addr']} "
                                    f"(non existing peripheral), pc={m['pc']}")
    if m := _NVIC_PENDING.search(line):
        name = _M_FAULTS.get(int(m["num"]))
        return RunnerEvent("fault", f"{name} exception raised ({m['src']}: Set pending IRQ "
                                    f"{m['num']})") if name else None
    if m := _ERROR.search(line):
        kind = "fault" if m["src"].split(".")[0] == "cpu" else "emulator-error"
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

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


class RenodeMonitor:
    """One Renode process and its console monitor."""

    def __init__(self, argv: list[str], start_timeout_s: float = 120.0,
                 command_timeout_s: float = 20.0) -> None:
        """Start Renode and wait for its first prompt.

        Raises:
            MonitorFailure: Renode did not start or exited at once.
        """
        self.command_timeout_s = command_timeout_s
        log.debug("starting %s", shlex.join(argv))
        try:
            self.child = pexpect.spawn(argv[0], argv[1:], encoding="utf-8", codec_errors="replace",
                                       dimensions=(24, 4096), timeout=start_timeout_s)
        except (OSError, pexpect.ExceptionPexpect) as exc:
            raise MonitorFailure("emulator-died", f"cannot start Renode: {exc}") from exc
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
            raise MonitorFailure("emulator-died", f"Renode exited during {what}"
                                 + (f"; last output: {said!r}" if said else "")) from exc
        except pexpect.TIMEOUT as exc:
            raise MonitorFailure("emulator-error", f"Renode did not answer {what} within "
                                 f"{timeout_s:.0f}s") from exc

    def command(self, command: str, timeout_s: float | None = None) -> str:
        """Send one monitor command and return its answer (see clean_output).

        Raises:
            MonitorFailure: Renode died or did not answer in time.
        """
        try:
            self.child.sendline(command)
        except OSError as exc:
            raise MonitorFailure("emulator-died", f"Renode is gone ({exc})") from exc
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


@dataclass
class _Progress:
    """What one run has seen so far."""

    stop_at: float | None = None
    timed_out: bool = False
    stopped: bool = False
    interrupted: bool = False
    hang: str | None = None  # why a run was judged hung before its wall-clock timeout
    events: list[RunnerEvent] = field(default_factory=list)
    virtual_s: float | None = None
    output_virtual_s: float = 0.0  # virtual time of the last output line (or the start)
    new_output: bool = False
    instructions: int | None = None

    def stop_by(self, when: float) -> None:
        self.stop_at = when if self.stop_at is None else min(self.stop_at, when)

    def extras(self, version: str | None) -> dict[str, Any]:
        """RunOutcome.extras: what is known of this run."""
        found = {"emulator_version": version, "executed_instructions": self.instructions,
                 "virtual_time_s": self.virtual_s, "hang": self.hang}
        return {key: value for key, value in found.items() if value is not None}


class _Streams:
    """The two files one run follows: the program's output and Renode's log."""

    def __init__(self, files: _RunFiles, out: IO[str]) -> None:
        self._lines: list[str] = []
        self._uart = FileTail(files.uart, self._collect)
        self._log = FileTail(files.renode_log, parse_log_line)
        self.out = out

    def _collect(self, line: str) -> None:
        self._lines.append(line)

    def poll(self, final: bool = False) -> tuple[list[str], list[RunnerEvent]]:
        """New output lines (already copied to the program's log) and new Renode events."""
        self._uart.poll(final)
        lines, self._lines = self._lines, []
        for line in lines:
            self.out.write(line + "\n")
        self.out.flush()
        return lines, self._log.poll(final)


@dataclass(frozen=True)
class _RunFiles:
    uart: Path  # the UART file backend: the program's output, verbatim
    renode_log: Path  # Renode's own log while this binary ran

    @classmethod
    def of(cls, request: RunRequest) -> _RunFiles:
        request.work_dir.mkdir(parents=True, exist_ok=True)
        request.log_path.parent.mkdir(parents=True, exist_ok=True)
        stem = request.binary.stem
        files = cls(uart=(request.work_dir / f"{stem}.uart").resolve(),
                    renode_log=(request.work_dir / f"{stem}.renode.log").resolve())
        for path in (files.uart, files.renode_log):
            path.unlink(missing_ok=True)  # Renode would rename an old one to *.1 and go on
        return files


class RenodeRunner(Runner):
    """Runs binaries on one long-lived Renode; see the module docstring."""

    name = "renode"
    poll_interval_s = 0.25  # how often virtual time is read while a binary runs
    stall_virtual_s = 30.0  # no output line for this much virtual time: a hang
    command_timeout_s = 20.0  # a monitor command that takes longer: Renode stopped answering
    start_timeout_s = 120.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._monitor: RenodeMonitor | None = None
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
        return f"renode {script}"

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
        if monitor is not None:
            monitor.close()

    def _ensure_monitor(self) -> RenodeMonitor:
        if self._monitor is not None and not self._monitor.alive():
            log.warning("Renode (pid %d) is gone; starting a new one", self._monitor.pid)
            self.close()
        if self._monitor is None:
            self._monitor = RenodeMonitor(renode_argv(self.renode), self.start_timeout_s,
                                          self.command_timeout_s)
            self._version = self._version or parse_version(self._monitor.banner)
        return self._monitor

    def run(self, request: RunRequest) -> RunOutcome:
        """Load, start and follow one binary on the shared Renode, then Clear it.

        request.timeout_s counts from `start` (not from Renode's own start-up). A dead or
        silent Renode becomes an event in this outcome and the next run starts a new Renode.
        request.cancel (Ctrl-C), KeyboardInterrupt and other exceptions quit Renode at once.
        """
        start = time.monotonic()
        progress = _Progress()
        files = _RunFiles.of(request)
        with request.log_path.open("w", encoding="utf-8") as out:
            streams = _Streams(files, out)
            try:
                self._run_on(self._ensure_monitor(), request, files, streams, progress)
            except MonitorFailure as exc:
                progress.events.append(
                    RunnerEvent(exc.kind, f"{exc}; Renode log: {files.renode_log}"))
                self.close()
            except BaseException:
                self.close()
                raise
            progress.events += streams.poll(final=True)[1]
        return RunOutcome(exit_code=None, timed_out=progress.timed_out, stopped=progress.stopped,
                          duration_s=time.monotonic() - start, interrupted=progress.interrupted,
                          events=tuple(progress.events), extras=progress.extras(self._version))

    def _run_on(self, monitor: RenodeMonitor, request: RunRequest, files: _RunFiles,
                streams: _Streams, progress: _Progress) -> None:
        if not self._load(monitor, request, files, progress):
            return
        self._follow(monitor, request, streams, progress)
        if progress.interrupted:
            self.close()  # Ctrl-C: no counters, just stop
        else:
            self._finish(monitor, progress)

    def _load(self, monitor: RenodeMonitor, request: RunRequest, files: _RunFiles,
              progress: _Progress) -> bool:
        """Load the binary with the target's script and start it; False (with an event) when
        Renode refused."""
        try:
            commands = script_commands(str(self.emulator.script), str(request.binary.resolve()),
                                       str(files.uart), str(files.renode_log))
        except ValueError as exc:
            progress.events.append(RunnerEvent("emulator-error", str(exc)))
            return False
        for command in commands:
            if error := command_error(monitor.command(command)):
                progress.events.append(RunnerEvent(
                    "emulator-error", f"Renode refused {command!r}: {error}; Renode log: "
                                      f"{files.renode_log}"))
                monitor.command("Clear")
                return False
        for command in FAULT_WATCH_COMMANDS:
            if error := command_error(monitor.command(command)):
                log.debug("%s: %s (faults show only in the log and the output)", command, error)
        monitor.command("start")
        return True

    def _follow(self, monitor: RenodeMonitor, request: RunRequest, streams: _Streams,
                progress: _Progress) -> None:
        """Copy output until the final line or a fault (plus its grace), a hang or the timeout."""
        timeout_at = time.monotonic() + request.timeout_s
        next_poll = time.monotonic() + self.poll_interval_s
        while True:
            lines, events = streams.poll()
            progress.new_output |= bool(lines)
            if any(request.stop_on(line) for line in lines):
                progress.stop_by(time.monotonic() + request.exit_grace_s)
            progress.events += events
            if any(e.kind in ("fault", "lockup", "emulator-error") for e in events):
                progress.stop_by(time.monotonic() + request.fault_grace_s)
            now = time.monotonic()
            if request.cancel is not None and request.cancel.is_set():
                progress.interrupted = True
                return
            if progress.stop_at is not None and now >= progress.stop_at:
                progress.stopped = True
                return
            if now >= timeout_at:
                progress.timed_out = True
                return
            if now >= next_poll:
                self._check_stall(monitor, progress)
                if progress.timed_out:
                    return
                next_poll = now + self.poll_interval_s
            elif not monitor.alive():
                raise MonitorFailure("emulator-died", f"Renode (pid {monitor.pid}) exited "
                                                      f"while {request.binary.name} ran")
            time.sleep(_POLL_S)

    def _check_stall(self, monitor: RenodeMonitor, progress: _Progress) -> None:
        """Judge a hang by virtual time: no output line for stall_virtual_s."""
        virtual_s = parse_virtual_time(monitor.command("machine ElapsedVirtualTime"))
        if virtual_s is None:
            return
        progress.virtual_s = virtual_s
        if progress.new_output:
            progress.output_virtual_s, progress.new_output = virtual_s, False
        elif virtual_s - progress.output_virtual_s >= self.stall_virtual_s:
            progress.timed_out = True
            progress.hang = (f"no output for {virtual_s - progress.output_virtual_s:.1f}s of "
                             f"virtual time (limit {self.stall_virtual_s:g}s)")

    def _finish(self, monitor: RenodeMonitor, progress: _Progress) -> None:
        """Pause, read the counters, and drop the machine for the next binary."""
        monitor.command("pause")
        progress.instructions = parse_hex_count(monitor.command("sysbus.cpu ExecutedInstructions"))
        virtual_s = parse_virtual_time(monitor.command("machine ElapsedVirtualTime"))
        if virtual_s is not None:
            progress.virtual_s = virtual_s
        monitor.command("Clear")
