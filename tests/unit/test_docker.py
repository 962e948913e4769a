"""Docker runner and image build: the pure parts (paths, mounts, argv, names, build inputs).
The engine itself is exercised in tests/integration/test_docker.py."""

from __future__ import annotations

import sys
from pathlib import Path, PurePosixPath

import pytest

from tflm_test.errors import RunnerUnavailable, ToolMissing
from tflm_test.runners import docker as docker_runner
from tflm_test.runners import docker_image
from tflm_test.runners.base import RunnerConfig, RunRequest
from tflm_test.runners.docker import (BIN_DIR, CONTAINER_PREFIX, CONTROL_DIR, PLATFORMS_DIR,
                                      WORK_DIR,
                                      DockerRunner, Mount, container_name, default_image,
                                      plan_mounts, to_container, with_deadline)
from tflm_test.targets import EmulatorSpec, load_boards

ROOT = Path(__file__).resolve().parents[2]


def _runner(target: str = "qemu_cortexm3", inner: str = "qemu",
            image: str | None = None) -> DockerRunner:
    t = load_boards().get(target)
    emulator = next(e for e in t.emulators if e.runner == inner)
    return DockerRunner(t, emulator, RunnerConfig(docker_image=image, root=ROOT))


def _request(tmp_path: Path, timeout_s: float = 5.0) -> RunRequest:
    binary = tmp_path / "elfs" / "pass.elf"
    return RunRequest(binary=binary, log_path=tmp_path / "out" / "pass.log",
                      work_dir=tmp_path / "work", timeout_s=timeout_s,
                      stop_on=lambda line: line.startswith("~~~"))


def test_default_image_is_versioned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docker_runner, "__version__", "0.1.0")
    assert default_image() == "tflm-test/emulators:0.1.0"


def test_default_image_tag_is_valid_for_a_source_tree(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(docker_runner, "__version__", "0+unknown")
    assert default_image() == "tflm-test/emulators:0-unknown"


def test_runner_uses_default_image_unless_configured() -> None:
    assert _runner().image == default_image()
    assert _runner(image="mine/emu:1").image == "mine/emu:1"


def test_mounts_binary_folder_and_platforms_read_only_work_read_write(tmp_path: Path) -> None:
    mounts = plan_mounts(tmp_path / "elfs" / "a.elf", tmp_path / "work", ROOT / "platforms")
    assert mounts == (Mount(tmp_path / "elfs", BIN_DIR, True),
                      Mount(tmp_path / "work", WORK_DIR, False),
                      Mount(ROOT / "platforms", PLATFORMS_DIR, True))


def test_platforms_mount_is_optional(tmp_path: Path) -> None:
    mounts = plan_mounts(tmp_path / "a.elf", tmp_path / "work", None)
    assert PLATFORMS_DIR not in {m.container for m in mounts}


def test_host_paths_map_through_their_mount(tmp_path: Path) -> None:
    mounts = plan_mounts(tmp_path / "elfs" / "a.elf", tmp_path / "work", None)
    assert to_container(tmp_path / "elfs" / "a.elf", mounts) == PurePosixPath("/tflm/bin/a.elf")
    assert to_container(tmp_path / "work" / "x" / "q.log", mounts) == WORK_DIR / "x" / "q.log"
    assert to_container(tmp_path / "work", mounts) == WORK_DIR


def test_path_outside_every_mount_is_refused(tmp_path: Path) -> None:
    mounts = plan_mounts(tmp_path / "elfs" / "a.elf", tmp_path / "work", None)
    with pytest.raises(ValueError, match="not under any folder mounted"):
        to_container(tmp_path / "elsewhere" / "a.elf", mounts)
    with pytest.raises(ValueError):  # a sibling whose name merely starts like a mount
        to_container(tmp_path / "workshop" / "a", mounts)


def test_deadline_outlives_the_run_timeout() -> None:
    argv = with_deadline(["qemu-system-arm", "-kernel", "/tflm/bin/a.elf"], 2.5)
    assert argv[:3] == ["timeout", "--kill-after=3", str(int(2.5 + docker_runner.DEADLINE_MARGIN_S) + 1)]
    assert argv[3:] == ["qemu-system-arm", "-kernel", "/tflm/bin/a.elf"]


def test_container_names_are_unique_and_findable() -> None:
    names = {container_name() for _ in range(100)}
    assert len(names) == 100
    assert all(n.startswith(CONTAINER_PREFIX) for n in names)


def test_plan_runs_qemu_on_container_paths(tmp_path: Path) -> None:
    plan = _runner().plan(_request(tmp_path, timeout_s=5))
    argv = list(plan.argv)
    assert argv[:3] == ["timeout", "--kill-after=3", "35"]
    qemu = argv[3:]
    assert qemu[0] == "qemu-system-arm"
    assert qemu[qemu.index("-M") + 1] == "mps2-an385"
    assert qemu[qemu.index("-kernel") + 1] == "/tflm/bin/pass.elf"
    assert qemu[qemu.index("-D") + 1] == "/tflm/work/pass.qemu.log"
    assert plan.event_log == (tmp_path / "work" / "pass.qemu.log").resolve()
    assert plan.name.startswith(CONTAINER_PREFIX)
    assert not any(str(tmp_path) in a for a in argv), "a host path leaked into the container argv"


def test_plan_for_bluepill_uses_its_qemu_machine(tmp_path: Path) -> None:
    plan = _runner("bluepill").plan(_request(tmp_path))
    assert plan.argv[plan.argv.index("-M") + 1] == "netduino2"


def test_plan_resolves_a_relative_binary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    request = RunRequest(binary=Path("elfs/a.elf"), log_path=Path("a.log"), work_dir=Path("w"),
                         timeout_s=1, stop_on=lambda line: False)
    plan = _runner().plan(request)
    assert Mount(tmp_path / "elfs", BIN_DIR, True) in plan.mounts
    assert Mount(tmp_path / "w", WORK_DIR, False) in plan.mounts


def test_plan_gives_qemu_a_qmp_socket_in_the_control_folder(tmp_path: Path) -> None:
    control = tmp_path / "ctl"
    plan = _runner().plan(_request(tmp_path), control)
    assert Mount(control, CONTROL_DIR, False) in plan.mounts
    assert plan.qmp_socket == control / "qmp.sock"
    qmp = plan.argv[plan.argv.index("-qmp") + 1]
    assert qmp.startswith(f"unix:{CONTROL_DIR}/qmp.sock,")


def test_renode_plan_loads_the_script_on_container_paths(tmp_path: Path) -> None:
    plan = _runner("bluepill", inner="renode").plan(_request(tmp_path, timeout_s=5))
    argv = list(plan.argv)
    assert argv[:2] == ["timeout", "--kill-after=3"]
    assert int(argv[2]) >= 5 + docker_runner.RENODE_START_TIMEOUT_S
    renode = argv[3:]
    assert renode[:2] == ["renode", "--disable-xwt"]
    commands = [renode[i + 1] for i, arg in enumerate(renode) if arg == "-e"]
    assert "$bin=@/tflm/bin/pass.elf" in commands
    assert "$logfile=@/tflm/work/pass.uart" in commands
    assert "include @/tflm/platforms/bluepill.resc" in commands
    assert commands[-1] == "start"
    assert plan.output_file == (tmp_path / "work" / "pass.uart").resolve()
    assert plan.event_log == (tmp_path / "work" / "pass.renode.log").resolve()
    assert plan.stdin_open and plan.started_marker
    assert not any(str(tmp_path) in a for a in argv), "a host path leaked into the container argv"


def test_renode_plan_mounts_the_folder_of_a_project_boards_script(tmp_path: Path) -> None:
    boards_dir = tmp_path / "platforms"
    boards_dir.mkdir()
    (boards_dir / "mine.resc").write_text("mach create\n")
    (boards_dir / "mine.yaml").write_text("name: mine\nelf_machine: arm\ncan_exit: false\n"
                                          "emulators: [{runner: renode, script: mine.resc}]\n")
    board = load_boards([boards_dir]).get("mine")
    plan = DockerRunner(board, board.emulators[0], RunnerConfig(root=ROOT)).plan(_request(tmp_path))
    assert Mount(boards_dir, PLATFORMS_DIR, True) in plan.mounts
    assert "include @/tflm/platforms/mine.resc" in plan.argv


def test_renode_script_outside_platforms_is_refused(tmp_path: Path) -> None:
    script = tmp_path / "own.resc"
    script.write_text("mach create\n")
    mounts = plan_mounts(tmp_path / "elfs" / "a.elf", tmp_path / "work", ROOT / "platforms")
    with pytest.raises(RunnerUnavailable, match="not under any folder mounted") as err:
        docker_runner.renode_plan(EmulatorSpec(runner="renode", script=script),
                                  tmp_path / "elfs" / "a.elf", tmp_path / "work", mounts, 5)
    assert "\n" not in str(err.value)


def test_renode_without_script_is_unavailable() -> None:
    t = load_boards().get("bluepill")
    runner = DockerRunner(t, EmulatorSpec(runner="renode", script=None), RunnerConfig(root=ROOT))
    with pytest.raises(RunnerUnavailable, match="Renode script"):
        runner.check_available()  # refused before any engine is contacted


def test_host_runner_cannot_go_into_docker() -> None:
    t = load_boards().get("host")
    runner = DockerRunner(t, EmulatorSpec(runner="host"), RunnerConfig(root=ROOT))
    with pytest.raises(RunnerUnavailable, match="cannot run in Docker"):
        runner.check_available()


def test_describe_names_inner_emulator_and_image() -> None:
    assert _runner(image="x/y:1").describe() == "qemu mps2-an385 in docker x/y:1"


def test_missing_sdk_is_one_line_with_the_fix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "docker", None)  # makes `import docker` fail
    with pytest.raises(RunnerUnavailable, match="pip install docker") as err:
        docker_runner.connect()
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
