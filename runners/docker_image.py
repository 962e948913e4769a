"""Building the emulator image the Docker runner uses, and a base image without a registry.

build_image() builds ci/docker/Dockerfile on any base (debian:bookworm from a registry,
antmicro/renode which already has Renode, or the local base below), with the host's network
(an engine started with --iptables=false gives containers on the default bridge no way out).
build_base_image() makes a Debian base image without pulling: debootstrap a minimal root
filesystem and import it.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import tempfile
from importlib import resources
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from ..errors import BuildFailed, RunnerUnavailable, ToolMissing
from .docker import START_HINT, default_image

if TYPE_CHECKING:
    from docker import DockerClient

log = logging.getLogger(__name__)

# Dockerfile + its script: the repo's ci/docker/, shipped in the package
DOCKER_DIR = Path(str(resources.files(f"{__package__.rpartition('.')[0]}.docker_context")))
DEFAULT_BASE = "debian:bookworm"
LOCAL_BASE = "tflm-test/debian:bookworm"  # what build_base_image() tags by default
DEBIAN_MIRROR = "http://deb.debian.org/debian"
_RENODE_SUFFIXES = (".tar.gz", ".tgz", ".deb")
_CHUNK = 1 << 20
_BUILD_TIMEOUT_S = 3600  # seconds without a byte from the engine (apt can be quiet a long time)


_API_TIMEOUT_S = 30  # seconds: one engine API call


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
                                f"{START_HINT}") from exc
    return client


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def build_image(tag: str | None = None, base: str = DEFAULT_BASE,
                renode_tarball: Path | None = None, *, docker_dir: Path = DOCKER_DIR,
                progress: Callable[[str], None] | None = None,
                client: DockerClient | None = None) -> str:
    """Build the emulator image: qemu-system-arm on `base`, plus Renode when supplied.

    The build uses the host's network (network_mode="host") and never pulls `base` when
    the engine already has it.

    Args:
        tag: the image to create; default default_image() ("tflm-test/emulators:<version>").
        base: the FROM image: debian:bookworm, antmicro/renode (already has Renode), or a
            local one from build_base_image().
        renode_tarball: a Renode release tarball (.tar.gz: Mono builds also get
            mono-complete) or package (.deb), installed into the image.
        docker_dir: the folder holding Dockerfile and install-emulators.sh.
        progress: called with each line of build output (the CLI prints them).
        client: an engine client; default connect().

    Returns:
        The tag of the built image.

    Raises:
        RunnerUnavailable: the docker SDK is missing or the engine does not answer.
        ToolMissing: docker_dir has no Dockerfile, or renode_tarball is not a readable
            .tar.gz/.tgz/.deb file.
        BuildFailed: the build failed; the message carries its last output lines.
    """
    tag = tag or default_image()
    _check_inputs(docker_dir, renode_tarball)
    client = client or connect(timeout_s=_BUILD_TIMEOUT_S)
    with tempfile.TemporaryDirectory(prefix="tflm-test-image-") as tmp:
        context = _build_context(Path(tmp) / "context", docker_dir, renode_tarball)
        _run_build(client, context, tag, base, progress or (lambda line: None))
    log.info("built image %s on %s%s", tag, base,
             f" with {renode_tarball.name}" if renode_tarball else "")
    return tag


def _check_inputs(docker_dir: Path, renode_tarball: Path | None) -> None:
    if not (docker_dir / "Dockerfile").is_file():
        raise ToolMissing(f"no Dockerfile in {docker_dir}: build from a tflm-test source "
                          "tree (ci/docker/) or pass its folder")
    if renode_tarball is None:
        return
    if not renode_tarball.name.endswith(_RENODE_SUFFIXES) or not renode_tarball.is_file():
        raise ToolMissing(f"{renode_tarball}: not a Renode tarball or package (expected an "
                          f"existing {', '.join(_RENODE_SUFFIXES)} file)")


def _build_context(context: Path, docker_dir: Path, renode_tarball: Path | None) -> Path:
    """A copy of docker_dir with the Renode file (if any) in its renode/ slot."""
    shutil.copytree(docker_dir, context)
    slot = context / "renode"
    slot.mkdir(exist_ok=True)
    if renode_tarball is not None:
        shutil.copy2(renode_tarball, slot / renode_tarball.name)
    return context


def _run_build(client: DockerClient, context: Path, tag: str, base: str,
               progress: Callable[[str], None]) -> None:
    docker = _sdk()
    output: list[str] = []
    try:
        for chunk in client.api.build(path=str(context), tag=tag, buildargs={"BASE": base},
                                      network_mode="host", rm=True, forcerm=True,
                                      decode=True, timeout=_BUILD_TIMEOUT_S):
            for line in _build_lines(chunk):
                output.append(line)
                log.debug("build: %s", line)
                progress(line)
    except docker.errors.DockerException as exc:
        output.append(_one_line(exc))
    if not output or not output[-1].startswith("Successfully tagged"):
        tail = " | ".join(line for line in output[-8:] if line.strip())
        raise BuildFailed(f"building image {tag} on {base} failed: {tail}")


def _build_lines(chunk: dict[str, object]) -> Iterator[str]:
    """The text lines of one decoded build-progress message ({"stream": ...}/{"error": ...})."""
    for key in ("stream", "status", "error"):
        text = chunk.get(key)
        if isinstance(text, str):
            prefix = "error: " if key == "error" else ""
            yield from (prefix + line for line in text.splitlines() if line.strip())


def build_base_image(tag: str = LOCAL_BASE, suite: str = "bookworm",
                     mirror: str = DEBIAN_MIRROR, *, scratch_dir: Path | None = None,
                     client: DockerClient | None = None) -> str:
    """Make a Debian base image without a registry: `debootstrap --variant=minbase SUITE
    ROOTFS MIRROR`, then the root filesystem as a tar stream into the engine's image import.

    Takes about half a minute; needs root (debootstrap) and the host's network.

    Args:
        tag: the image to create ("repository:tag").
        suite: the Debian release.
        mirror: the Debian mirror debootstrap and the image's apt use.
        scratch_dir: where the root filesystem is made (removed afterwards); default a
            temporary folder.
        client: an engine client; default connect().

    Returns:
        The tag of the imported image.

    Raises:
        ToolMissing: debootstrap or tar is not installed, or we are not root.
        RunnerUnavailable: the docker SDK is missing or the engine does not answer.
        BuildFailed: debootstrap or the import failed; the message carries the error.
    """
    for program, package in (("debootstrap", "debootstrap"), ("tar", "tar")):
        if shutil.which(program) is None:
            raise ToolMissing(f"{program} not found; install the Debian package {package}")
    if os.geteuid() != 0:
        raise ToolMissing("debootstrap needs root; run as root, or build on a registry "
                          f"base instead (--base {DEFAULT_BASE})")
    client = client or connect(timeout_s=_BUILD_TIMEOUT_S)
    with tempfile.TemporaryDirectory(prefix="tflm-test-rootfs-", dir=scratch_dir) as tmp:
        rootfs = Path(tmp) / "rootfs"
        _debootstrap(suite, rootfs, mirror)
        _import_rootfs(client, rootfs, tag)
    log.info("imported base image %s (debootstrap %s)", tag, suite)
    return tag


def _debootstrap(suite: str, rootfs: Path, mirror: str) -> None:
    argv = ["debootstrap", "--variant=minbase", suite, str(rootfs), mirror]
    log.debug("running %s", " ".join(argv))
    done = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          errors="replace", check=False)
    if done.returncode != 0:
        tail = " | ".join((done.stdout + done.stderr).strip().splitlines()[-5:])
        raise BuildFailed(f"debootstrap {suite} failed (exit {done.returncode}): {tail}")


def split_tag(image: str) -> tuple[str, str]:
    """("repository", "tag") of an image name; the tag defaults to "latest".

    A colon before the last "/" belongs to a registry host ("localhost:5000/x").
    """
    name, sep, tag = image.rpartition(":")
    if not sep or "/" in tag:
        return image, "latest"
    return name, tag


def _import_rootfs(client: DockerClient, rootfs: Path, tag: str) -> None:
    """Stream `tar -c` of rootfs into the engine's import (docker import - TAG)."""
    repository, version = split_tag(tag)
    argv = ["tar", "--numeric-owner", "-C", str(rootfs), "-c", "."]
    tar = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                           stderr=subprocess.PIPE)
    try:
        assert tar.stdout is not None
        chunks = iter(lambda: tar.stdout.read(_CHUNK), b"")
        client.api.import_image(src=chunks, repository=repository, tag=version,
                                changes=['CMD ["bash"]'], stream_src=True)
    except _sdk().errors.DockerException as exc:
        raise BuildFailed(f"importing {rootfs} as {tag} failed: {_one_line(exc)}") from exc
    finally:
        tar.kill()
        _, err = tar.communicate()
    if tar.returncode not in (0, -9):
        raise BuildFailed(f"tar of {rootfs} failed: {err.decode(errors='replace').strip()}")
