"""Docker runner and image build: the pure parts (paths, mounts, argv, names, build inputs).
The engine itself is exercised in tests/integration/test_docker.py."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tflm_test.errors import RunnerUnavailable, ToolMissing
from tflm_test.runners import docker as docker_runner
from tflm_test.runners import docker_image
from tflm_test.runners.base import RunnerConfig
from tflm_test.runners.docker import (CONTAINER_PREFIX, READ_ONLY_DIR, WRITABLE_DIR,
                                      DockerLauncher, DockerRunner, Mount, container_name,
                                      default_image, with_deadline)
from tflm_test.targets import EmulatorSpec, load_boards

ROOT = Path(__file__).resolve().parents[2]


def _runner(target: str = "qemu_cortexm3", inner: str = "qemu",
            image: str | None = None) -> DockerRunner:
    t = load_boards().get(target)
    emulator = next(e for e in t.emulators if e.runner == inner)
    return DockerRunner(t, emulator, RunnerConfig(docker_image=image))


def test_default_image_is_versioned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docker_runner, "__version__", "0.1.0")
    assert default_image() == "tflm-test/emulators:0.1.0"


def test_default_image_tag_is_valid_for_a_source_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docker_runner, "__version__", "0+unknown")
    assert default_image() == "tflm-test/emulators:0-unknown"


def test_runner_uses_default_image_unless_configured() -> None:
    assert _runner().image == default_image()
    assert _runner(image="mine/emu:1").image == "mine/emu:1"


def test_mounts_the_writable_folder_and_read_only_ones(tmp_path: Path) -> None:
    launch = DockerLauncher("i").open(tmp_path / "work", [ROOT / "platforms", ROOT / "platforms"])
    assert launch.mounts == (Mount(tmp_path / "work", WRITABLE_DIR, False),
                             Mount(ROOT / "platforms", READ_ONLY_DIR / "0", True))


def test_host_paths_map_through_their_mount(tmp_path: Path) -> None:
    launch = DockerLauncher("i").open(tmp_path / "work", [tmp_path / "scripts"])
    assert launch.path(tmp_path / "work" / "x" / "q.log") == "/tflm/work/x/q.log"
    assert launch.path(tmp_path / "work") == "/tflm/work"
    assert launch.path(tmp_path / "scripts" / "b.resc") == "/tflm/ro/0/b.resc"


def test_path_outside_every_mount_is_refused(tmp_path: Path) -> None:
    launch = DockerLauncher("i").open(tmp_path / "work")
    assert not launch.sees(tmp_path / "workshop" / "a")  # a sibling that merely starts alike
    with pytest.raises(RunnerUnavailable, match="not under a folder mounted") as err:
        launch.path(tmp_path / "elsewhere" / "a.elf")
    assert "\n" not in str(err.value)


def test_a_binary_outside_the_mounts_is_copied_into_the_work_folder(tmp_path: Path) -> None:
    (tmp_path / "elfs").mkdir()
    (tmp_path / "work").mkdir()
    (tmp_path / "elfs" / "a.elf").write_bytes(b"\x7fELF")
    launch = DockerLauncher("i").open(tmp_path / "work")
    assert launch.stage(tmp_path / "elfs" / "a.elf", tmp_path / "work") == "/tflm/work/a.elf"
    assert (tmp_path / "work" / "a.elf").read_bytes() == b"\x7fELF"


def test_deadline_outlives_the_run_timeout() -> None:
    argv = with_deadline(["qemu-system-arm", "-kernel", "/tflm/bin/a.elf"], 2.5)
    assert argv[:3] == ["timeout", "--kill-after=3", str(int(2.5 + docker_runner.DEADLINE_MARGIN_S) + 1)]
    assert argv[3:] == ["qemu-system-arm", "-kernel", "/tflm/bin/a.elf"]


def test_container_names_are_unique_and_findable() -> None:
    names = {container_name() for _ in range(100)}
    assert len(names) == 100
    assert all(n.startswith(CONTAINER_PREFIX) for n in names)


def _qemu_in_docker(tmp_path: Path, target: str = "qemu_cortexm3") -> tuple[list[str], str]:
    """The command the QEMU runner starts under Docker, and the container's name."""
    runner = _runner(target, image="emu:1").inner
    work = tmp_path / "work"
    launch = runner.launcher.open(work)
    argv = runner.command(launch.path(work / "pass.elf"))
    return list(launch.command(argv, work, deadline_s=5).argv), launch.name


def test_qemu_runs_its_own_command_line_inside_the_container(tmp_path: Path) -> None:
    argv, name = _qemu_in_docker(tmp_path)
    assert argv[:3] == ["docker", "run", "--rm"]
    assert argv[argv.index("--name") + 1] == name and name.startswith(CONTAINER_PREFIX)
    assert argv[argv.index("--network") + 1] == "none"
    assert argv[argv.index("--pull") + 1] == "never"
    assert argv[argv.index("--workdir") + 1] == "/tflm/work"
    inside = argv[argv.index("emu:1") + 1:]
    assert inside[:3] == ["timeout", "--kill-after=3", "35"]
    assert inside[3:5] == ["sh", "-c"] and "cat <&3" in inside[5]  # dies when we do
    qemu = inside[inside.index("qemu-system-arm"):]
    assert qemu[qemu.index("-M") + 1] == "mps2-an385"
    assert qemu[qemu.index("-kernel") + 1] == "/tflm/work/pass.elf"
    assert qemu[qemu.index("-D") + 1] == "qemu.log"  # relative to the work folder
    assert not any(str(tmp_path) in a for a in inside), "a host path leaked into the container"


def test_bluepill_in_docker_uses_its_qemu_machine(tmp_path: Path) -> None:
    argv, _ = _qemu_in_docker(tmp_path, "bluepill")
    assert argv[argv.index("-M") + 1] == "netduino2"


def test_renode_runs_interactively_by_its_plain_name(tmp_path: Path) -> None:
    launch = _runner("bluepill", inner="renode", image="emu:1").launcher.open(tmp_path)
    argv = list(launch.command(["renode", "--console"], tmp_path, interactive=True).argv)
    assert "-t" in argv[:argv.index("emu:1")]
    assert argv[argv.index("emu:1") + 1:] == ["renode", "--console"]
    assert launch.program("renode", "/opt/my/renode") == "renode"


def test_a_gdb_server_on_the_console_cannot_go_into_a_container(tmp_path: Path) -> None:
    runner = _runner("bluepill", inner="renode", image="emu:1")
    launch = runner.launcher.open(tmp_path, runner.read_only_inputs())
    with pytest.raises(RunnerUnavailable, match="without --docker, or with --emulator qemu"):
        runner.debug_server(launch, tmp_path / "x.elf", tmp_path / "w", 4242)
    qemu = _runner("bluepill", image="emu:1")
    server = qemu.debug_server(qemu.launcher.open(tmp_path), tmp_path / "x.elf",
                               tmp_path / "w2", 4242)
    assert server.argv[-3:] == ("-gdb", "tcp:0.0.0.0:4242", "-S") and server.gdb_start == ()


def test_renode_without_script_is_unavailable() -> None:
    t = load_boards().get("bluepill")
    runner = DockerRunner(t, EmulatorSpec(runner="renode", script=None), RunnerConfig())
    with pytest.raises(RunnerUnavailable, match="Renode script"):
        runner.check_available()  # refused before any engine is contacted


def test_host_runner_cannot_go_into_docker() -> None:
    t = load_boards().get("host")
    with pytest.raises(RunnerUnavailable, match="cannot run in Docker"):
        DockerRunner(t, EmulatorSpec(runner="host"), RunnerConfig())


def test_describe_names_inner_emulator_and_image() -> None:
    assert _runner(image="x/y:1").describe() == "qemu mps2-an385 in docker x/y:1"


def test_missing_sdk_is_one_line_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docker", None)  # makes `import docker` fail
    with pytest.raises(RunnerUnavailable, match="pip install docker") as err:
        docker_image.connect()
    assert "\n" not in str(err.value)


@pytest.mark.parametrize("image, expected", [
    ("tflm-test/debian:bookworm", ("tflm-test/debian", "bookworm")),
    ("debian", ("debian", "latest")),
    ("localhost:5000/emu", ("localhost:5000/emu", "latest")),
    ("localhost:5000/emu:2", ("localhost:5000/emu", "2")),
])
def test_split_tag(image: str, expected: tuple[str, str]) -> None:
    assert docker_image.split_tag(image) == expected


def test_build_output_lines_keep_errors() -> None:
    chunks = [{"stream": "Step 1/3 : FROM x\n"}, {"stream": "\n"}, {"error": "boom\nmore"},
              {"status": "Downloading"}, {"aux": {"ID": "sha256:1"}}]
    lines = [line for c in chunks for line in docker_image._build_lines(c)]
    assert lines == ["Step 1/3 : FROM x", "error: boom", "error: more", "Downloading"]


def test_build_context_has_dockerfile_and_renode_slot(tmp_path: Path) -> None:
    tarball = tmp_path / "renode-1.0-portable.tar.gz"
    tarball.write_bytes(b"not really")
    context = docker_image._build_context(tmp_path / "ctx", docker_image.DOCKER_DIR, tarball)
    assert (context / "Dockerfile").is_file()
    assert (context / "install-emulators.sh").is_file()
    assert (context / "renode" / tarball.name).read_bytes() == b"not really"


def test_dockerfile_takes_the_base_as_build_arg() -> None:
    text = (docker_image.DOCKER_DIR / "Dockerfile").read_text()
    assert "ARG BASE" in text and "FROM ${BASE}" in text
    script = (docker_image.DOCKER_DIR / "install-emulators.sh").read_text()
    assert "--no-install-recommends" in script and "qemu-system-arm" in script


@pytest.mark.parametrize("name", ["renode.zip", "missing.tar.gz"])
def test_build_refuses_a_bad_renode_file(tmp_path: Path, name: str) -> None:
    if name.endswith(".zip"):
        (tmp_path / name).write_bytes(b"")
    with pytest.raises(ToolMissing, match="not a Renode tarball"):
        docker_image.build_image("x:y", renode_tarball=tmp_path / name, client=object())


def test_build_needs_a_dockerfile(tmp_path: Path) -> None:
    with pytest.raises(ToolMissing, match="no Dockerfile"):
        docker_image.build_image("x:y", docker_dir=tmp_path, client=object())
