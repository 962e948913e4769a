"""`tflm-test debug`: one test binary on its target's emulator, halted, with gdb attached.

The emulator's command line is the one a run uses (Runner.debug_server adds the gdb server
and the halt to it), started through the same launcher (here or in Docker) and followed by the
same loop, so the program's output is shown and logged as in a run. gdb-multiarch gets the
ELF's symbols, a breakpoint and `continue`; when gdb ends, the emulator is stopped. On a
target without an emulator (host) gdb runs the program itself.

The breakpoint is --break LOCATION, or the first failing check (file:line) of --case NAME in
the last result for the binary: the report --from names, else the newest result.json of a
run of that binary under the out folder (every run writes one, see session.RESULT_NAME).
"""

from __future__ import annotations

import json
import math
import shlex
import shutil
import signal
import socket
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from .elf import check_elf, sections
from .errors import ExitCode, RunnerUnavailable, TflmTestError, ToolMissing
from .pipeline import Events, RunOptions, load_targets
from .history import read_report
from .runners.base import Runner, RunOutcome, RunRequest
from .runners.launch import Command, Launch
from .runners.process import die_with_parent, run_process
from .session import LOG_NAME, RESULT_NAME, plan_target
from .targets import EmulatorKind, Target

GDB = "gdb-multiarch"
GDB_PACKAGE = "gdb-multiarch"
DEBUG_DIR = "debug"  # <out>/debug/<target>/<binary stem>/: the debug session's files
SERVER_WAIT_S = 30.0  # for the gdb server to answer (a container takes a second or two)
DEFAULT_BREAK = "main"  # when neither --break, --case nor an earlier failure says where


class DebugMode(StrEnum):
    ATTACH = "attach"  # start the emulator and gdb (the default)
    PRINT = "print"  # --print-command: print the command lines, start nothing
    SERVE = "serve"  # --no-attach: start the emulator with its gdb server and wait


@dataclass(frozen=True)
class DebugConfig:
    """Every option of `tflm-test debug`; cli.py defines one flag per field."""

    binary: Path
    target: str
    case: str | None = None  # --case NAME
    location: str | None = None  # --break LOCATION (gdb's syntax)
    report: Path | None = None  # --from REPORT; None: the newest result in the out folder
    port: int | None = None  # --port; None: a free one
    mode: DebugMode = DebugMode.ATTACH
    gdb_commands: tuple[str, ...] = ()  # --ex CMD: run in gdb once the breakpoint is hit
    batch: bool = False  # --batch: gdb quits after them (gdb -batch)
    options: RunOptions = RunOptions()


@dataclass(frozen=True)
class DebugPlan:
    """What a debug session runs; nothing is started yet."""

    binary: Path
    target: Target
    breakpoint: str
    gdb: tuple[str, ...]
    emulator: Command | None  # None: gdb runs the program itself (host)
    address: str | None  # the gdb server, host:port on this machine
    log_path: Path | None
    runner: str  # how results name the runner, e.g. "qemu netduino2"
    gdb_start: tuple[str, ...] = ()  # what gdb sends for the emulator to run (Renode's start)

    def launch_json(self) -> list[dict[str, Any]]:
        """VS Code launch configurations (cortex-debug and cppdbg) for this session."""
        common = {"name": f"tflm-test {self.binary.stem} on {self.target.name}",
                  "cwd": str(self.binary.parent)}
        cppdbg: dict[str, Any] = {
            **common, "type": "cppdbg", "request": "launch", "program": str(self.binary),
            "MIMode": "gdb", "miDebuggerPath": GDB, "stopAtEntry": False,
            "setupCommands": [{"text": f"break {self.breakpoint}"}]}
        if self.address is None:
            return [cppdbg]
        cppdbg["miDebuggerServerAddress"] = self.address
        if self.gdb_start:
            cppdbg["postRemoteConnectCommands"] = [{"text": c} for c in self.gdb_start]
        cortex = {**common, "type": "cortex-debug", "request": "attach",
                  "servertype": "external", "gdbTarget": self.address,
                  "executable": str(self.binary), "gdbPath": GDB,
                  "postAttachCommands": [f"break {self.breakpoint}", *self.gdb_start,
                                         "continue"]}
        return [cortex, cppdbg]


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def last_result(binary: Path, target: str, report: Path | None,
                out_dir: Path) -> dict[str, Any] | None:
    """The latest JSON result of `binary` on `target`: from `report` when given, else the
    newest result.json of its runs under out_dir; None when there is none.

    Raises:
        TflmTestError: `report` is unreadable, not a report, or has no result for it.
    """
    wanted = binary.resolve()
    if report is not None:
        found = _record_of(read_report(report, "--from").document, wanted, target)
        if found is None:
            raise TflmTestError(f"--from {report}: no result for {binary} on {target}")
        return found
    runs = sorted((out_dir / target).glob(f"**/{RESULT_NAME}"),
                  key=lambda p: p.stat().st_mtime, reverse=True)
    for path in runs:
        try:
            found = _record_of(read_report(path, "result").document, wanted, target)
        except TflmTestError:
            continue  # a half-written or foreign file: look at the next run
        if found is not None:
            return found
    return None


def _record_of(doc: dict[str, Any], binary: Path, target: str) -> dict[str, Any] | None:
    for record in doc.get("results") or []:
        if (isinstance(record, dict) and record.get("target") == target
                and Path(str(record.get("binary"))).resolve() == binary):
            return record
    return None


def first_failure(record: dict[str, Any], case: str | None) -> str | None:
    """file:line of the first failing check of `case` (None: of the first case with one).

    Raises:
        TflmTestError: the named case is not in the result, or has no failing check.
    """
    cases = [c for c in record.get("cases") or [] if case is None or c.get("name") == case]
    if case is not None and not cases:
        names = ", ".join(str(c.get("name")) for c in record.get("cases") or []) or "none"
        raise TflmTestError(f"case {case!r} is not in the last result of {record['binary']} "
                            f"(its cases: {names})")
    for entry in cases:
        for failure in entry.get("failures") or []:
            if failure.get("file") and failure.get("line"):
                return f"{failure['file']}:{failure['line']}"
    if case is not None:
        raise TflmTestError(f"case {case!r} has no failing check with a file:line in the last "
                            f"result ({cases[0].get('status')}: {cases[0].get('reason') or 'passed'});"
                            " give --break LOCATION")
    return None


def breakpoint_for(config: DebugConfig) -> str:
    """--break, else the failing check of --case (or of the first failing case) in the last
    result, else main.

    Raises:
        TflmTestError: --case is given but no earlier result of the binary is found.
    """
    if config.location:
        return config.location
    record = last_result(config.binary, config.target, config.report,
                         config.options.out_dir.resolve())
    if record is None:
        if config.case is not None:
            raise TflmTestError(
                f"--case {config.case}: no earlier result of {config.binary} on "
                f"{config.target} under {config.options.out_dir} (run it first, e.g. "
                f"`tflm-test run {config.binary} --target {config.target}`), or give "
                "--from REPORT or --break LOCATION")
        return DEFAULT_BREAK
    return first_failure(record, config.case) or DEFAULT_BREAK


def gdb_argv(binary: Path, location: str, address: str | None,
             commands: tuple[str, ...] = (), batch: bool = False,
             start: tuple[str, ...] = ()) -> list[str]:
    """gdb-multiarch with the ELF, a breakpoint at location, the emulator's `start` commands
    and `continue` to it (over the gdb server at address), or `run` to it when gdb runs the
    program (address None)."""
    argv = [GDB, "-q", *(["-batch"] if batch else [])]
    if address is not None:
        argv += [str(binary), "-ex", f"target remote {address}"]
    argv += ["-ex", f"break {location}", *(arg for c in start for arg in ("-ex", c)),
             "-ex", "continue" if address else "run"]
    for command in commands:
        argv += ["-ex", command]
    return argv + ([] if address else ["--args", str(binary)])


def _check_debug_info(binary: Path) -> None:
    if not any(s.name == ".debug_line" for s in sections(binary)):
        raise TflmTestError(f"{binary} has no debug information (.debug_line): build it with "
                            "-g to debug it by file and line")


def check_gdb() -> None:
    """Raises ToolMissing naming the Debian package when gdb-multiarch is not installed."""
    if shutil.which(GDB) is None:
        raise ToolMissing(f"{GDB} not found; install the Debian package {GDB_PACKAGE} "
                          "(ci/setup does)")


class DebugSession:
    """A planned debug session; attach() or serve() runs it, close() frees its place
    (a container). Use as a context manager."""

    def __init__(self, plan: DebugPlan, runner: Runner, launch: Launch | None) -> None:
        self.plan = plan
        self._runner = runner
        self._launch = launch

    def close(self) -> None:
        if self._launch is not None:
            self._launch.close()
        self._runner.close()

    def __enter__(self) -> DebugSession:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def attach(self, output: Callable[[str], None]) -> int:
        """Start the emulator and gdb; stop the emulator when gdb ends.

        Returns:
            gdb's exit status.
        """
        with self._emulator(output) as done:
            if self.plan.emulator is not None:
                self._wait_for_server(done)
            return _foreground(self.plan.gdb)

    def serve(self, output: Callable[[str], None], ready: Callable[[], None]) -> int:
        """Start the emulator with its gdb server and wait until it ends or Ctrl-C
        (KeyboardInterrupt, after the emulator was stopped).

        Returns:
            0 once the emulator ended by itself.
        """
        if self.plan.emulator is None:
            raise TflmTestError(f"--no-attach: target {self.plan.target.name} has no emulator "
                                "(gdb runs the program itself); drop --no-attach")
        with self._emulator(output) as done:
            self._wait_for_server(done)
            ready()
            done.wait()
        return int(ExitCode.OK)

    def _wait_for_server(self, done: threading.Event) -> None:
        """Until the gdb server answers a packet: a bare connect is not enough, as Docker's
        proxy accepts connections before the emulator inside listens.

        Raises:
            RunnerUnavailable: the emulator ended first, or did not answer in time.
        """
        assert self.plan.address is not None
        host, _, port = self.plan.address.rpartition(":")
        deadline = time.monotonic() + SERVER_WAIT_S
        while not done.is_set() and time.monotonic() < deadline:
            try:
                with socket.create_connection((host, int(port)), timeout=1.0) as probe:
                    probe.sendall(b"$?#3f")  # "why did you stop": any answer will do
                    if probe.recv(64):
                        return
            except OSError:
                pass
            time.sleep(0.1)
        state = "ended" if done.is_set() else f"did not answer within {SERVER_WAIT_S:.0f}s"
        raise RunnerUnavailable(f"the emulator's gdb server on {self.plan.address} {state}; "
                                f"its output: {self.plan.log_path}")

    @contextmanager
    def _emulator(self, output: Callable[[str], None]) -> Iterator[threading.Event]:
        """The emulator running in a thread through the run's follow loop (every line logged
        and shown, no deadline, no stop rule); stopped when the block ends."""
        done = threading.Event()
        if self.plan.emulator is None:
            yield done
            return
        cancel = threading.Event()
        assert self.plan.log_path is not None
        request = RunRequest(binary=self.plan.binary, log_path=self.plan.log_path,
                             work_dir=self.plan.log_path.parent, timeout_s=math.inf,
                             stop_on=lambda line: output(line) or False, cancel=cancel)
        ended: list[RunOutcome] = []

        def body() -> None:
            try:
                ended.append(run_process(self.plan.emulator, request))  # type: ignore[arg-type]
            finally:
                done.set()

        thread = threading.Thread(target=body, name="debug-emulator", daemon=True)
        thread.start()
        try:
            yield done
        finally:
            cancel.set()
            thread.join()


def _foreground(argv: tuple[str, ...]) -> int:
    """Run gdb on our terminal. Ctrl-C belongs to gdb (it interrupts the program), so we
    ignore SIGINT while it runs; it dies with us like every child."""
    proc = subprocess.Popen(list(argv), preexec_fn=die_with_parent)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        return proc.wait()
    finally:
        signal.signal(signal.SIGINT, previous)
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def open_debug(config: DebugConfig, events: Events = Events()) -> DebugSession:
    """Check everything and plan the session (nothing is started).

    Raises:
        TflmTestError: unknown target, not an ELF for it, no debug info, no earlier result
            for --case, an emulator that is missing or cannot serve gdb.
    """
    options = config.options
    if config.mode is DebugMode.ATTACH:
        check_gdb()
    (target,) = load_targets([config.target], options.load_project(), events)
    binary = config.binary.resolve()
    check_elf(binary, target)
    _check_debug_info(binary)
    location = breakpoint_for(config)
    plan = plan_target(target, options.runner_config(), options.emulator)
    if plan.notice:
        events.notice(plan.notice)
    runner = plan.make_runner(options.runner_config())
    if plan.emulator.runner is EmulatorKind.HOST:
        gdb = gdb_argv(binary, location, None, config.gdb_commands, config.batch)
        return DebugSession(DebugPlan(binary, target, location, tuple(gdb), None, None, None,
                                      runner.describe()), runner, None)
    return _emulated(config, binary, target, location, runner)


def _emulated(config: DebugConfig, binary: Path, target: Target, location: str,
              runner: Runner) -> DebugSession:
    work = (config.options.out_dir / DEBUG_DIR / target.name / binary.stem).resolve()
    work.mkdir(parents=True, exist_ok=True)
    port = config.port or free_port()
    launch = runner.launcher.open(work, runner.read_only_inputs())
    try:
        server = runner.debug_server(launch, binary, work, port)
        command = launch.command(server.argv, work, publish=(port,))
    except BaseException:
        launch.close()
        runner.close()
        raise
    if server.stdin_open:
        command = replace(command, stdin_open=True)
    address = f"127.0.0.1:{port}"
    gdb = gdb_argv(binary, location, address, config.gdb_commands, config.batch,
                   server.gdb_start)
    plan = DebugPlan(binary, target, location, tuple(gdb), command, address, work / LOG_NAME,
                     runner.describe(), server.gdb_start)
    return DebugSession(plan, runner, launch)


def describe_lines(plan: DebugPlan) -> list[str]:
    """--print-command: the emulator's and gdb's command lines and the launch.json snippet."""
    lines = []
    if plan.emulator is not None:
        lines += [f"# emulator ({plan.runner}), gdb server on {plan.address}:",
                  f"cd {shlex.quote(str(plan.emulator.cwd))} && {shlex.join(plan.emulator.argv)}"]
    lines += ["# gdb:", shlex.join(plan.gdb),
              "# VS Code launch.json \"configurations\" (start the emulator first, e.g. "
              "`tflm-test debug ... --no-attach --port N`):",
              json.dumps(plan.launch_json(), indent=2)]
    return lines
