"""session: emulator choice and scheduling, with scripted runners."""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test import session
from tflm_test.errors import RunnerUnavailable, UnknownName
from tflm_test.results import Verdict
from tflm_test.runners.base import RunnerConfig
from tflm_test.session import job_keys, Interrupted, Job, RunSettings, plan_target, run_jobs
from tflm_test.testlog import SENTINEL_PASS

from .fakes import ScriptedRunner, binary, make_target


class Renode(ScriptedRunner):
    name = "renode"


class Qemu(ScriptedRunner):
    name = "qemu"


@pytest.fixture()
def fake_runners(monkeypatch: pytest.MonkeyPatch) -> None:
    Renode.unavailable = Qemu.unavailable = None
    table = {"renode": Renode, "qemu": Qemu}
    monkeypatch.setattr(session, "load_runner", lambda name: table[name])


def test_preferred_emulator_is_used_when_available(fake_runners: None) -> None:
    plan = plan_target(make_target(), RunnerConfig())
    assert (plan.runner_cls, plan.notice) == (Renode, None)


def test_fallback_says_so_in_one_line(fake_runners: None) -> None:
    Renode.unavailable = "no renode on PATH"
    plan = plan_target(make_target(), RunnerConfig())
    assert plan.runner_cls is Qemu
    assert plan.notice == "board: renode not available (no renode on PATH); running on qemu m instead"


def test_forced_missing_emulator_is_an_error(fake_runners: None) -> None:
    Renode.unavailable = "no renode on PATH"
    with pytest.raises(RunnerUnavailable, match="no renode on PATH"):
        plan_target(make_target(), RunnerConfig(), emulator="renode")


def test_forced_emulator_the_target_lacks(fake_runners: None) -> None:
    with pytest.raises(UnknownName, match="cannot run on 'host'; it runs on: renode, qemu"):
        plan_target(make_target(), RunnerConfig(), emulator="host")


def test_all_unavailable_raises_the_last_reason(fake_runners: None) -> None:
    Renode.unavailable = "no renode"
    Qemu.unavailable = "no qemu"
    with pytest.raises(RunnerUnavailable, match="no qemu"):
        plan_target(make_target(), RunnerConfig())


def settings(tmp_path: Path) -> RunSettings:
    return RunSettings(tmp_path / "out", RunnerConfig())


def test_jobs_run_on_workers_and_results_keep_job_order(fake_runners: None, tmp_path: Path) -> None:
    Renode.scripts = {"a": ["Testing A", "1/1 tests passed", SENTINEL_PASS],
                      "b": ["Testing B", "x failed at b.c:2", "0/1 tests passed"]}
    plan = plan_target(make_target(), RunnerConfig())
    Renode.created = Renode.closed = 0
    jobs = [Job(plan, binary(tmp_path, s)) for s in ("a", "b", "a2")]
    seen = []
    results = run_jobs(jobs, settings(tmp_path), workers=2, on_result=seen.append)
    assert [r.name for r in results] == ["a", "b", "a2"]
    assert [r.verdict for r in results] == [Verdict.PASS, Verdict.FAIL, Verdict.FAIL]
    assert len(seen) == 3
    assert results[0].extras["executed_instructions"] == 42
    assert results[0].log == tmp_path / "out" / "board" / "a" / "output.log"
    assert 1 <= Renode.created <= 2  # at most one runner per worker, reused across binaries
    assert Renode.closed == Renode.created


def test_ctrl_c_keeps_finished_results(fake_runners: None, tmp_path: Path) -> None:
    Renode.scripts = {"a": ["Testing A", "1/1 tests passed", SENTINEL_PASS]}
    plan = plan_target(make_target(), RunnerConfig())
    jobs = [Job(plan, binary(tmp_path, s)) for s in ("a", "b", "c")]
    finished = []

    def ctrl_c_after_first(result: object) -> None:
        finished.append(result)
        raise KeyboardInterrupt

    with pytest.raises(Interrupted) as info:
        run_jobs(jobs, settings(tmp_path), workers=1, on_result=ctrl_c_after_first)
    assert [r.name for r in info.value.results] == ["a"]
    assert len(finished) == 1  # nothing ran after the interrupt
    assert info.value.exit_code == 130


def test_same_named_binaries_get_their_own_runs(tmp_path: Path) -> None:
    binaries = [tmp_path / "a" / "x.elf", tmp_path / "b" / "x.elf", tmp_path / "a" / "x.elf",
                tmp_path / "a" / "sub" / "y.elf"]
    assert job_keys(binaries) == ["a/x", "b/x", "a/x~2", "a/sub/y"]
    assert job_keys([tmp_path / "only.elf"]) == ["only"]
