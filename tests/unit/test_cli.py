"""cli: thin layer; errors become one line and the right exit code."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from tflm_test import cli, pipeline
from tflm_test.errors import RunnerUnavailable, ToolMissing
from tflm_test.results import BinaryResult, Verdict
from tflm_test.session import Interrupted
from tflm_test.targets import builtin_platforms


def result(verdict: Verdict) -> BinaryResult:
    return BinaryResult(Path("x.elf"), "host", "host", verdict, "", 0.1, 0, None)


@dataclass
class FakeLibrary:
    """Stands in for pipeline.test: records configs, returns or raises what a test sets."""

    configs: list[pipeline.RunConfig] = field(default_factory=list)
    results: list[BinaryResult] = field(default_factory=lambda: [result(Verdict.PASS)])
    error: BaseException | None = None

    def __call__(self, config: pipeline.RunConfig, events: pipeline.Events) -> list[BinaryResult]:
        self.configs.append(config)
        if self.error is not None:
            raise self.error
        return self.results


@pytest.fixture()
def calls(monkeypatch: pytest.MonkeyPatch) -> FakeLibrary:
    fake = FakeLibrary()
    monkeypatch.setattr(pipeline, "test", fake)
    return fake


def invoke(*args: str):
    return CliRunner().invoke(cli.cli, list(args))


def test_main_job_options_reach_the_library(calls: FakeLibrary) -> None:
    res = invoke("--target", "bluepill", "--target", "host", "-j", "3", "--timeout", "9",
                 "--junit", "j.xml", "--json", "r.json", "--docker")
    assert res.exit_code == 0, res.output
    config = calls.configs[0]
    assert config.targets == ("bluepill", "host")
    assert (config.options.jobs, config.options.timeout_s) == (3, 9.0)
    assert (config.junit, config.json) == (Path("j.xml"), Path("r.json"))
    assert config.options.docker_image == cli.DEFAULT_IMAGE
    assert "1 passed, 0 failed" in res.output


def test_docker_takes_an_image_name(calls: FakeLibrary) -> None:
    assert invoke("--docker", "mine:1", "--target", "host").exit_code == 0
    assert calls.configs[0].options.docker_image == "mine:1"


def test_any_non_pass_exits_1(calls: FakeLibrary) -> None:
    calls.results = [result(Verdict.PASS), result(Verdict.TIMEOUT)]
    assert invoke().exit_code == 1


def test_no_results_is_not_a_pass(calls: FakeLibrary) -> None:
    calls.results = []
    assert invoke().exit_code == 1


def test_user_error_is_one_line_exit_2(calls: FakeLibrary) -> None:
    calls.error = ToolMissing("qemu-system-arm not found; install qemu-system-arm")
    res = invoke("--target", "qemu_cortexm3")
    assert res.exit_code == 2
    assert res.output == "tflm-test: error: qemu-system-arm not found; install qemu-system-arm\n"


def test_ctrl_c_exits_130_with_one_line(calls: FakeLibrary) -> None:
    calls.error = Interrupted([result(Verdict.PASS)])
    res = invoke()
    assert res.exit_code == 130
    assert res.output.strip().count("\n") == 0 and "interrupted" in res.output


def test_version_and_help() -> None:
    assert invoke("--version").output.startswith("tflm-test, version ")
    for args in (["--help"], ["run", "--help"], ["targets", "--help"]):
        res = invoke(*args)
        assert res.exit_code == 0 and "Usage:" in res.output


def test_unknown_emulator_is_a_usage_error() -> None:
    assert invoke("--emulator", "bochs").exit_code == 2


def test_image_build_calls_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    from tflm_test.runners import docker_image

    calls: list[tuple[object, ...]] = []
    monkeypatch.setattr(docker_image, "build_base_image", lambda: "local/debian:bookworm")

    def fake_build(tag: str, base: str, renode: object, progress: object) -> str:
        calls.append((tag, base, renode))
        return tag

    monkeypatch.setattr(docker_image, "build_image", fake_build)
    res = invoke("image", "build", "--local-base", "--tag", "mine:1")
    assert res.exit_code == 0, res.output
    assert calls == [("mine:1", "local/debian:bookworm", None)]
    assert res.output.strip().endswith("mine:1")


def test_image_build_error_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    from tflm_test.runners import docker_image

    def unreachable(*args: object, **kwargs: object) -> str:
        raise RunnerUnavailable("Docker engine unreachable; start dockerd")

    monkeypatch.setattr(docker_image, "build_image", unreachable)
    res = invoke("image", "build", "--base", "debian:bookworm")
    assert (res.exit_code, res.output) == (2, "tflm-test: error: Docker engine unreachable; "
                                               "start dockerd\n")


def test_targets_says_where_each_board_comes_from_and_lists_broken_files(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in ("bluepill.yaml", "bluepill.resc"):
        shutil.copy(builtin_platforms() / name, tmp_path / name)
    (tmp_path / "mine.yaml").write_text("name: mine\ndescription: my board\nelf_machine: native\n"
                                        "can_exit: true\nemulators: [{runner: host}]\n")
    (tmp_path / "bad.yaml").write_text("name: bad\nelf_machine: arm\ncan_exit: 'false'\n")
    (tmp_path / "tflm-test.toml").write_text('platforms = ["."]\n')
    monkeypatch.setattr(pipeline, "target_statuses", lambda boards, config: [
        pipeline.TargetStatus(t, (), False) for t in boards.targets.values()])
    res = invoke("targets", "--project", str(tmp_path))
    assert res.exit_code == 2, res.output
    lines = res.output.splitlines()
    after = {line.split()[0]: lines[i + 1] for i, line in enumerate(lines[:-1])
             if not line.startswith(" ")}
    assert after["bluepill"] == f"  from      {tmp_path / 'bluepill.yaml'} (overrides built-in)"
    assert after["host"] == "  from      built-in"
    assert after["mine"] == f"  from      {tmp_path / 'mine.yaml'}"
    assert "my board  [toolchain none]" in res.output
    assert lines[-1] == (f"broken board file: {tmp_path / 'bad.yaml'}:3: can_exit: expected "
                         'true or false, got the string "false"')


def test_targets_without_broken_files_exits_0(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pipeline, "target_statuses", lambda boards, config: [
        pipeline.TargetStatus(t, (), False) for t in boards.targets.values()])
    res = invoke("targets")
    assert res.exit_code == 0 and "broken" not in res.output
    assert res.output.count("  from      built-in") == 4


@pytest.mark.parametrize("args, env", [(["--timeout", "nan"], {}), (["--timeout", "inf"], {}),
                                       (["--timeout", "0"], {}), ([], {"TFLM_TEST_TIMEOUT": "nan"})])
def test_a_timeout_that_never_fires_is_refused_in_one_line(calls: FakeLibrary, args: list[str],
                                                          env: dict[str, str]) -> None:
    res = CliRunner().invoke(cli.cli, ["--target", "host", *args], env=env)
    assert res.exit_code == 2 and calls.configs == []
    assert res.output.startswith("tflm-test: error: Invalid value for '--timeout'")
    assert res.output.count("\n") == 1


def test_usage_errors_are_one_line() -> None:
    res = invoke("--no-such-option")
    assert res.exit_code == 2
    assert res.output.startswith("tflm-test: error: No such option") and \
        res.output.count("\n") == 1


def test_ci_options_reach_the_library(calls: FakeLibrary, tmp_path: Path) -> None:
    res = invoke("--retries", "2", "--shard", "2/3", "--no-cache", "--cache-dir", str(tmp_path),
                 "--max-increase", "ram=5%")
    assert res.exit_code == 0, res.output
    config = calls.configs[0]
    assert (config.retries, str(config.shard), config.cache) == (2, "2/3", False)
    assert config.cache_dir == tmp_path and str(config.max_increase["ram"]) == "5%"
