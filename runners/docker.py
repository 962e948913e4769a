"""Docker runner: the target's emulator (QEMU or Renode) runs inside a container of the
emulator image, driven through the docker SDK.

QEMU: QemuRunner.command with container paths; the program's output is the container's
stream, faults come from QEMU's -d log (QemuEventParser) and its QMP socket (faulting PC).
Renode: one fresh Renode per binary in console mode (`-e` commands from runners.renode, then
`start`); the program's output is the UART file backend in the work folder, faults come from
Renode's log (parse_log_line). Unlike the direct RenodeRunner there is no long-lived Renode
(each binary pays Renode's 2-3 s start-up), no virtual-time hang rule and no instruction
count: only the wall-clock timeout, counted from "Starting emulation".

The container sees three folders: the binary's and the board's (its .resc) read-only, the run's
work folder read-write (the emulator's event log lands there and is followed from the host
with FileTail). The container has no network, runs as the calling user, and is named
tflm-test-<uuid> so it can always be removed by name: the `finally` of every run removes it
(timeout, stop after the final line, Ctrl-C, exceptions). The command inside is wrapped in
coreutils `timeout`, so even a client killed with SIGKILL cannot leave a running container
behind (an exited one it can: `docker rm -f $(docker ps -aq --filter label=tflm-test)`).

Exit codes come from the container's wait result. A process killed by a signal inside the
container shows as 128+N there, where a direct run reports -N.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import ModuleType
from typing import TYPE_CHECKING

from .. import __version__
from ..errors import RunnerUnavailable
from ..targets import EmulatorSpec, Target
from .base import Runner, RunnerConfig, RunnerEvent, RunOutcome, RunRequest
from .process import EventHook, FileTail, Followed, drain, follow, read_from, start_pump
from .qemu import QEMU, QemuEventParser, QemuRunner
from .renode import (FAULT_WATCH_COMMANDS, RENODE, command_error, parse_log_line, renode_argv,
                     script_commands)

if TYPE_CHECKING:
    from docker import DockerClient
    from docker.models.containers import Container

log = logging.getLogger(__name__)

IMAGE_REPOSITORY = "tflm-test/emulators"
CONTAINER_PREFIX = "tflm-test-"
LABEL = "tflm-test"  # every container we create carries it (value: the binary's name)
BIN_DIR = PurePosixPath("/tflm/bin")
PLATFORMS_DIR = PurePosixPath("/tflm/platforms")
WORK_DIR = PurePosixPath("/tflm/work")
CONTROL_DIR = PurePosixPath("/tflm/control")  # a short private host folder: QMP socket
DEADLINE_MARGIN_S = 30.0  # the in-container `timeout` fires this long after the run's timeout
STOP_GRACE_S = 2.0  # docker stop: SIGTERM, then SIGKILL after this long
RENODE_START_TIMEOUT_S = 120.0  # Renode start-up and script load; the run's timeout follows
RENODE_STARTED = "Starting emulation"  # the console says so after `start`
_CONSOLE_KEEP = 8192  # characters of a Renode console kept for error messages
_POLL_S = 0.02  # seconds between looks at a file the container writes
_API_TIMEOUT_S = 30  # seconds: one engine API call (create, wait after exit, remove)
_START_HINT = ("start the engine (`sudo dockerd --iptables=false &`, or `sudo systemctl start "
               "docker`) or point DOCKER_HOST at one")


def default_image() -> str:
    """The emulator image this version of tflm-test builds and runs by default.

    Returns:
        "tflm-test/emulators:<version>", the version made a valid Docker tag.
    """
    return f"{IMAGE_REPOSITORY}:{re.sub(r'[^A-Za-z0-9_.-]', '-', __version__)}"


@dataclass(frozen=True)
class Mount:
    """A host folder as the container sees it."""

    host: Path
    container: PurePosixPath
    read_only: bool


@dataclass(frozen=True)
class ContainerPlan:
    """Everything one run needs to create its container; pure data, built without an engine."""

    name: str
    argv: tuple[str, ...]  # inside the container, already wrapped in the deadline
    mounts: tuple[Mount, ...]
    event_log: Path | None  # host path of the emulator's own log, followed while it runs
    qmp_socket: Path | None = None  # host path of QEMU's QMP socket (reads the fault frame)
    output_file: Path | None = None  # host path of the program's output; None: the stream
    started_marker: str | None = None  # console text that says the program now runs
    stdin_open: bool = False  # Renode's console quits at end of input: keep stdin open


def plan_mounts(binary: Path, work_dir: Path, platforms_dir: Path | None,
                control_dir: Path | None = None) -> tuple[Mount, ...]:
    """The folders one run mounts: binary folder and platforms/ read-only, work folder and
    the private control folder (QEMU's QMP socket) read-write. Paths must already be
    absolute (the engine resolves nothing)."""
    mounts = [Mount(binary.parent, BIN_DIR, True), Mount(work_dir, WORK_DIR, False)]
    if platforms_dir is not None:
        mounts.append(Mount(platforms_dir, PLATFORMS_DIR, True))
    if control_dir is not None:
        mounts.append(Mount(control_dir, CONTROL_DIR, False))
    return tuple(mounts)


def to_container(path: Path, mounts: tuple[Mount, ...]) -> PurePosixPath:
    """Where the container sees a host path, through the first mount that holds it.

    Raises:
        ValueError: no mount holds the path.
    """
    for mount in mounts:
        if path == mount.host or mount.host in path.parents:
            return mount.container.joinpath(*path.relative_to(mount.host).parts)
    raise ValueError(f"{path} is not under any folder mounted into the container")


def _inside(path: Path, mounts: tuple[Mount, ...]) -> str:
    try:
        return str(to_container(path, mounts))
    except ValueError as exc:
        raise RunnerUnavailable(f"{exc} ({', '.join(str(m.host) for m in mounts)}); "
                                "keep the file under one of them") from exc


def renode_plan(emulator: EmulatorSpec, binary: Path, work_dir: Path, mounts: tuple[Mount, ...],
                timeout_s: float) -> ContainerPlan:
    """A per-binary Renode in console mode: the target's script loads the binary and starts
    it; the UART file backend (the program's output) and Renode's log land in the work folder.

    Raises:
        RunnerUnavailable: the script or binary is outside the mounts, or a path has
            whitespace (Renode cannot parse it).
    """
    uart = work_dir / f"{binary.stem}.uart"
    renode_log = work_dir / f"{binary.stem}.renode.log"
    script = emulator.script or Path("<no script>")
    try:
        commands = script_commands(_inside(script, mounts), _inside(binary, mounts),
                                   _inside(uart, mounts), _inside(renode_log, mounts))
    except ValueError as exc:
        raise RunnerUnavailable(str(exc)) from exc
    commands += [*FAULT_WATCH_COMMANDS, "start"]
    argv = renode_argv(RENODE) + [arg for command in commands for arg in ("-e", command)]
    return ContainerPlan(container_name(),
                         tuple(with_deadline(argv, timeout_s + RENODE_START_TIMEOUT_S)), mounts,
                         event_log=renode_log, output_file=uart,
                         started_marker=RENODE_STARTED, stdin_open=True)


def with_deadline(argv: list[str], timeout_s: float) -> list[str]:
    """argv under coreutils `timeout`: the container ends by itself even if nobody stops it."""
    limit = int(timeout_s + DEADLINE_MARGIN_S + 0.999)
    return ["timeout", f"--kill-after={int(STOP_GRACE_S) + 1}", str(limit), *argv]


def container_name() -> str:
    """A fresh container name; the prefix lets tests and users find ours."""
    return f"{CONTAINER_PREFIX}{uuid.uuid4().hex}"


def _sdk() -> ModuleType:
    try:
        import docker
    except ImportError as exc:
        raise RunnerUnavailable("the Python package 'docker' is missing: pip install docker "
                                f"(a dependency of tflm-test) ({exc})") from exc
    return docker


def connect(timeout_s: float = _API_TIMEOUT_S) -> DockerClient:
    """A client for the engine named by the environment (DOCKER_HOST, else the local socket).

    Args:
        timeout_s: how long one API call may go without a reply.

    Raises:
        RunnerUnavailable: the docker SDK is missing or the engine does not answer.
    """
    docker = _sdk()
    try:
        client = docker.from_env(timeout=int(timeout_s))
        client.ping()
    except docker.errors.DockerException as exc:
        raise RunnerUnavailable(f"Docker engine not reachable ({_one_line(exc)}); "
                                f"{_START_HINT}") from exc
    return client


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _engine_errors() -> tuple[type[BaseException], ...]:
    """What a broken engine raises mid-run (API errors, dropped connections)."""
    import requests

    return (_sdk().errors.DockerException, requests.RequestException)


def remove_container(client: DockerClient, name: str) -> None:
    """Kill and remove the named container if it exists; never raises for a missing one."""
    docker = _sdk()
    try:
        client.api.remove_container(name, force=True)
    except docker.errors.NotFound:
        return
    except docker.errors.APIError as exc:
        if "already in progress" not in str(exc):
            log.warning("could not remove container %s: %s", name, _one_line(exc))


def _create(client: DockerClient, image: str, plan: ContainerPlan) -> Container:
    types = _sdk().types
    mounts = [types.Mount(str(m.container), str(m.host), type="bind", read_only=m.read_only)
              for m in plan.mounts]
    log.debug("container %s: %s", plan.name, shlex.join(plan.argv))
    return client.containers.create(
        image, command=list(plan.argv), name=plan.name, mounts=mounts, network_mode="none",
        user=f"{os.getuid()}:{os.getgid()}", environment={"HOME": "/tmp"}, init=True,
        working_dir=str(WORK_DIR), labels={LABEL: plan.name}, stdin_open=plan.stdin_open,
        tty=False)


def _exit_code(container: Container) -> int | None:
    """The status of a container whose output stream has ended."""
    status = container.wait(timeout=_API_TIMEOUT_S)
    code = status.get("StatusCode")
    return int(code) if code is not None else None


def _stop(container: Container) -> None:
    """docker stop: SIGTERM to the init process, SIGKILL after STOP_GRACE_S."""
    docker = _sdk()
    try:
        container.stop(timeout=int(STOP_GRACE_S))
    except docker.errors.NotFound:
        pass


def run_container(client: DockerClient, image: str, plan: ContainerPlan, request: RunRequest,
                  tail: FileTail | None = None, on_fault: EventHook | None = None) -> RunOutcome:
    """Run one planned container to exit, stop rule, fault or timeout, its output streamed
    into request.log_path; the container is removed whatever happens (Ctrl-C included).

    Args:
        client: a connected engine client.
        image: the emulator image.
        plan: the container to create.
        request: the run's binary, log, deadlines and stop rule.
        tail: follows the emulator's event log (plan.event_log) while the container runs.
        on_fault: may enrich a fault event while the program sits in its handler.

    Returns:
        The outcome, exit code from the container's wait result (None when we stopped it).

    Raises:
        RunnerUnavailable: the image is missing or the engine failed during the run.
    """
    start = time.monotonic()
    request.log_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        followed, exit_code = _follow_container(client, image, plan, request, tail, on_fault)
    except _sdk().errors.ImageNotFound as exc:
        raise RunnerUnavailable(_missing_image(image)) from exc
    except _engine_errors() as exc:
        raise RunnerUnavailable(f"Docker engine failed running {request.binary.name} "
                                f"({_one_line(exc)}); log so far: {request.log_path}") from exc
    finally:
        remove_container(client, plan.name)
    return RunOutcome(exit_code=exit_code, timed_out=followed.timed_out,
                      stopped=followed.stopped, duration_s=time.monotonic() - start,
                      interrupted=followed.interrupted, events=followed.events)


def _follow_container(client: DockerClient, image: str, plan: ContainerPlan, request: RunRequest,
                      tail: FileTail | None,
                      on_fault: EventHook | None) -> tuple[Followed, int | None]:
    container = _create(client, image, plan)
    # Attached before start, as `docker run` does, so not a byte of output is missed.
    stream = container.attach(stdout=True, stderr=True, stream=True, logs=True)
    container.start()
    if plan.output_file is not None:
        return _follow_file(container, stream, plan, request, tail), None
    lines = start_pump(stream)
    with request.log_path.open("w", encoding="utf-8") as log_file:
        followed = follow(lines, request, log_file, tail, on_fault)
        exited = followed.ended
        if not exited:
            _stop(container)
            drain(lines, log_file)  # what was in flight when we stopped it
    return followed, (_exit_code(container) if exited else None)


def _follow_file(container: Container, stream: Iterable[bytes], plan: ContainerPlan,
                 request: RunRequest, tail: FileTail | None) -> Followed:
    """Follow a program whose output goes to a file (Renode's UART backend) while the
    container's own stream is its console; the timeout counts once the program started."""
    assert plan.output_file is not None
    console = _Console(stream, plan.started_marker or "")
    with request.log_path.open("w", encoding="utf-8") as log_file:
        if not console.wait_started(RENODE_START_TIMEOUT_S, request.cancel):
            _stop(container)
            cancelled = request.cancel is not None and request.cancel.is_set()
            return Followed(ended=console.ended.is_set(), interrupted=cancelled,
                            events=() if cancelled else (console.failure(),))
        lines = start_pump(_file_chunks(plan.output_file, console.ended))
        followed = follow(lines, request, log_file, tail)
        if not followed.ended:
            _stop(container)
            drain(lines, log_file)  # what was in flight when we stopped it
    extra = [console.failure()] if followed.ended else []
    if error := command_error(console.text):
        extra.append(RunnerEvent("emulator-error", f"Renode: {error}"))
    followed.events += tuple(extra)
    return followed


def _file_chunks(path: Path, ended: threading.Event) -> Iterator[bytes]:
    """What another process appends to a file, until `ended` is set (then the rest)."""
    offset = 0
    while True:
        finished = ended.is_set()
        data = read_from(path, offset)
        offset += len(data)
        if data:
            yield data
        elif finished:
            return
        else:
            time.sleep(_POLL_S)


class _Console:
    """Reads an emulator's console (the container's stream) on a thread: keeps its tail,
    tells when `marker` appeared and when the stream ended (the container exited)."""

    def __init__(self, chunks: Iterable[bytes], marker: str) -> None:
        self.marker = marker
        self.text = ""
        self.started = threading.Event()
        self.ended = threading.Event()
        threading.Thread(target=self._read, args=(chunks,), daemon=True).start()

    def _read(self, chunks: Iterable[bytes]) -> None:
        try:
            for chunk in chunks:
                self.text = (self.text + chunk.decode("utf-8", "replace"))[-_CONSOLE_KEEP:]
                if self.marker in self.text:
                    self.started.set()
        except Exception as exc:  # the stream breaks when the container is removed
            log.debug("console stream ended: %s", exc)
        finally:
            self.ended.set()

    def wait_started(self, timeout_s: float, cancel: threading.Event | None) -> bool:
        deadline = time.monotonic() + timeout_s
        while not self.started.is_set() and not self.ended.is_set():
            if time.monotonic() >= deadline or (cancel is not None and cancel.is_set()):
                break
            self.started.wait(_POLL_S)
        return self.started.is_set()

    def failure(self) -> RunnerEvent:
        """The event for an emulator that ended or never started the program."""
        said = " ".join(self.text.split())[-300:] or "no output"
        if self.ended.is_set():
            return RunnerEvent("emulator-died", f"the emulator exited in its container: {said}")
        return RunnerEvent("emulator-error", f"the emulator did not start the program within "
                                             f"{RENODE_START_TIMEOUT_S:.0f}s: {said}")


def _missing_image(image: str) -> str:
    return (f"Docker image {image} not found; build it with `tflm-test image build --tag "
            f"{image}` (or name an existing image: --docker IMAGE)")


def require_image(client: DockerClient, image: str) -> None:
    """Raises RunnerUnavailable (saying how to build it) when the engine lacks the image."""
    docker = _sdk()
    try:
        client.images.get(image)
    except docker.errors.ImageNotFound as exc:
        raise RunnerUnavailable(_missing_image(image)) from exc
    except docker.errors.DockerException as exc:
        raise RunnerUnavailable(f"Docker engine failed looking up image {image} "
                                f"({_one_line(exc)}); {_START_HINT}") from exc


def probe(client: DockerClient, image: str, argv: list[str], timeout_s: float = 60.0) -> str:
    """Run a short command in the image (no mounts, no network) and return its output.

    Returns:
        The command's merged stdout and stderr, stripped.

    Raises:
        RunnerUnavailable: the command is missing or fails in the image.
    """
    name = container_name()
    try:
        container = client.containers.create(
            image, command=argv, name=name, network_mode="none", init=True,
            user=f"{os.getuid()}:{os.getgid()}", environment={"HOME": "/tmp"}, labels={LABEL: "probe"})
        container.start()
        status = container.wait(timeout=timeout_s).get("StatusCode")
        output = container.logs(stdout=True, stderr=True).decode("utf-8", "replace").strip()
    except _engine_errors() as exc:
        raise RunnerUnavailable(f"image {image} cannot run {argv[0]} ({_one_line(exc)}); "
                                f"rebuild it: tflm-test image build --tag {image}") from exc
    finally:
        remove_container(client, name)
    if status != 0:
        raise RunnerUnavailable(f"image {image}: `{shlex.join(argv)}` exited {status} "
                                f"({' '.join(output.split())[-200:]}); rebuild it: "
                                f"tflm-test image build --tag {image}")
    return output


class DockerRunner(Runner):
    """Runs the target's emulator inside a container of config.docker_image (default:
    default_image()). `emulator` is the EmulatorSpec of the inner emulator."""

    name = "docker"

    def __init__(self, target: Target, emulator: EmulatorSpec, config: RunnerConfig) -> None:
        super().__init__(target, emulator, config)
        self.image = config.docker_image or default_image()
        self._client: DockerClient | None = None
        self._version: str | None = None

    def check_available(self) -> None:
        """Raises RunnerUnavailable when the SDK, engine, image or inner emulator is missing."""
        program = self._inner_program()
        client = self._engine()
        require_image(client, self.image)
        output = probe(client, self.image, [program, "--version"])
        self._version = output.splitlines()[0].strip() if output else None

    def plan(self, request: RunRequest, control_dir: Path | None = None) -> ContainerPlan:
        """The container for one run: mounts, and the inner emulator's argv in container paths.

        Args:
            request: the run.
            control_dir: a private host folder with a short path for QEMU's QMP socket
                (unix socket paths are limited to ~100 bytes); None: no QMP.

        Raises:
            RunnerUnavailable: the inner emulator cannot run in Docker, or a file it needs is
                outside the mounted folders.
        """
        self._inner_program()
        binary = request.binary.resolve()
        work_dir = request.work_dir.resolve()
        if self.emulator.runner == "renode":
            mounts = plan_mounts(binary, work_dir, self._platforms_dir())
            return renode_plan(self.emulator, binary, work_dir, mounts, request.timeout_s)
        mounts = plan_mounts(binary, work_dir, self._platforms_dir(), control_dir)
        event_log = work_dir / f"{binary.stem}.qemu.log"
        qmp = control_dir / "qmp.sock" if control_dir is not None else None
        argv = self._qemu().command(_inside(binary, mounts), _inside(event_log, mounts),
                                    _inside(qmp, mounts) if qmp is not None else None)
        return ContainerPlan(container_name(), tuple(with_deadline(argv, request.timeout_s)),
                             mounts, event_log, qmp_socket=qmp)

    def run(self, request: RunRequest) -> RunOutcome:
        request.work_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(prefix="tflm-docker-") as control_dir:
            plan = self.plan(request, Path(control_dir))
            for path in (plan.event_log, plan.output_file):
                if path is not None:
                    path.unlink(missing_ok=True)
            parse = parse_log_line if self.emulator.runner == "renode" else QemuEventParser()
            tail = FileTail(plan.event_log, parse) if plan.event_log is not None else None
            on_fault = None
            if plan.qmp_socket is not None:
                qemu, qmp = self._qemu(), plan.qmp_socket
                # the same enrichment as a direct run: the faulting PC from the stacked frame
                on_fault = lambda event: qemu.locate_fault(event, qmp)  # noqa: E731
            return run_container(self._engine(), self.image, plan, request, tail, on_fault)

    def _qemu(self) -> QemuRunner:
        return QemuRunner(self.target, self.emulator, self.config)

    def version(self) -> str | None:
        """The inner emulator's version as the image reports it (known after check_available)."""
        return f"{self._version} (in {self.image})" if self._version else None

    def describe(self) -> str:
        inner = " ".join(p for p in (self.emulator.runner, self.emulator.machine) if p)
        return f"{inner} in docker {self.image}"

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None

    def _engine(self) -> DockerClient:
        if self._client is None:
            self._client = connect()
        return self._client

    def _platforms_dir(self) -> Path | None:
        # The board's Renode script is all the container reads from a platforms folder, and
        # it may be a built-in board (in the package) or a project's.
        script = self.emulator.script
        return script.parent if script is not None else None

    def _inner_program(self) -> str:
        """The program the image must have for this emulator."""
        if self.emulator.runner == "qemu":
            return QEMU
        if self.emulator.runner == "renode":
            if self.emulator.script is None or not self.emulator.script.is_file():
                raise RunnerUnavailable(f"target {self.target.name}: Renode script "
                                        f"{self.emulator.script} not found")
            return RENODE
        raise RunnerUnavailable(f"the {self.emulator.runner!r} emulator cannot run in Docker "
                                "(only qemu and renode can)")
