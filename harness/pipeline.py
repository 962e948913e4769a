"""The library API behind the CLI, one function per command, each a plain chain:
targets -> plan runners -> build -> run -> judge -> report."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import build
from .elf import check_elf
from .errors import TflmTestError
from .reports import RunStatus
from .reports.files import ReportFiles
from .results import BinaryResult
from .runners.base import RunnerConfig
from .session import (Interrupted, Job, RunSettings, TargetPlan, jobs_for, plan_target,
                      prepare_out_dir, run_jobs)
from .targets import Boards, Target, load_boards


def find_root(start: Path | None = None) -> Path:
    """The project root: $TFLM_TEST_ROOT, else the nearest folder up from `start` (cwd) with
    platforms/ and reference_runtime/, else the source tree this package was installed from.

    Raises:
        TflmTestError: none of these is a project root.
    """
    def is_root(p: Path) -> bool:
        return (p / "platforms").is_dir() and (p / "reference_runtime" / "Makefile").is_file()

    if env := os.environ.get("TFLM_TEST_ROOT"):
        candidates = [Path(env)]
    else:
        here = (start or Path.cwd()).resolve()
        candidates = [here, *here.parents, Path(__file__).resolve().parent.parent]
    for candidate in candidates:
        if is_root(candidate):
            return candidate
    raise TflmTestError("cannot find the tflm-test project (platforms/ and reference_runtime/); "
                        "run inside a checkout or set TFLM_TEST_ROOT")


@dataclass(frozen=True)
class RunConfig:
    """Every option of a test run, defined once; cli.py reads its defaults from here."""

    targets: tuple[str, ...] = ("host",)
    jobs: int = max(1, os.cpu_count() or 1)
    timeout_s: float = 60.0
    emulator: str | None = None
    docker_image: str | None = None
    renode: Path | None = None
    out_dir: Path = Path("tflm-test-out")
    junit: Path | None = None
    json: Path | None = None
    root: Path = field(default_factory=find_root)

    def runner_config(self) -> RunnerConfig:
        return RunnerConfig(renode=self.renode, docker_image=self.docker_image,
                            out_dir=self.out_dir.resolve())


@dataclass
class Events:
    """What the library tells its caller while it works (the CLI prints these)."""

    notice: Callable[[str], None] = lambda line: None
    result: Callable[[BinaryResult], None] = lambda result: None


def _targets(config: RunConfig, events: Events) -> list[Target]:
    boards = load_boards()
    for problem in boards.problems:  # the other boards still run; say why this one is missing
        events.notice(f"board file skipped: {problem}")
    return [boards.get(name) for name in config.targets]


def _forced(target: Target, targets: list[Target], emulator: str | None) -> str | None:
    """--emulator applies to the targets that offer it; in a matrix (host beside boards) the
    others keep their own. It is an error only when no target offers it."""
    if emulator is None or not any(e.runner == emulator for t in targets for e in t.emulators):
        return emulator  # None, or let plan_target name the mismatch
    return emulator if any(e.runner == emulator for e in target.emulators) else None


def _plans(targets: list[Target], config: RunConfig, events: Events) -> list[TargetPlan]:
    plans = [plan_target(t, config.runner_config(), _forced(t, targets, config.emulator))
             for t in targets]
    for plan in plans:
        if plan.notice:
            events.notice(plan.notice)
    return plans


def _prepare(config: RunConfig) -> ReportFiles:
    """Before anything is built or run: every output path must be writable."""
    prepare_out_dir(config.out_dir)
    reports = ReportFiles(json=config.json, junit=config.junit)
    reports.start()
    return reports


def _run_and_report(jobs: list[Job], config: RunConfig, reports: ReportFiles,
                    events: Events) -> list[BinaryResult]:
    settings = RunSettings(config.out_dir.resolve(), config.timeout_s, config.runner_config())

    def on_result(result: BinaryResult) -> None:
        reports.add(result)
        events.result(result)

    try:
        results = run_jobs(jobs, settings, config.jobs, on_result)
    except Interrupted as exc:
        reports.finish(exc.results, RunStatus.INTERRUPTED)  # no lost result
        raise
    reports.finish(results, RunStatus.COMPLETE)
    return results


def test(config: RunConfig, events: Events = Events()) -> list[BinaryResult]:
    """Build every test binary for each target, run them all, write the reports."""
    plans = _plans(_targets(config, events), config, events)
    reports = _prepare(config)
    jobs = [job for plan in plans
            for job in jobs_for(plan, build.build_tests(config.root, plan.target, config.jobs))]
    return _run_and_report(jobs, config, reports, events)


def run(config: RunConfig, binaries: tuple[Path, ...],
        events: Events = Events()) -> list[BinaryResult]:
    """Run prebuilt binaries (no build) on each target; each is checked to be an ELF the
    target runs before anything starts."""
    targets = _targets(config, events)
    for target in targets:
        for binary in binaries:
            check_elf(binary, target)
    plans = _plans(targets, config, events)
    reports = _prepare(config)
    jobs = [job for plan in plans for job in jobs_for(plan, binaries)]
    return _run_and_report(jobs, config, reports, events)


@dataclass(frozen=True)
class TargetStatus:
    target: Target
    emulators: tuple[tuple[str, str | None], ...]  # (description, None or why unavailable)
    toolchain_missing: bool


def target_statuses(boards: Boards, runner_config: RunnerConfig) -> list[TargetStatus]:
    """Every loaded board with each of its emulators and whether it can be used here."""
    from .runners import load_runner

    statuses = []
    for target in boards.targets.values():
        emulators = []
        for spec in target.emulators:
            runner = load_runner(spec.runner)(target, spec, runner_config)
            try:
                runner.check_available()
                problem = None
            except TflmTestError as exc:
                problem = str(exc)
            emulators.append((runner.describe(), problem))
        missing = target.toolchain is not None and shutil.which(target.toolchain.program) is None
        statuses.append(TargetStatus(target, tuple(emulators), missing))
    return statuses
