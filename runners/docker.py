"""Docker: the target's own runner (QEMU or Renode) with its emulator inside a container.

DockerRunner wraps the inner runner and gives it a DockerLauncher: the inner runner builds
the same emulator argv as on this machine, with paths as the container sees them, and the
launcher turns it into a `docker run` of that argv. So the output, the follow loop, the
fault watching (the emulator's log and QMP socket are in the run's work folder, mounted
read-write) and the verdict are the inner runner's, unchanged.

The container has no network, runs as the calling user, and is named tflm-test-<uuid> so it
can always be removed by name (close() runs `docker rm -f`). It cannot outlive tflm-test:
the `docker run` client dies with us (runners.process), the container's stdin is a pipe from
us that closes then, and a shell inside kills the emulator when it sees that end of input;
coreutils `timeout` bounds a run even so. Binaries are copied into the run's work folder,
so a container sees only that folder and the board's script folder (read-only).

A process killed by a signal inside the container makes `docker run` exit 128+N; a small
reporter in the container says when that was a signal, so the result has -N as a direct run.
"""

from __future__ import annotations

import logging
import os
import re
import shlex
import shutil
import subprocess
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from .. import __version__
from ..errors import RunnerUnavailable, TflmTestError, ToolMissing
from ..targets import EmulatorSpec, Target
from .base import DebugServer, Runner, RunnerConfig, RunOutcome, RunRequest
from .launch import Command, Launch, Launcher

log = logging.getLogger(__name__)

DOCKER = "docker"
IMAGE_REPOSITORY = "tflm-test/emulators"
CONTAINER_PREFIX = "tflm-test-"
LABEL = "tflm-test"  # every container we create carries it (value: its name)
WRITABLE_DIR = PurePosixPath("/tflm/work")
READ_ONLY_DIR = PurePosixPath("/tflm/ro")
DEADLINE_MARGIN_S = 30.0  # the in-container `timeout` fires this long after the run's timeout
STOP_GRACE_S = 2
ENGINE_ERROR = 125  # `docker run` itself failed (no such image, engine error)
_CLI_TIMEOUT_S = 60.0
START_HINT = ("start the engine (`sudo dockerd --iptables=false &`, or `sudo systemctl start "
               "docker`) or point DOCKER_HOST at one")
# Runs the emulator with stdin closed and kills it once our end of the container's stdin
# closes (tflm-test died). fd 3: a background job's stdin is /dev/null in a non-interactive sh.
# $1: the status reporter (_REPORT_SIGNAL), $2: its status file, then the emulator's argv.
_WATCH_STDIN = ('exec 3<&0; report=$1; status=$2; shift 2; '
                'perl -e "$report" "$status" "$@" </dev/null & child=$!; '
                '{ cat <&3 >/dev/null; kill -KILL "$child" 2>/dev/null; } & wait "$child"')
# A shell (and docker run) report a death by signal N as exit status 128+N, which a program
# can also exit with. This perl (base of every Debian/Ubuntu image) runs argv, writes
# "signal N" to the status file when a signal ended it, and exits as a shell would.
_REPORT_SIGNAL = ('my $f = shift; my $pid = fork() // exit 127; '
                  'if (!$pid) { exec { $ARGV[0] } @ARGV; exit 127 } '
                  'waitpid($pid, 0); my $s = $?; '
                  'if ($s & 127) { if (open(my $h, ">", $f)) { print $h "signal ", $s & 127, "\\n"; '
                  'close $h } exit 128 + ($s & 127) } exit $s >> 8')
STATUS_FILE = ".tflm-test-exit"  # in the command's folder: how the emulator ended, if by signal
_SIGNALLED = re.compile(r"^signal (\d+)$")


def default_image() -> str:
    """The emulator image this version of tflm-test builds and runs by default.

    Returns:
        "tflm-test/emulators:<version>", the version made a valid Docker tag.
    """
    return f"{IMAGE_REPOSITORY}:{re.sub(r'[^A-Za-z0-9_.-]', '-', __version__)}"


def container_name() -> str:
    """A fresh container name; the prefix lets tests and users find ours."""
    return f"{CONTAINER_PREFIX}{uuid.uuid4().hex}"


@dataclass(frozen=True)
class Mount:
    """A host folder as the container sees it."""

    host: Path
    container: PurePosixPath
    read_only: bool

    def option(self) -> str:
        return f"{self.host}:{self.container}" + (":ro" if self.read_only else "")


def to_container(path: Path, mounts: Sequence[Mount]) -> PurePosixPath | None:
    """Where the container sees a host path, through the first mount that holds it."""
    for mount in mounts:
        if path == mount.host or mount.host in path.parents:
            return mount.container.joinpath(*path.relative_to(mount.host).parts)
    return None


def with_deadline(argv: Sequence[str], timeout_s: float) -> list[str]:
    """argv under coreutils `timeout`: the container ends by itself even if nobody stops it."""
    limit = int(timeout_s + DEADLINE_MARGIN_S + 0.999)
    return ["timeout", f"--kill-after={STOP_GRACE_S + 1}", str(limit), *argv]


def _docker(*args: str, timeout_s: float = _CLI_TIMEOUT_S) -> subprocess.CompletedProcess[str]:
    """A docker CLI call, its output captured.

    Raises:
        ToolMissing: no docker CLI.
        RunnerUnavailable: the call did not finish in time.
    """
    if shutil.which(DOCKER) is None:
        raise ToolMissing("docker not found; install the Debian package docker.io "
                          "(ci/setup --docker does)")
    argv = [DOCKER, *args]
    log.debug("running %s", shlex.join(argv))
    try:
        return subprocess.run(argv, capture_output=True, text=True, errors="replace",
                              stdin=subprocess.DEVNULL, timeout=timeout_s, check=False)
    except subprocess.TimeoutExpired as exc:
        raise RunnerUnavailable(f"`{shlex.join(argv)}` did not finish within "
                                f"{timeout_s:.0f}s; is the Docker engine stuck?") from exc


def _said(done: subprocess.CompletedProcess[str]) -> str:
    return " ".join((done.stderr or done.stdout).split())[-300:] or f"exit {done.returncode}"


def missing_image(image: str) -> str:
    return (f"Docker image {image} not found; build it with `tflm-test image build --tag "
            f"{image}` (or name an existing image: --docker IMAGE)")


def require_image(image: str) -> None:
    """Raises RunnerUnavailable (saying what to do) when the engine or the image is missing."""
    done = _docker("image", "inspect", "--format", "{{.Id}}", image)
    if done.returncode == 0:
        return
    if "no such image" in done.stderr.lower():
        raise RunnerUnavailable(missing_image(image))
    raise RunnerUnavailable(f"Docker engine not reachable ({_said(done)}); {START_HINT}")


class DockerLaunch(Launch):
    """One container: created by the first command, removed by close()."""

    listen_host = "0.0.0.0"  # inside the container; published on the host's 127.0.0.1 only

    def __init__(self, image: str, mounts: tuple[Mount, ...]) -> None:
        self.image = image
        self.mounts = mounts
        self.name = container_name()
        self._status: Path | None = None  # the last command's status file (host path)

    def path(self, host_path: Path) -> str:
        inside = to_container(host_path, self.mounts)
        if inside is None:
            raise RunnerUnavailable(f"{host_path} is not under a folder mounted into the "
                                    f"container ({', '.join(str(m.host) for m in self.mounts)})")
        return str(inside)

    def sees(self, host_path: Path) -> bool:
        return to_container(host_path, self.mounts) is not None

    def stage(self, binary: Path, work_dir: Path) -> str:
        if not self.sees(binary):
            binary = Path(shutil.copy2(binary, work_dir / binary.name))
        return self.path(binary)

    def command(self, argv: Sequence[str], cwd: Path, interactive: bool = False,
                deadline_s: float | None = None, publish: Sequence[int] = ()) -> Command:
        self._status = cwd / STATUS_FILE
        self._status.unlink(missing_ok=True)
        inner = list(argv) if interactive else ["sh", "-c", _WATCH_STDIN, "tflm-test",
                                                 _REPORT_SIGNAL, self.path(self._status), *argv]
        if deadline_s is not None:
            inner = with_deadline(inner, deadline_s)
        # A published port needs the default bridge; without one the container has no network.
        network = [arg for port in publish for arg in ("--publish", f"127.0.0.1:{port}:{port}")]
        run = [DOCKER, "run", "--rm", "-i", *(["-t"] if interactive else []), "--pull", "never",
               "--name", self.name, "--label", f"{LABEL}={self.name}",
               *(network or ["--network", "none"]), "--init", "--user", f"{os.getuid()}:{os.getgid()}", "--env", "HOME=/tmp",
               "--workdir", self.path(cwd)]
        for mount in self.mounts:
            run += ["--volume", mount.option()]
        return Command((*run, self.image, *inner), cwd, stdin_open=True)

    def check(self, outcome: RunOutcome, log_path: Path) -> RunOutcome:
        """The outcome with a death by signal N as -N, as a direct run reports it.

        Raises:
            RunnerUnavailable: `docker run` itself failed (not the program).
        """
        if outcome.exit_code != ENGINE_ERROR:
            return self._signalled(outcome)
        lines = log_path.read_text(errors="replace").splitlines()
        # docker: Error response from daemon: No such image: x:0.
        said = next((ln for ln in lines if ln.startswith("docker:")), lines[-1] if lines else "")
        if "no such image" in said.lower():
            raise RunnerUnavailable(missing_image(self.image))
        raise RunnerUnavailable(f"docker run failed: {said.strip()[:300] or 'no output'}")

    def _signalled(self, outcome: RunOutcome) -> RunOutcome:
        try:
            said = self._status.read_text().strip() if self._status else ""
        except OSError:
            return outcome
        m = _SIGNALLED.match(said)
        if m is None or outcome.exit_code != 128 + int(m[1]):
            return outcome
        return replace(outcome, exit_code=-int(m[1]))

    def close(self) -> None:
        done = _docker("rm", "--force", self.name)
        if done.returncode != 0 and "no such container" not in done.stderr.lower():
            log.warning("could not remove container %s: %s", self.name, _said(done))


class DockerLauncher(Launcher):
    def __init__(self, image: str) -> None:
        self.image = image

    def open(self, writable: Path, read_only: Sequence[Path] = ()) -> DockerLaunch:
        mounts = [Mount(writable.resolve(), WRITABLE_DIR, False)]
        mounts += [Mount(folder.resolve(), READ_ONLY_DIR / str(i), True)
                   for i, folder in enumerate(dict.fromkeys(read_only))]
        return DockerLaunch(self.image, tuple(mounts))

    def describe(self, inner: str) -> str:
        return f"{inner} in docker {self.image}"


class DockerRunner(Runner):
    """The target's emulator (config.docker_image, default default_image()) in a container:
    `emulator` names the inner runner, which does the work (see the module docstring)."""

    name = "docker"

    def __init__(self, target: Target, emulator: EmulatorSpec, config: RunnerConfig) -> None:
        image = config.docker_image or default_image()
        super().__init__(target, emulator, config, DockerLauncher(image))
        self.image = image
        self.inner = self._inner_class()(target, emulator, config, self.launcher)
        self._version: str | None = None

    def _inner_class(self) -> type[Runner]:
        from . import load_runner

        if self.emulator.runner not in DOCKERIZABLE:
            raise RunnerUnavailable(f"the {self.emulator.runner!r} emulator cannot run in "
                                    f"Docker (only {' and '.join(DOCKERIZABLE)} can)")
        return load_runner(self.emulator.runner)

    def check_available(self) -> None:
        """Raises RunnerUnavailable/ToolMissing when the CLI, engine, image or the emulator
        inside it is missing."""
        self.inner.check_inputs()
        require_image(self.image)
        self._version = self._image_version()

    def _image_version(self) -> str:
        """First line of the emulator's `--version` inside the image.

        Raises:
            RunnerUnavailable: the image has no working emulator.
        """
        program = DOCKERIZABLE[self.emulator.runner]
        done = _docker("run", "--rm", "--pull", "never", "--network", "none",
                       "--user", f"{os.getuid()}:{os.getgid()}", "--env", "HOME=/tmp",
                       self.image, program, "--version")
        if done.returncode != 0:
            raise RunnerUnavailable(f"image {self.image}: `{program} --version` exited "
                                    f"{done.returncode} ({_said(done)}); rebuild it: "
                                    f"tflm-test image build --tag {self.image}")
        first = (done.stdout or done.stderr).strip().splitlines()
        return first[0].strip() if first else ""

    def run(self, request: RunRequest) -> RunOutcome:
        return self.inner.run(request)

    def debug_server(self, launch: Launch, binary: Path, work_dir: Path,
                     port: int) -> DebugServer:
        """The inner runner's, run in the container.

        Raises:
            RunnerUnavailable: it needs stdin held open (Renode's console): a container's
                stdin is what tells it that tflm-test is gone, so it cannot have it.
        """
        server = self.inner.debug_server(launch, binary, work_dir, port)
        if server.stdin_open:
            raise RunnerUnavailable(f"{self.inner.describe()} serves gdb on its console's "
                                    "stdin, which a container run cannot hold open: debug "
                                    "it without --docker, or with --emulator qemu")
        return server

    def read_only_inputs(self) -> tuple[Path, ...]:
        return self.inner.read_only_inputs()

    def version(self) -> str | None:
        """The inner emulator's version as the image reports it, asked once per runner (a
        worker's runner is not the one plan_target checked)."""
        if self._version is None:
            try:
                self._version = self._image_version()
            except TflmTestError:
                self._version = ""  # the run itself says what is wrong with the image
        return f"{self._version} (in {self.image})" if self._version else None

    def notes(self) -> tuple[str, ...]:
        return self.inner.notes()

    def describe(self) -> str:
        return self.inner.describe()

    def close(self) -> None:
        self.inner.close()


# Runners whose emulator can run in a container, and the program the image must have.
DOCKERIZABLE = {"qemu": "qemu-system-arm", "renode": "renode"}
