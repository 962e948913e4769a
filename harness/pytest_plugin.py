"""pytest plugin: a project's emulated test binaries as pytest items.

`pytest --tflm-target bluepill [--tflm-project DIR]` builds the project's test binaries for
each target as its project file says (harness/build.py) and collects one item per binary.
The first item to run runs every selected binary through the library's own scheduler
(session.run_jobs: workers, verdicts, crash detection), as `tflm-test` would; each item
then passes or fails on its binary's verdict, with a sub-result per case (user_properties,
so JUnit XML has them) and, for a failure, the case, file:line and the log's tail.

Registered through the `pytest11` entry point; without --tflm-target it does nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from . import build
from .errors import TflmTestError
from .pipeline import Events, RunOptions, default_jobs, load_targets, plan_targets
from .reports.terminal import failure_details
from .results import BinaryResult, Verdict
from .session import Interrupted, Job, RunSettings, jobs_for, prepare_out_dir, run_jobs

_RUNS = pytest.StashKey["_Runs"]()


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("tflm-test", "emulated test binaries (tflm-test)")
    group.addoption("--tflm-target", action="append", default=[], metavar="NAME",
                    help="Build and run the project's test binaries for this target "
                         "(repeatable); without it the plugin is off.")
    group.addoption("--tflm-project", type=Path, metavar="DIR",
                    help="The project's folder [default: found upward from here].")
    group.addoption("--tflm-out", type=Path, default=RunOptions.out_dir, metavar="DIR",
                    help=f"Folder for every run's log [default: {RunOptions.out_dir}].")
    group.addoption("--tflm-jobs", type=int, default=None, metavar="N",
                    help="Binaries run in parallel [default: the CPU count].")


@dataclass
class _Runs:
    """The session's jobs and, once the first item ran, every selected job's result."""

    options: RunOptions
    results: dict[tuple[str, str], BinaryResult] | None = None
    jobs: dict[str, Job] = field(default_factory=dict)  # by item node id

    def result(self, session: pytest.Session, item: BinaryItem) -> BinaryResult:
        if self.results is None:
            wanted = [self.jobs[i.nodeid] for i in session.items if isinstance(i, BinaryItem)]
            settings = RunSettings(self.options.out_dir.resolve(), self.options.runner_config())
            try:
                done = run_jobs(wanted, settings, self.options.jobs)
            except Interrupted:
                raise KeyboardInterrupt from None  # the programs are stopped already
            self.results = {(r.target, r.key): r for r in done}
        job = self.jobs[item.nodeid]
        return self.results[(job.plan.target.name, job.name)]


def _options(config: pytest.Config) -> RunOptions:
    return RunOptions(jobs=config.getoption("tflm_jobs") or default_jobs(),
                      out_dir=config.getoption("tflm_out"),
                      project=config.getoption("tflm_project"))


@pytest.hookimpl(tryfirst=True)  # before -k/-m deselect: they apply to our items too
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config,
                                  items: list[pytest.Item]) -> None:
    names = config.getoption("tflm_target")
    if not names:
        return
    options = _options(config)
    runs = _Runs(options)
    try:
        project = options.load_project()
        plans = plan_targets(load_targets(names, project, Events()), project, options,
                             Events())
        prepare_out_dir(options.out_dir)
        for plan in plans:
            for job in jobs_for(plan, build.build_tests(project, plan.target, options.jobs)):
                item = BinaryItem.from_parent(session, name=f"{job.name}[{plan.target.name}]",
                                              nodeid=f"tflm-test/{plan.target.name}/{job.name}")
                runs.jobs[item.nodeid] = job
                items.append(item)
    except TflmTestError as exc:
        raise pytest.UsageError(f"tflm-test: {exc}") from None
    config.stash[_RUNS] = runs


class BinaryFailed(Exception):
    """A binary that did not pass; carries its result for the report."""

    def __init__(self, result: BinaryResult) -> None:
        super().__init__(result.reason)
        self.result = result


class BinaryItem(pytest.Item):
    """One test binary on one target."""

    def runtest(self) -> None:
        result = self.config.stash[_RUNS].result(self.session, self)
        for case in result.cases:
            self.user_properties.append((f"case {case.name}", str(case.status)))
        self.user_properties.append(("log", str(result.log)))
        if result.verdict is not Verdict.PASS:
            raise BinaryFailed(result)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException],
                     style: Any = None) -> str:
        if isinstance(excinfo.value, BinaryFailed):
            result = excinfo.value.result
            lines = [f"{result.verdict} on {result.runner}: {result.reason}"]
            lines += [f"  case {c.name}: {c.status}" + (f": {c.reason}" if c.reason else "")
                      for c in result.cases]
            failing = next((c.name for c in result.cases if c.failures), None)
            hint = [f"debug it: tflm-test debug {result.binary} --target {result.target}"
                    + (f" --case {failing}" if failing else "")]
            return "\n".join(lines + failure_details(result) + hint)
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        job = self.config.stash[_RUNS].jobs[self.nodeid]
        return job.binary, None, f"{job.plan.target.name}: {job.name}"
