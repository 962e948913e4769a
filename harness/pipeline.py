"""The library API behind the CLI, one function per command, each a plain chain:
targets -> plan runners -> build -> run -> judge -> report."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import build, shard
from .baseline import DEFAULT_LIMITS, Comparison, Gate, Limit, Metric, keyed, to_record
from .cache import ResultCache
from .cache import default_dir as default_cache_dir
from .elf import check_elf
from .errors import TflmTestError
from .expect import Expected, load_expected
from .flaky import load_quarantine
from .history import Report, read_report
from .project import (PROJECT_FILE, BadProject, Project, TargetSettings, find_project,
                      parse_format)
from .reports import RunStatus
from .reports.files import ReportFiles
from .reports.json_report import result_record
from .results import BinaryResult, Verdict
from .runners.base import RunnerConfig
from .shard import BadShard, ShardPlan, ShardSpec
from .session import (DEFAULT_TIMEOUT_S, Interrupted, Job, RunSettings, TargetPlan, jobs_for,
                      plan_target, prepare_out_dir, run_jobs)
from .targets import Boards, Target, load_boards


def default_jobs() -> int:
    return max(1, os.cpu_count() or 1)


@dataclass(frozen=True)
class RunOptions:
    """How binaries run, for the test job, `run` and `verify` alike; cli.py defines one
    option per field, with these defaults."""

    jobs: int = field(default_factory=default_jobs)
    timeout_s: float | None = None  # None: the project's (per target), else DEFAULT_TIMEOUT_S
    emulator: str | None = None
    docker_image: str | None = None
    renode: Path | None = None
    out_dir: Path = Path("tflm-test-out")
    project: Path | None = None  # --project DIR; None: found upward from the current folder

    def runner_config(self) -> RunnerConfig:
        return RunnerConfig(renode=self.renode, docker_image=self.docker_image,
                            out_dir=self.out_dir.resolve())

    def load_project(self) -> Project:
        return find_project(explicit=self.project)

    def timeout_for(self, settings: TargetSettings) -> float:
        return self.timeout_s or settings.timeout_s or DEFAULT_TIMEOUT_S


@dataclass(frozen=True)
class RunConfig:
    """Every option of a test run (the test job and `run`), defined once."""

    targets: tuple[str, ...] = ("host",)
    junit: Path | None = None
    json: Path | None = None
    html: Path | None = None
    format: str | None = None  # --format: "auto" or a Format; None: the project's, else auto
    expect_from: Path | None = None  # --expect-from; None: the project's per target
    options: RunOptions = RunOptions()
    baseline: Path | None = None  # --baseline: figures gated against it (baseline.py)
    max_increase: Mapping[Metric, Limit] = field(default_factory=lambda: DEFAULT_LIMITS)
    shard: ShardSpec | None = None  # --shard K/N (shard.py)
    durations: Path | None = None  # --durations: balance the shards by an earlier run's
    retries: int = 0  # --retries (flaky.py)
    quarantine: Path | None = None  # --quarantine; None: the project's
    cache: bool = True  # --no-cache: False
    cache_dir: Path = field(default_factory=default_cache_dir)


@dataclass
class Events:
    """What the library tells its caller while it works (the CLI prints these)."""

    notice: Callable[[str], None] = lambda line: None
    start: Callable[[int], None] = lambda total: None  # the run starts: this many results
    result: Callable[[BinaryResult], None] = lambda result: None
    compared: Callable[[Comparison], None] = lambda comparison: None  # the baseline gate's


def load_targets(names: Sequence[str], project: Project, events: Events) -> list[Target]:
    """The named boards: built-in, or from the project's platform folders.

    Raises:
        UnknownName, TflmTestError: a name no board has, or whose board file is broken.
    """
    boards = load_boards(project.platforms)
    for problem in boards.problems:  # the other boards still run; say why this one is missing
        events.notice(f"board file skipped: {problem}")
    return [boards.get(name) for name in names]


def _forced(target: Target, targets: list[Target], emulator: str | None) -> str | None:
    """--emulator applies to the targets that offer it; in a matrix (host beside boards) the
    others keep their own. It is an error only when no target offers it."""
    if emulator is None or not any(e.runner == emulator for t in targets for e in t.emulators):
        return emulator  # None, or let plan_target name the mismatch
    return emulator if any(e.runner == emulator for e in target.emulators) else None


def plan_targets(targets: list[Target], project: Project, options: RunOptions,
                 events: Events, fmt: str | None = None) -> list[TargetPlan]:
    """How each target runs: its emulator (checked now), timeout and output format."""
    plans = []
    for target in targets:
        settings = project.settings(target.name)
        plan = plan_target(target, options.runner_config(),
                           _forced(target, targets, options.emulator))
        plans.append(replace(plan, timeout_s=options.timeout_for(settings),
                             format=settings.format if fmt is None else parse_format(fmt)))
        if plan.notice:
            events.notice(plan.notice)
        for note in plan.notes:
            events.notice(note)
    return plans


def prepare_outputs(options: RunOptions, reports: ReportFiles) -> None:
    """Before anything is built or run: every output path must be writable."""
    prepare_out_dir(options.out_dir)
    reports.start()


def _expectations(project: Project, config: RunConfig,
                  plans: Sequence[TargetPlan]) -> dict[str, Expected | None]:
    """Per target, the earlier report its cases must match (each file read once)."""
    paths = {p.target.name: config.expect_from or project.settings(p.target.name).expect_from
             for p in plans}
    loaded = {path: load_expected(path) for path in set(paths.values()) if path is not None}
    return {name: loaded.get(path) if path is not None else None
            for name, path in paths.items()}


@dataclass(frozen=True)
class Inputs:
    """What a run reads besides the binaries, read before anything is built or run (a bad
    file stops the run at once, exit 2)."""

    settings: RunSettings
    durations: Report | None
    gate: Gate | None  # --baseline


def read_inputs(config: RunConfig, project: Project, events: Events) -> Inputs:
    """Raises BadShard (--durations without --shard), BadReport, BadQuarantine."""
    if config.durations is not None and config.shard is None:
        raise BadShard("--durations balances shards: give --shard K/N with it")
    quarantine = config.quarantine or project.quarantine
    settings = RunSettings(
        config.options.out_dir.resolve(), config.options.runner_config(), config.retries,
        ResultCache(config.cache_dir, events.notice) if config.cache else None,
        load_quarantine(quarantine) if quarantine is not None else None)
    durations = (read_report(config.durations, "--durations")
                 if config.durations is not None else None)
    gate = (Gate(read_report(config.baseline, "--baseline"), config.max_increase)
            if config.baseline is not None else None)
    return Inputs(settings, durations, gate)


def _my_shard(config: RunConfig, inputs: Inputs, jobs: list[Job],
              missing: Sequence[BinaryResult], reports: ReportFiles
              ) -> tuple[list[Job], list[BinaryResult], ShardPlan | None]:
    """With --shard, this machine's part of the jobs; the split goes in the JSON report."""
    if config.shard is None:
        return jobs, list(missing), None
    keys = [(j.plan.target.name, j.name) for j in jobs] + [(m.target, m.name) for m in missing]
    plan = shard.plan(config.shard, keys, inputs.durations)
    reports.describe(shard=plan.info())
    return ([j for j in jobs if (j.plan.target.name, j.name) in plan.mine],
            [m for m in missing if (m.target, m.name) in plan.mine], plan)


def _gate(gate: Gate, results: Sequence[BinaryResult], split: ShardPlan | None,
          reports: ReportFiles, events: Events) -> None:
    """The finished run against the baseline, into the reports; binaries another shard runs
    are not missing here."""
    comparison = gate.check(keyed(result_record(r) for r in results),
                            only=lambda key: split is None or not split.elsewhere(key))
    reports.describe(baseline=to_record(comparison, str(gate.baseline.source)))
    events.compared(comparison)


def _run_and_report(jobs: list[Job], config: RunConfig, inputs: Inputs, reports: ReportFiles,
                    events: Events, missing: Sequence[BinaryResult] = ()) -> list[BinaryResult]:
    jobs, missing, split = _my_shard(config, inputs, jobs, missing, reports)
    settings = inputs.settings
    quarantine = settings.quarantine
    missing = [quarantine.mark(m) for m in missing] if quarantine else missing

    def on_result(result: BinaryResult) -> None:
        reports.add(result)
        events.result(result)

    events.start(len(jobs) + len(missing))
    try:
        results = run_jobs(jobs, settings, config.options.jobs, on_result)
    except Interrupted as exc:
        reports.finish(exc.results, RunStatus.INTERRUPTED)  # no lost result
        raise
    for result in missing:
        on_result(result)
    results += missing
    if inputs.gate is not None:
        _gate(inputs.gate, results, split, reports, events)
    reports.finish(results, RunStatus.COMPLETE)
    return results


def _gone(plan: TargetPlan, jobs: list[Job], expected: Expected | None) -> list[BinaryResult]:
    """A FAIL for each binary the expected report has that this build did not make."""
    if expected is None:
        return []
    return [BinaryResult(binary, plan.target.name, "-", Verdict.FAIL,
                         f"did not run: it is in {expected.source} but the build made no such "
                         "binary", 0.0, None, None, key=key)
            for key, binary in expected.missing(plan.target.name, {j.name for j in jobs})]


def test(config: RunConfig, events: Events = Events()) -> list[BinaryResult]:
    """Build every test binary for each target as the project file says, run them all,
    write the reports.

    Raises:
        BadProject: there is no project file, or it is malformed.
    """
    project = config.options.load_project()
    if project.file is None:
        raise BadProject(f"no {PROJECT_FILE} in {project.root} or above: write one to say how "
                         "to build the tests (docs/project-file.md), or name its folder with "
                         "--project; prebuilt binaries run with `tflm-test run`")
    plans = plan_targets(load_targets(config.targets, project, events), project, config.options,
                         events, config.format)
    inputs = read_inputs(config, project, events)
    reports = ReportFiles(json=config.json, junit=config.junit, html=config.html)
    prepare_outputs(config.options, reports)
    expectations = _expectations(project, config, plans)
    jobs: list[Job] = []
    missing: list[BinaryResult] = []
    for plan in plans:
        expected = expectations[plan.target.name]
        built = build.build_tests(project, plan.target, config.options.jobs)
        mine = jobs_for(plan, built, expected)
        jobs += mine
        missing += _gone(plan, mine, expected)
    return _run_and_report(jobs, config, inputs, reports, events, missing)


def run(config: RunConfig, binaries: tuple[Path, ...],
        events: Events = Events()) -> list[BinaryResult]:
    """Run prebuilt binaries (no build) on each target; each is checked to be an ELF the
    target runs before anything starts. A project file is optional here."""
    project = config.options.load_project()
    targets = load_targets(config.targets, project, events)
    for target in targets:
        for binary in binaries:
            check_elf(binary, target)
    plans = plan_targets(targets, project, config.options, events, config.format)
    inputs = read_inputs(config, project, events)
    reports = ReportFiles(json=config.json, junit=config.junit, html=config.html)
    prepare_outputs(config.options, reports)
    expectations = _expectations(project, config, plans)
    jobs = [job for plan in plans
            for job in jobs_for(plan, binaries, expectations[plan.target.name])]
    return _run_and_report(jobs, config, inputs, reports, events)


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
