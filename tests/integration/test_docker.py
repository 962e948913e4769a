"""The Docker runner on a real engine: the fixture ELFs give the same outcome facts inside a
container as QemuRunner gives directly, no container is ever left behind, and a missing image
or engine is one clear error.

Session set-up (cached across sessions in the engine's default data-root): start `dockerd
--iptables=false` when no engine answers (and stop only that one at the end), import the
debootstrap base image unless it exists, build the emulator image on it (layer-cached).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tflm_test.errors import BuildFailed, RunnerUnavailable
from tflm_test.runners.base import RunnerConfig, RunOutcome, RunRequest
from tflm_test.runners.docker import CONTAINER_PREFIX, DockerLauncher, DockerRunner
from tflm_test.runners.launch import Command
from tflm_test.runners.process import run_process
from tflm_test.runners.docker_image import LOCAL_BASE, build_base_image, build_image, connect
from tflm_test.runners.qemu import QemuRunner
from tflm_test.targets import Target, load_boards

from .conftest import tflm_test

pytestmark = [pytest.mark.docker, pytest.mark.integration]

ROOT = Path(__file__).resolve().parents[2]
IMAGE = "tflm-test/emulators:pytest"
# Renode in Docker needs an image with Renode, which users bring (e.g. one built FROM
# antmicro/renode); none can be built here (no registry, no Renode build).
RENODE_IMAGE_ENV = "TFLM_TEST_RENODE_IMAGE"
TIMEOUT_S = 10.0
HANG_TIMEOUT_S = 2.0
CASES = ["pass", "fail", "hardfault", "hardfault_spin", "hang", "sentinel_then_exit1",
         "never_exits"]

if shutil.which("docker") is None and shutil.which("dockerd") is None:
    pytest.skip("no docker CLI and no dockerd: install docker.io (ci/setup --docker)",
                allow_module_level=True)


def _engine_answers() -> bool:
    try:
        connect().close()
    except RunnerUnavailable:
        return False
    return True


def _start_dockerd(log_path: Path) -> subprocess.Popen[bytes]:
    with log_path.open("wb") as log_file:
        dockerd = subprocess.Popen(["dockerd", "--iptables=false"], stdin=subprocess.DEVNULL,
                                   stdout=log_file, stderr=subprocess.STDOUT,
                                   start_new_session=True)
    deadline = time.monotonic() + 60
    while not _engine_answers():
        if dockerd.poll() is not None or time.monotonic() > deadline:
            _stop_dockerd(dockerd)
            pytest.fail(f"dockerd did not come up: {log_path.read_text()[-2000:]}")
        time.sleep(0.5)
    return dockerd


def _stop_dockerd(dockerd: subprocess.Popen[bytes]) -> None:
    if dockerd.poll() is None:
        dockerd.send_signal(signal.SIGTERM)
        try:
            dockerd.wait(timeout=30)
        except subprocess.TimeoutExpired:
            dockerd.kill()
            dockerd.wait()


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """An engine that answers: the running one, else a dockerd we start (and stop at the end)."""
    if _engine_answers():
        yield
        return
    if shutil.which("dockerd") is None:
        pytest.fail("no Docker engine answers and dockerd is not installed (ci/setup --docker)")
    dockerd = _start_dockerd(tmp_path_factory.mktemp("dockerd") / "dockerd.log")
    try:
        yield
    finally:
        _stop_dockerd(dockerd)


@pytest.fixture(scope="session")
def base_image(engine: None) -> str:
    client = connect()
    try:
        if not client.images.list(name=LOCAL_BASE):
            build_base_image(LOCAL_BASE, client=client)
    finally:
        client.close()
    return LOCAL_BASE


@pytest.fixture(scope="session")
def image(base_image: str) -> str:
    return build_image(IMAGE, base=base_image)


@pytest.fixture(scope="session")
def fixtures_dir() -> dict[str, Path]:
    """The fixture ELFs, built for both Cortex-M3 targets."""
    if shutil.which("arm-none-eabi-gcc") is None:
        pytest.skip("arm-none-eabi-gcc missing: install gcc-arm-none-eabi (ci/setup)")
    dirs = {}
    for target in ("qemu_cortexm3", "bluepill"):
        subprocess.run(["make", "-s", "-C", str(ROOT / "reference_runtime"), f"TARGET={target}",
                        "fixtures"], check=True, stdin=subprocess.DEVNULL)
        dirs[target] = ROOT / "reference_runtime" / "gen" / target / "fixtures"
    return dirs


def _leftover_containers() -> list[str]:
    if shutil.which("docker") is not None:
        out = subprocess.run(["docker", "ps", "-a", "--filter", f"name={CONTAINER_PREFIX}",
                              "--format", "{{.Names}}"], capture_output=True, text=True, check=True)
        return out.stdout.split()
    client = connect()
    try:
        return [c.name for c in client.containers.list(all=True,
                                                       filters={"name": CONTAINER_PREFIX})]
    finally:
        client.close()


@pytest.fixture(autouse=True)
def no_leftover_containers(engine: None) -> Iterator[None]:
    assert _leftover_containers() == [], "containers left by an earlier test"
    yield
    assert _leftover_containers() == [], "this test left a container behind"


def _target(name: str) -> Target:
    return load_boards().get(name)


def _request(target: Target, binary: Path, work_dir: Path, timeout_s: float = TIMEOUT_S,
             stop_on=lambda line: line.startswith("~~~")) -> RunRequest:
    return RunRequest(binary=binary, log_path=work_dir / "output.log", work_dir=work_dir,
                      timeout_s=timeout_s, stop_on=stop_on,
                      exit_grace_s=1.0 if target.can_exit else 0.0)


def _docker_runner(target: Target, image: str, inner: str = "qemu") -> DockerRunner:
    emulator = next(e for e in target.emulators if e.runner == inner)
    return DockerRunner(target, emulator, RunnerConfig(docker_image=image))


def _facts(outcome: RunOutcome) -> tuple[object, ...]:
    return (outcome.exit_code, outcome.timed_out, outcome.stopped,
            tuple((e.kind, e.message) for e in outcome.events))


def _program_lines(log_path: Path) -> list[str]:
    """The program's own output: without the emulator's "terminating on signal" line."""
    return [line for line in log_path.read_text().splitlines()
            if not line.startswith("qemu-system-arm:")]


@pytest.mark.parametrize("target_name", ["qemu_cortexm3", "bluepill"])
@pytest.mark.parametrize("case", CASES)
def test_same_outcome_in_docker_as_direct(image: str, fixtures_dir: dict[str, Path],
                                          tmp_path: Path, target_name: str, case: str) -> None:
    target = _target(target_name)
    binary = fixtures_dir[target_name] / f"{case}.elf"
    assert binary.is_file(), f"fixture {binary} was not built"
    timeout_s = HANG_TIMEOUT_S if case == "hang" else TIMEOUT_S
    emulator = next(e for e in target.emulators if e.runner == "qemu")
    direct = QemuRunner(target, emulator, RunnerConfig()).run(
        _request(target, binary, tmp_path / "direct", timeout_s))
    with _docker_runner(target, image) as runner:
        runner.check_available()
        inside = runner.run(_request(target, binary, tmp_path / "docker", timeout_s))
    assert _facts(inside) == _facts(direct)
    assert _program_lines(tmp_path / "docker" / "output.log") == \
        _program_lines(tmp_path / "direct" / "output.log")
    assert (tmp_path / "docker" / "qemu.log").is_file(), "no QEMU event log came out"


@pytest.mark.parametrize("case, can_exit, expected", [
    # (exit_code, timed_out, stopped, has a fault event); qemu_cortexm3 exits, bluepill cannot
    ("pass", True, (0, False, False, False)),
    ("fail", True, (1, False, False, False)),
    ("sentinel_then_exit1", True, (1, False, False, False)),
    ("hardfault_spin", True, (None, False, True, True)),
    ("hang", True, (None, True, False, False)),
    ("pass", False, (None, False, True, False)),
    ("hardfault", False, (None, False, True, True)),
    ("hardfault_spin", False, (None, False, True, True)),
    ("hang", False, (None, True, False, False)),
])
def test_outcome_facts_in_docker(image: str, fixtures_dir: dict[str, Path], tmp_path: Path,
                                 case: str, can_exit: bool, expected: tuple[object, ...]) -> None:
    target = _target("qemu_cortexm3" if can_exit else "bluepill")
    timeout_s = HANG_TIMEOUT_S if case == "hang" else TIMEOUT_S
    with _docker_runner(target, image) as runner:
        outcome = runner.run(_request(target, fixtures_dir[target.name] / f"{case}.elf",
                                      tmp_path, timeout_s))
    has_fault = any(e.kind == "fault" for e in outcome.events)
    assert (outcome.exit_code, outcome.timed_out, outcome.stopped, has_fault) == expected
    if case == "hang":
        assert HANG_TIMEOUT_S <= outcome.duration_s < HANG_TIMEOUT_S + 5


def test_stops_right_after_the_final_line(image: str, fixtures_dir: dict[str, Path],
                                          tmp_path: Path) -> None:
    target = _target("qemu_cortexm3")
    with _docker_runner(target, image) as runner:
        outcome = runner.run(_request(target, fixtures_dir[target.name] / "never_exits.elf",
                                      tmp_path, timeout_s=30))
    assert outcome.stopped and not outcome.timed_out
    assert outcome.duration_s < 10
    assert _program_lines(tmp_path / "output.log")[-1].startswith("~~~")


@pytest.mark.parametrize("error", [KeyboardInterrupt, RuntimeError])
def test_interrupt_or_error_mid_run_removes_the_container(
        image: str, fixtures_dir: dict[str, Path], tmp_path: Path,
        error: type[BaseException]) -> None:
    """Ctrl-C (or any exception) while the program runs: it propagates, the container goes."""
    def explode(line: str) -> bool:
        raise error("while following")

    target = _target("qemu_cortexm3")
    with _docker_runner(target, image) as runner, pytest.raises(error):
        runner.run(_request(target, fixtures_dir[target.name] / "hang.elf", tmp_path,
                            stop_on=explode))
    # no_leftover_containers checks the engine afterwards


def test_missing_image_is_one_clear_line(engine: None, fixtures_dir: dict[str, Path],
                                         tmp_path: Path) -> None:
    target = _target("qemu_cortexm3")
    runner = _docker_runner(target, "tflm-test/no-such-image:0")
    with pytest.raises(RunnerUnavailable, match="tflm-test image build") as err:
        runner.check_available()
    assert "\n" not in str(err.value) and "no-such-image" in str(err.value)
    with pytest.raises(RunnerUnavailable, match="not found"):
        runner.run(_request(target, fixtures_dir[target.name] / "pass.elf", tmp_path))
    runner.close()


def test_image_without_the_emulator_is_refused(base_image: str) -> None:
    runner = _docker_runner(_target("qemu_cortexm3"), base_image)
    with pytest.raises(RunnerUnavailable, match="rebuild it") as err:
        runner.check_available()
    assert "\n" not in str(err.value)
    runner.close()


def test_unreachable_engine_says_how_to_start_one(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DOCKER_HOST", f"unix://{tmp_path}/no-engine.sock")
    runner = _docker_runner(_target("qemu_cortexm3"), IMAGE)
    with pytest.raises(RunnerUnavailable, match="not reachable.*dockerd") as err:
        runner.check_available()
    assert "\n" not in str(err.value)


def test_failed_image_build_names_the_error(base_image: str, tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text("ARG BASE\nFROM ${BASE}\nRUN echo broken-step && false\n")
    with pytest.raises(BuildFailed, match="broken-step|returned a non-zero code"):
        build_image("tflm-test/pytest-broken:0", base=base_image, docker_dir=tmp_path)


@pytest.fixture(scope="session")
def renode_image(engine: None) -> str:
    image = os.environ.get(RENODE_IMAGE_ENV)
    if not image:
        pytest.skip(f"no Docker image with Renode: Renode is user-provided and none can be "
                    f"built here; set {RENODE_IMAGE_ENV}=IMAGE to run these")
    return image


@pytest.mark.renode
@pytest.mark.parametrize("case, expected", [
    # (timed_out, stopped, has a fault event); Renode never reports an exit code
    ("pass", (False, True, False)),
    ("fail", (False, True, False)),
    ("hardfault_spin", (False, True, True)),
    ("hang", (True, False, False)),
])
def test_renode_in_docker(renode_image: str, fixtures_dir: dict[str, Path], tmp_path: Path,
                          case: str, expected: tuple[bool, bool, bool]) -> None:
    target = _target("bluepill")
    timeout_s = HANG_TIMEOUT_S if case == "hang" else TIMEOUT_S
    with _docker_runner(target, renode_image, inner="renode") as runner:
        runner.check_available()
        assert "Renode" in (runner.version() or "")
        outcome = runner.run(_request(target, fixtures_dir[target.name] / f"{case}.elf",
                                      tmp_path, timeout_s))
    has_fault = any(e.kind == "fault" for e in outcome.events)
    assert outcome.exit_code is None
    assert (outcome.timed_out, outcome.stopped, has_fault) == expected
    assert (tmp_path / "uart.txt").is_file()
    lines = (tmp_path / "output.log").read_text().splitlines()
    assert lines and lines[0].startswith("Testing ")


# ---- through the CLI, as a user runs it ----

def test_main_job_in_docker(image: str, tmp_path: Path) -> None:
    """`tflm-test --target bluepill --docker IMAGE`: the image has no Renode, so bluepill says
    so in one line and runs every test on QEMU netduino2 inside containers."""
    report = tmp_path / "r.json"
    proc = tflm_test("--target", "bluepill", "--docker", image, "-j", "2", "--json", str(report),
                     "--out", str(tmp_path / "out"), env={**os.environ, "TFLM_TEST_RENODE": ""})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    notes = [ln for ln in proc.stderr.splitlines() if ln.startswith("note: ")]
    assert len(notes) == 1 and "running on qemu netduino2 instead" in notes[0]
    records = json.loads(report.read_text())["results"]
    assert {Path(r["binary"]).stem for r in records} >= {"micro_speech_test", "interp_test"}
    assert all(r["verdict"] == "PASS" and "in docker" in r["runner"] for r in records)


def test_fixture_verdicts_in_docker_through_the_cli(image: str, fixtures_dir: dict[str, Path],
                                                    tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    names = ("pass", "fail", "hardfault", "hardfault_spin", "hang", "sentinel_then_exit1")
    folder = fixtures_dir["qemu_cortexm3"]
    proc = tflm_test("run", *(str(folder / f"{n}.elf") for n in names), "--target",
                     "qemu_cortexm3", "--docker", image, "--timeout", "3", "--json", str(report),
                     "--out", str(tmp_path / "out"))
    assert proc.returncode == 1
    verdicts = {Path(r["binary"]).stem: r["verdict"]
                for r in json.loads(report.read_text())["results"]}
    assert verdicts == {"pass": "PASS", "fail": "FAIL", "hardfault": "CRASH",
                        "hardfault_spin": "CRASH", "hang": "TIMEOUT",
                        "sentinel_then_exit1": "FAIL"}


def test_missing_image_through_the_cli_is_one_line_exit_2(engine: None,
                                                          fixtures_dir: dict[str, Path]) -> None:
    proc = tflm_test("run", str(fixtures_dir["qemu_cortexm3"] / "pass.elf"), "--target",
                     "qemu_cortexm3", "--docker", "tflm-test/no-such-image:0")
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "tflm-test image build" in proc.stderr


def test_kill_9_of_tflm_test_ends_its_container(image: str, fixtures_dir: dict[str, Path],
                                                tmp_path: Path) -> None:
    """A CI job timeout or the OOM killer: the container must not run on (nor stay)."""
    from .conftest import TFLM_TEST

    out = tmp_path / "out"
    proc = subprocess.Popen([TFLM_TEST, "run", str(fixtures_dir["qemu_cortexm3"] / "hang.elf"),
                             "--target", "qemu_cortexm3", "--docker", image, "--timeout", "300",
                             "--out", str(out)], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    log = out / "qemu_cortexm3" / "hang" / "output.log"
    deadline = time.monotonic() + 60
    while not (log.exists() and log.stat().st_size) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert _leftover_containers(), "the container did not start"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    deadline = time.monotonic() + 20
    while _leftover_containers() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _leftover_containers() == []


@pytest.mark.skipif(shutil.which("gdb-multiarch") is None, reason="needs gdb-multiarch")
def test_debug_in_docker_serves_gdb_on_localhost(image: str, fixtures_dir: dict[str, Path],
                                                 tmp_path: Path) -> None:
    elf = fixtures_dir["bluepill"] / "fail.elf"
    common = ("debug", str(elf), "--target", "bluepill", "--docker", image, "--emulator",
              "qemu", "--break", "../tests/firmware/fail.c:10", "--out", str(tmp_path / "out"))
    printed = tflm_test(*common, "--print-command", "--port", "4242")
    assert printed.returncode == 0, printed.stderr
    emulator = printed.stdout.splitlines()[1]
    assert " --publish 127.0.0.1:4242:4242 " in emulator and "--network" not in emulator
    assert emulator.endswith(" -gdb tcp:0.0.0.0:4242 -S")  # inside; the host has 127.0.0.1 only
    proc = tflm_test(*common, "--batch", "--ex", "print answer", "--ex", "delete 1",
                     "--ex", "break tm_port_exit", "--ex", "continue", timeout=120)
    assert proc.returncode == 0, proc.stderr
    log = tmp_path / "out" / "debug" / "bluepill" / "fail" / "output.log"
    assert "~~~SOME TESTS FAILED~~~" in log.read_text()
    said = proc.stdout
    for line in log.read_text().splitlines():  # the program's lines cut into gdb's: out
        said = said.replace(f"{line}\n", "", 1)
    assert "Breakpoint 1.1, main () at ../tests/firmware/fail.c:10\n" in said
    assert "$1 = 41\n" in said
    assert "Breakpoint 2, tm_port_exit (" in said


@pytest.mark.parametrize("script, expected", [
    ("kill -SEGV $$", -signal.SIGSEGV),  # a death by signal: -N, as run_process reports it
    ("exit 139", 139),  # a real exit status 128+N stays what it is
    ("exit 3", 3),
])
def test_exit_status_in_docker_agrees_with_a_direct_run(image: str, tmp_path: Path,
                                                        script: str, expected: int) -> None:
    argv = ["sh", "-c", f"echo hello; {script}"]
    direct = run_process(Command(tuple(argv), tmp_path),
                         _request(_target("qemu_cortexm3"), tmp_path / "x", tmp_path / "d"))
    work = tmp_path / "docker"
    work.mkdir()
    with DockerLauncher(image).open(work) as launch:
        outcome = run_process(launch.command(argv, work, deadline_s=TIMEOUT_S),
                              _request(_target("qemu_cortexm3"), tmp_path / "x", work))
        outcome = launch.check(outcome, work / "output.log")
    assert direct.exit_code == expected
    assert outcome.exit_code == expected
    assert (work / "output.log").read_text() == "hello\n"


def test_docker_results_record_the_emulator_version(image: str, fixtures_dir: dict[str, Path],
                                                    tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    proc = tflm_test("run", str(fixtures_dir["qemu_cortexm3"] / "pass.elf"), "--target",
                     "qemu_cortexm3", "--docker", image, "--json", str(report),
                     "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    (record,) = json.loads(report.read_text())["results"]
    assert record["extras"]["emulator_version"].startswith("QEMU emulator version 7.2")
    assert record["extras"]["emulator_version"].endswith(f" (in {image})")
