"""Schedule (target, binary) jobs over N workers and turn each run into a BinaryResult.

Each worker owns its runners (one per target), so a runner with a long-lived emulator (a
Renode process) serves many binaries. Ctrl-C sets a shared cancel event: every running
program is stopped, finished results are kept, and Interrupted carries them out.
"""

from __future__ import annotations

import logging
import os
import queue
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath

from .cache import ResultCache, file_sha256
from .elf import Footprint, footprint
from .expect import Expected
from .flaky import Quarantine, run_with_retries
from .errors import (BadBinary, ExitCode, RunnerUnavailable, TflmTestError, ToolMissing,
                     UnknownName)
from .reports import write_atomic
from .reports.json_report import json_text
from .results import BinaryResult, CaseResult, Verdict
from .runners import load_runner
from .runners.base import Runner, RunnerConfig, RunOutcome, RunRequest
from .runners.follow import read_lines
from .targets import EmulatorSpec, Target
from .testlog import Format, final_line_rule, parse_log
from .verdict import case_results, judge

log = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 60.0  # seconds per binary when neither --timeout nor the project says
EXIT_GRACE_S = 2.0  # how long a target that can exit gets to do so after its final line


class Interrupted(TflmTestError):
    """Ctrl-C: carries every result finished before it."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(self, results: list[BinaryResult]) -> None:
        super().__init__(f"interrupted; {len(results)} finished result(s) kept")
        self.results = results


@dataclass(frozen=True)
class TargetPlan:
    """How one target's binaries will run."""

    target: Target
    runner_cls: type[Runner]
    emulator: EmulatorSpec
    notice: str | None = None  # one line, e.g. the fallback from Renode to QEMU
    timeout_s: float = DEFAULT_TIMEOUT_S  # per binary
    format: Format | None = None  # the output format; None: detected per binary
    notes: tuple[str, ...] = ()  # what the runner leaves out here (Runner.notes), one line each

    def make_runner(self, config: RunnerConfig) -> Runner:
        return self.runner_cls(self.target, self.emulator, config)


@dataclass(frozen=True)
class Job:
    plan: TargetPlan
    binary: Path
    key: str = ""  # unique among the target's jobs, readable: see job_keys(); default the stem
    expected: tuple[str, ...] | None = None  # cases that must run (expect.Expected)
    marks: tuple[int, ...] = ()  # code addresses whose arrivals are counted (RunRequest.marks)

    @property
    def name(self) -> str:
        return self.key or self.binary.stem


LOG_NAME = "output.log"  # the program's output, in its run's work folder
RESULT_NAME = "result.json"  # the run's result, a one-result JSON report (`tflm-test debug` reads it)


def job_keys(binaries: Sequence[Path]) -> list[str]:
    """A unique, readable name per run of one target: the binary's path from the folder all
    the binaries share, without its suffix (`a/x`, `b/x`); a binary given again gets `~2`,
    `~3`... Runs are kept apart by it: their work folders and logs never mix."""
    resolved = [b.resolve() for b in binaries]
    common = Path(os.path.commonpath([b.parent for b in resolved])) if resolved else Path("/")
    keys: list[str] = []
    for binary in resolved:
        key = PurePosixPath(*binary.relative_to(common).with_suffix("").parts).as_posix()
        unique, n = key, 1
        while unique in keys:
            n += 1
            unique = f"{key}~{n}"
        keys.append(unique)
    return keys


def prepare_out_dir(out_dir: Path) -> None:
    """Make the output folder and prove it can be written, before anything runs.

    Raises:
        TflmTestError: it cannot be made or written (a file in the way, read-only, full,
            no permission); exit 2.
    """
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out_dir) as probe:
            probe.write(b"tflm-test")
            probe.flush()
            os.fsync(probe.fileno())
    except OSError as exc:
        raise TflmTestError(f"--out {out_dir}: cannot write there "
                            f"({exc.strerror or exc})") from exc


def jobs_for(plan: TargetPlan, binaries: Sequence[Path],
             expected: Expected | None = None) -> list[Job]:
    """One job per binary for a target, each with its own key (see job_keys) and, when an
    earlier report is given, the cases it must run."""
    return [Job(plan, binary.resolve(), key,
                expected.cases_of(plan.target.name, key, binary.stem) if expected else None)
            for binary, key in zip(binaries, job_keys(binaries))]


def plan_target(target: Target, config: RunnerConfig, emulator: str | None = None) -> TargetPlan:
    """Pick the first usable emulator of the target (or the forced one), checking it now,
    before anything is built.

    Raises:
        UnknownName: the forced emulator is not one the target runs on.
        RunnerUnavailable, ToolMissing: the forced (or every) emulator is unusable.
    """
    candidates = [e for e in target.emulators if emulator in (None, e.runner)]
    if not candidates:
        known = ", ".join(e.runner for e in target.emulators)
        raise UnknownName(f"target {target.name} cannot run on {emulator!r}; it runs on: {known}")
    reasons: list[str] = []
    for spec in candidates:
        cls = load_runner("docker" if config.docker_image else spec.runner)
        probe = cls(target, spec, config)
        try:
            probe.check_available()
        except (RunnerUnavailable, ToolMissing) as exc:
            if emulator is not None or spec is candidates[-1]:
                raise
            reasons.append(f"{spec.runner} not available ({exc})")
            continue
        notice = None
        if reasons:
            where = " ".join(p for p in (spec.runner, spec.machine) if p)
            notice = f"{target.name}: {'; '.join(reasons)}; running on {where} instead"
        return TargetPlan(target, cls, spec, notice,
                          notes=tuple(f"{target.name}: {n}" for n in probe.notes()))
    raise AssertionError("unreachable: the last candidate either returns or raises")


@dataclass(frozen=True)
class RunSettings:
    out_dir: Path
    runner_config: RunnerConfig
    retries: int = 0  # --retries: runs more of a binary that did not pass (flaky.py)
    cache: ResultCache | None = None  # None: --no-cache
    quarantine: Quarantine | None = None


def _counted(cases: tuple[CaseResult, ...], lines: list[str], fmt: Format | None,
             counts: tuple[int | None, ...]) -> tuple[CaseResult, ...]:
    """Each case's instructions: its duration's span, read on the instruction clock (the
    count at each line) instead of the wall clock. Cases are in log order in both."""
    spans = parse_log(lines, fmt=fmt, times=counts).cases  # type: ignore[arg-type]
    return tuple(replace(case, instructions=None if span.duration_s is None
                         else int(span.duration_s))
                 for case, span in zip(cases, spans)) + cases[len(spans):]


def _result(job: Job, runner: Runner, outcome: RunOutcome, log_path: Path) -> BinaryResult:
    lines = read_lines(log_path)
    # Arrival times when the runner timed every line (a runner that wrote the log some other
    # way gives none): then cases have durations.
    times = outcome.line_times if len(outcome.line_times) == len(lines) else None
    parsed = parse_log(lines, fmt=job.plan.format, times=times)
    target = job.plan.target
    grace = EXIT_GRACE_S if target.can_exit else 0.0
    judgement = judge(parsed, outcome, target.can_exit, job.plan.timeout_s, grace,
                      expected=job.expected)
    if outcome.interrupted:
        judgement = replace(judgement, verdict=Verdict.ERROR, reason="interrupted (Ctrl-C)")
    extras = dict(outcome.extras)
    if (version := runner.version()) is not None:
        extras.setdefault("emulator_version", version)
    cases = case_results(parsed, judgement, expected=job.expected)
    if outcome.line_instructions and len(outcome.line_instructions) == len(lines):
        cases = _counted(cases, lines, parsed.format, outcome.line_instructions)
    return BinaryResult(
        binary=job.binary, target=target.name, runner=runner.describe(),
        verdict=judgement.verdict, reason=judgement.reason, duration_s=outcome.duration_s,
        exit_code=outcome.exit_code, log=log_path, cases=cases,
        extras=extras, tail=parsed.last_lines, format=parsed.format, key=job.name)


def _footprint(job: Job) -> Footprint | None:
    """The binary's sizes; None for a file that is no ELF we can read (the run judges it)."""
    try:
        return footprint(job.binary, job.plan.target)
    except BadBinary:
        return None


def run_job(job: Job, runner: Runner, settings: RunSettings,
            cancel: threading.Event) -> BinaryResult:
    """Run one binary and judge it; an environment error becomes an ERROR result."""
    work_dir = settings.out_dir / job.plan.target.name / job.name
    work_dir.mkdir(parents=True, exist_ok=True)
    log_path = work_dir / LOG_NAME
    request = RunRequest(
        binary=job.binary, log_path=log_path, work_dir=work_dir, timeout_s=job.plan.timeout_s,
        stop_on=final_line_rule(job.plan.format),
        exit_grace_s=EXIT_GRACE_S if job.plan.target.can_exit else 0.0,
        cancel=cancel, marks=job.marks)
    size = _footprint(job)
    try:
        if size is not None and (too_big := size.too_big()) is not None:  # nothing starts
            return BinaryResult(job.binary, job.plan.target.name, runner.describe(),
                                Verdict.TOO_BIG, too_big, 0.0, None, None, key=job.name,
                                footprint=size)
        outcome = runner.run(request)
    except TflmTestError as exc:
        result = BinaryResult(job.binary, job.plan.target.name, runner.describe(),
                              Verdict.ERROR, str(exc), 0.0, None,
                              log_path if log_path.exists() else None, key=job.name,
                              footprint=size)
    else:
        result = replace(_result(job, runner, outcome, log_path), footprint=size)
    try:
        write_atomic(work_dir / RESULT_NAME, json_text([result]))
    except OSError as exc:  # the result itself is not lost: it goes on to the reports
        log.warning("%s: cannot write %s (%s)", job.name, RESULT_NAME, exc.strerror or exc)
    return result


def _keep_attempt_log(log_path: Path, attempt: int) -> None:
    """Before attempt N, the previous attempt's log becomes output.attempt<N-1>.log."""
    if attempt > 1 and log_path.exists():
        log_path.replace(log_path.with_name(f"output.attempt{attempt - 1}.log"))


def run_policed(job: Job, runner: Runner, settings: RunSettings,
                cancel: threading.Event) -> BinaryResult:
    """run_job behind the result cache, --retries and the quarantine file."""
    log_path = settings.out_dir / job.plan.target.name / job.name / LOG_NAME
    sha = file_sha256(job.binary)
    key = settings.cache.key(job, runner, sha) if settings.cache else None
    result = settings.cache.load(key, job, log_path) if settings.cache and key else None
    if result is None:
        def attempt(n: int) -> BinaryResult:
            _keep_attempt_log(log_path, n)
            return run_job(job, runner, settings, cancel)

        result = replace(run_with_retries(attempt, settings.retries, cancel), sha256=sha)
        if settings.cache and key and not cancel.is_set():
            settings.cache.store(key, result)
    return settings.quarantine.mark(result) if settings.quarantine else result


class _Worker:
    """Takes jobs from a shared queue; owns one runner per target plan."""

    def __init__(self, settings: RunSettings, cancel: threading.Event,
                 on_result: Callable[[BinaryResult], None]) -> None:
        self.settings = settings
        self.cancel = cancel
        self.on_result = on_result
        self.runners: dict[int, Runner] = {}

    def __call__(self, jobs: queue.Queue[Job]) -> None:
        try:
            while not self.cancel.is_set():
                try:
                    job = jobs.get_nowait()
                except queue.Empty:
                    return
                key = id(job.plan)
                if key not in self.runners:
                    self.runners[key] = job.plan.make_runner(self.settings.runner_config)
                self.on_result(run_policed(job, self.runners[key], self.settings, self.cancel))
        finally:
            for runner in self.runners.values():
                runner.close()


def run_jobs(jobs: Sequence[Job], settings: RunSettings, workers: int,
             on_result: Callable[[BinaryResult], None] = lambda r: None) -> list[BinaryResult]:
    """Run every job on `workers` threads; results in job order.

    Raises:
        Interrupted: on Ctrl-C, after every program was stopped; holds the finished results.
    """
    pending: queue.Queue[Job] = queue.Queue()
    for job in jobs:
        pending.put(job)
    results: list[BinaryResult] = []
    lock = threading.Lock()

    def collect(result: BinaryResult) -> None:
        with lock:
            results.append(result)
        on_result(result)

    cancel = threading.Event()
    count = max(1, min(workers, len(jobs) or 1))
    pool = ThreadPoolExecutor(max_workers=count)
    futures = [pool.submit(_Worker(settings, cancel, collect), pending) for _ in range(count)]
    try:
        for future in futures:
            future.result()
    except KeyboardInterrupt:
        cancel.set()
        pool.shutdown(wait=True)
        raise Interrupted(_in_job_order(results, jobs)) from None
    pool.shutdown(wait=True)
    return _in_job_order(results, jobs)


def _in_job_order(results: list[BinaryResult], jobs: Sequence[Job]) -> list[BinaryResult]:
    order = {(j.plan.target.name, j.name): i for i, j in enumerate(jobs)}
    return sorted(results, key=lambda r: order.get((r.target, r.key), len(order)))
