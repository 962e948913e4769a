"""The `tflm-test` command line: options in, one library call, an exit code out.

Library code never prints or exits; this module turns results into terminal lines and
TflmTestError into one `tflm-test: error: ...` line with its exit code (see errors.ExitCode).
"""

from __future__ import annotations

import json
import logging
import math
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import fields, replace
from pathlib import Path
from typing import Any

import click

from . import __version__, baseline, flaky, pipeline, shard
from . import debug as debugging
from . import profile as profiling
from . import verify as verification
from .errors import ExitCode, TflmTestError
from .history import read_report
from .reports import RunStatus, terminal
from .reports.files import write_html_from, write_report
from .reports.html_report import html_from_documents
from .reports.junit import junit_text
from .reports import profile_report
from .reports.verify_report import text_lines
from .results import BinaryResult, exit_code_for
from .project import AUTO
from .runners.docker import default_image
from .targets import load_boards, origin
from .testlog import Format

DEFAULTS = pipeline.RunConfig()
OPTIONS = pipeline.RunOptions()
DEFAULT_IMAGE = default_image()


def guarded(call: Callable[[], int]) -> int:
    """Run a command body; map user errors and Ctrl-C to one line and an exit code."""
    try:
        return call()
    except TflmTestError as exc:
        click.echo(f"tflm-test: error: {exc}", err=True)
        return int(exc.exit_code)
    except KeyboardInterrupt:
        click.echo("tflm-test: interrupted", err=True)
        return int(ExitCode.INTERRUPTED)


def _notice(line: str) -> None:
    click.echo(f"note: {line}", err=True)


class Console:
    """What a test run shows: a line per result as it comes (with a failure's log tail), and,
    when stdout is a terminal, one progress line under them (done/total, failures so far,
    elapsed), redrawn after each result and each second, erased at the end. Not at a
    terminal (a CI log) the output is only the result lines."""

    def __init__(self, live: bool | None = None, clock: Callable[[], float] = time.monotonic,
                 tick_s: float = 1.0) -> None:
        if live is None:
            live = sys.stdout.isatty() and os.environ.get("TERM") != "dumb"
        self._live = live
        self._clock, self._tick_s, self._started = clock, tick_s, clock()
        self._progress: terminal.Progress | None = None
        self._lock = threading.Lock()  # results arrive from the worker threads
        self._stop = threading.Event()
        self._ticker = threading.Thread(target=self._tick, daemon=True)

    def events(self) -> pipeline.Events:
        return pipeline.Events(notice=self._notice, start=self._start, result=self._result)

    def close(self) -> None:
        """Stop redrawing and erase the progress line (also after an error or Ctrl-C)."""
        self._stop.set()
        if self._ticker.is_alive():
            self._ticker.join()
        with self._lock:
            self._erase()
            self._progress = None

    def _start(self, total: int) -> None:
        with self._lock:
            self._progress, self._started = terminal.Progress(total), self._clock()
            self._draw()
        if self._live:
            self._ticker.start()

    def _result(self, result: BinaryResult) -> None:
        with self._lock:
            self._erase()
            for line in [terminal.result_line(result), *terminal.failure_details(result)]:
                click.echo(line)
            if self._progress is not None:
                self._progress = self._progress.after(result)
            self._draw()

    def _notice(self, line: str) -> None:
        with self._lock:
            self._erase()
            _notice(line)
            self._draw()

    def _tick(self) -> None:
        while not self._stop.wait(self._tick_s):
            with self._lock:
                self._draw()

    def _draw(self) -> None:
        if self._live and self._progress is not None:
            width = shutil.get_terminal_size().columns
            click.echo("\r" + terminal.progress_line(
                self._progress, self._clock() - self._started, width), nl=False)

    def _erase(self) -> None:
        if self._live and self._progress is not None:
            click.echo("\r\x1b[K", nl=False)


class Seconds(click.ParamType):
    """A finite number of seconds, at least `minimum` (click's FloatRange lets nan through,
    and with nan nothing ever times out)."""

    name = "seconds"

    def __init__(self, minimum: float = 0.1) -> None:
        self.minimum = minimum

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not math.isfinite(seconds) or seconds < self.minimum:
            self.fail(f"{value!r}: give a finite number of seconds, at least {self.minimum:g}",
                      param, ctx)
        return seconds


# Every option is defined once; commands share them by name.
def target_option(multiple: bool, default: str = DEFAULTS.targets[0]
                  ) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    if multiple:
        return click.option("--target", "-t", "targets", multiple=True, metavar="NAME",
                            help="Target to build and run for (repeatable); see `tflm-test "
                                 f"targets`. Default: {DEFAULTS.targets[0]}.")
    return click.option("--target", "-t", default=default, show_default=True,
                        metavar="NAME", help="Target to run on; see `tflm-test targets`.")


def html_option(required: bool) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option("--html", type=click.Path(dir_okay=False, path_type=Path),
                        required=required,
                        help="Write the HTML report here: one self-contained page, no network "
                             "needed (during a run: rewritten after each result).")


JSON_OPTION = click.option(
    "--json", "json_path", type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON report here (schema: docs/json-report.md; verify writes its per-case "
         "figures; profile its per-operator ones, docs/profile-report.md).")

# One per field of pipeline.RunOptions, with its default.
RUN_OPTIONS = (
    click.option("-j", "--jobs", type=click.IntRange(min=1), default=OPTIONS.jobs,
                 show_default=True, help="Binaries run in parallel (one emulator each)."),
    click.option("--timeout", "timeout_s", type=Seconds(), envvar="TFLM_TEST_TIMEOUT",
                 help="Seconds one binary may run [env TFLM_TEST_TIMEOUT; else the project "
                      f"file's; else {pipeline.DEFAULT_TIMEOUT_S:g}]."),
    click.option("--emulator", type=click.Choice(["host", "qemu", "renode"]),
                 help="Force an emulator instead of the target's preferred available one; a "
                      "forced emulator that is missing is an error."),
    click.option("--docker", "docker_image", is_flag=False, flag_value=DEFAULT_IMAGE,
                 metavar="[IMAGE]",
                 help=f"Run the emulator inside a Docker container (default image "
                      f"{DEFAULT_IMAGE}; build it with `tflm-test image build`)."),
    click.option("--renode", type=click.Path(path_type=Path), envvar="TFLM_TEST_RENODE",
                 help="The renode executable [env TFLM_TEST_RENODE; else renode on PATH]."),
    click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                 default=OPTIONS.out_dir, show_default=True,
                 help="Folder for every run's log and emulator files."),
    click.option("--project", type=click.Path(file_okay=False, path_type=Path),
                 envvar="TFLM_TEST_PROJECT",
                 help="The project's folder (its tflm-test.toml, or [tool.tflm-test] in "
                      "pyproject.toml) [env TFLM_TEST_PROJECT; else found upward from here]."),
)
# The options of a test run (the default job and `run`) beside RUN_OPTIONS.
TEST_RUN_OPTIONS = (
    target_option(multiple=True),
    click.option("--junit", type=click.Path(dir_okay=False, path_type=Path),
                 help="Write a JUnit XML report here."),
    JSON_OPTION,
    html_option(required=False),
    click.option("--format", "format_name",
                 type=click.Choice([AUTO, *(str(f) for f in Format)]),
                 help="The binaries' output format [default: the project file's, else auto: "
                      "detected per binary]."),
    click.option("--expect-from", type=click.Path(dir_okay=False, path_type=Path),
                 help="An earlier JSON report: every case it lists must run again (a missing "
                      "one is a FAIL) [default: the project file's expect_from]."),
)


class Parsed(click.ParamType):
    """A value read by a library parser; its TflmTestError becomes click's usage error."""

    def __init__(self, name: str, parse: Callable[[str], Any]) -> None:
        self.name = name
        self.parse = parse

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> Any:
        if not isinstance(value, str):
            return value
        try:
            return self.parse(value)
        except TflmTestError as exc:
            self.fail(str(exc), param, ctx)


REPORT_PATH = click.Path(dir_okay=False, path_type=Path)
MAX_INCREASE_OPTION = click.option(
    "--max-increase", type=Parsed("limits", baseline.parse_limits),
    default=baseline.limits_help(), show_default=True, metavar="FIGURE=N[%],...",
    help="How much each figure may grow against the baseline: N% of the old value, N in its "
         "unit (instructions, bytes, seconds), or off. Figures not named keep their default.")
# The CI options of a test run (harness/baseline.py, shard.py, flaky.py, cache.py).
CI_OPTIONS = (
    click.option("--baseline", type=REPORT_PATH,
                 help="An earlier JSON report: compare every binary's and case's figures with "
                      "it, exit 1 when one grew past --max-increase."),
    MAX_INCREASE_OPTION,
    click.option("--shard", type=Parsed("K/N", shard.ShardSpec.parse), metavar="K/N",
                 help="Run only part K of N of the binaries (the same split on every machine; "
                      "join the reports with `tflm-test merge`)."),
    click.option("--durations", type=REPORT_PATH,
                 help="An earlier JSON report: balance --shard by its measured durations "
                      "(else by count)."),
    click.option("--retries", type=click.IntRange(min=0), default=DEFAULTS.retries,
                 show_default=True,
                 help="Run a binary that did not pass up to N more times; one that then "
                      "passes is FLAKY (which fails the run unless quarantined)."),
    click.option("--quarantine", type=REPORT_PATH,
                 help="A quarantine file: failures it lists are reported but do not fail the "
                      "run [default: the project file's quarantine]."),
    click.option("--no-cache", "cache", flag_value=False, default=True,
                 help="Run every binary, even one whose earlier result is cached."),
    click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
                 help="The result cache (delete it at will) [env TFLM_TEST_CACHE_DIR; else "
                      "$XDG_CACHE_HOME/tflm-test; else ~/.cache/tflm-test]."),
)


def apply(options: tuple[Callable[[Any], Any], ...]) -> Callable[[Callable[..., Any]], Any]:
    def decorate(func: Callable[..., Any]) -> Any:
        for option in reversed(options):
            func = option(func)
        return func
    return decorate


def run_options_of(values: dict[str, Any]) -> pipeline.RunOptions:
    """The RunOptions among a command's parameters (removed from `values`)."""
    names = {f.name for f in fields(pipeline.RunOptions)}
    return pipeline.RunOptions(**{n: values.pop(n) for n in list(values) if n in names})


def _config(values: dict[str, Any]) -> pipeline.RunConfig:
    options = run_options_of(values)
    ci = {name: values[name] for name in ("baseline", "max_increase", "shard", "durations",
                                          "retries", "quarantine", "cache")}
    if values["cache_dir"] is not None:  # else the default, read from the environment now
        ci["cache_dir"] = values["cache_dir"]
    return pipeline.RunConfig(targets=values["targets"] or DEFAULTS.targets,
                              junit=values["junit"], json=values["json_path"],
                              html=values["html"],
                              format=values["format_name"], expect_from=values["expect_from"],
                              options=options, **ci)


def _finish(results: list[BinaryResult]) -> int:
    for line in terminal.summary_lines(results):
        click.echo(line)
    return exit_code_for(results)


def _echo_comparison(comparison: baseline.Comparison, source: object) -> int:
    for line in baseline.table_lines(comparison, str(source)):
        click.echo(line)
    return int(ExitCode.NOT_ALL_PASSED) if comparison.exceeded else 0


def _test_run(values: dict[str, Any],
              call: Callable[[pipeline.RunConfig, pipeline.Events], list[BinaryResult]]) -> int:
    """A test run, then its baseline gate's table (the library compared, and put the
    comparison in the reports)."""
    config = _config(values)
    compared: list[baseline.Comparison] = []
    console = Console()
    try:
        results = call(config, replace(console.events(), compared=compared.append))
    finally:
        console.close()
    code = _finish(results)
    for comparison in compared:
        code = max(code, _echo_comparison(comparison, config.baseline))
    return code


class OneLineErrors(click.Group):
    """Usage errors (a bad option value, an unknown option) as one `tflm-test: error:` line
    and exit 2, like every other error, instead of click's usage block."""

    def main(self, *args: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        try:
            code = super().main(*args, standalone_mode=False, **kwargs)
        except click.ClickException as exc:
            where = exc.ctx.command_path if isinstance(exc, click.UsageError) and exc.ctx else ""
            hint = f" (see `{where} --help`)" if where else ""
            click.echo(f"tflm-test: error: {exc.format_message()}{hint}", err=True)
            code = exc.exit_code
        except click.exceptions.Abort:  # Ctrl-C at a prompt click owns
            click.echo("tflm-test: interrupted", err=True)
            code = int(ExitCode.INTERRUPTED)
        if standalone_mode:
            sys.exit(code or 0)
        return code


@click.group(cls=OneLineErrors, invoke_without_command=True,
             context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tflm-test")
@click.option("-v", "--verbose", is_flag=True, help="Log every command we run (to stderr).")
@apply(TEST_RUN_OPTIONS + CI_OPTIONS + RUN_OPTIONS)
@click.pass_context
def cli(ctx: click.Context, verbose: bool, **values: Any) -> None:
    """Build a TFLM-style project's test binaries for each target (as its tflm-test.toml
    says), run them on the target's emulator, and judge each binary and each test case.

    With no command: build and run every test for each --target (the CI job), e.g.

        tflm-test --target bluepill

    Exit codes: 0 all passed, 1 some binary did not pass, 2 usage or environment error,
    130 interrupted.
    """
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if ctx.invoked_subcommand is None:
        sys.exit(guarded(lambda: _test_run(values, pipeline.test)))


@cli.command()
@click.argument("binaries", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@apply(TEST_RUN_OPTIONS + CI_OPTIONS + RUN_OPTIONS)
def run(binaries: tuple[Path, ...], **values: Any) -> None:
    """Run prebuilt test binaries (no build, no project file needed) on each --target and
    judge them.

        tflm-test run build/foo_test.elf --target qemu_cortexm3
    """
    sys.exit(guarded(lambda: _test_run(
        values, lambda config, events: pipeline.run(config, binaries, events))))



@cli.command()
@click.argument("reports", nargs=-1, required=True,
                type=click.Path(exists=True, dir_okay=False, path_type=Path))
@html_option(required=True)
def report(reports: tuple[Path, ...], html: Path) -> None:
    """Render JSON reports (of one run, or of its shards) as one HTML page, e.g.

        tflm-test report results.json --html results.html
    """
    def body() -> int:
        write_html_from(reports, html)
        return 0

    sys.exit(guarded(body))


@cli.command()
@apply(RUN_OPTIONS)
def targets(**values: Any) -> None:
    """List every target, where it is defined, its emulators, and whether each is available
    here. Board files that fail validation are listed with their problem (then exit 2)."""

    def body() -> int:
        options = run_options_of(values)
        boards = load_boards(options.load_project().platforms)
        for status in pipeline.target_statuses(boards, options.runner_config()):
            t = status.target
            tool = "none" if t.toolchain is None else (
                f"{t.toolchain.program}: {'missing' if status.toolchain_missing else 'ok'}")
            click.echo(f"{t.name:<14} {t.description}  [toolchain {tool}]")
            click.echo(f"  {'from':<9} {origin(t)}")
            for i, (name, problem) in enumerate(status.emulators):
                rank = "preferred" if i == 0 else "fallback"
                state = "available" if problem is None else f"unavailable: {problem}"
                click.echo(f"  {rank:<9} {name:<22} {state}")
        for broken in boards.problems:
            click.echo(f"broken board file: {broken}")
        return int(ExitCode.USAGE_OR_ENV) if boards.problems else 0

    sys.exit(guarded(body))


@cli.command()
@click.argument("model", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--golden", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Golden vectors (JSON); without it: seeded random inputs, expected outputs "
                   "from tflite_micro when it is installed.")
@target_option(multiple=False)
@JSON_OPTION
@click.option("--seed", type=int, default=verification.VerifyConfig.seed, show_default=True,
              help="Seed of the random inputs made without --golden.")
@apply(RUN_OPTIONS)
def verify(model: Path, golden: Path | None, target: str, json_path: Path | None, seed: int,
           **values: Any) -> None:
    """Run MODEL on a target and check every output bit for bit, e.g.

        tflm-test verify model.tflite --golden model.json --target bluepill

    The program is built with the project's runtime ([verify] in tflm-test.toml).
    Exit codes: 0 every case matched; 1 a case differed, the model cannot run on the target
    (or tflite_micro cannot run it), or the golden file does not match the model's inputs
    and outputs; 2 usage or environment error, or a malformed golden file.
    """
    def body() -> int:
        config = verification.VerifyConfig(model=model, golden=golden, target=target,
                                           json=json_path, seed=seed,
                                           options=run_options_of(values))
        report = verification.verify(config, pipeline.Events(notice=_notice))
        for line in text_lines(report):
            click.echo(line)
        return report.exit_code

    sys.exit(guarded(body))


@cli.command()
@click.argument("model", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@target_option(multiple=False, default=profiling.ProfileConfig.target)
@click.option("--kernels", type=click.Choice(list(profiling.KERNEL_CHOICES)),
              default=profiling.DEFAULT_KERNELS, show_default=True,
              help="The kernel set to build with; both: reference and optimized side by side, "
                   "with the ratio per operator.")
@JSON_OPTION
@apply(RUN_OPTIONS)
def profile(model: Path, target: str, kernels: str, json_path: Path | None,
            **values: Any) -> None:
    """Run MODEL once on an emulated target and count each operator's guest instructions, e.g.

        tflm-test profile model.tflite --target qemu_cortexm3 --kernels both

    Prints per operator its shapes, MACs, instructions, instructions per MAC and share of
    the invoke, then arena, flash and RAM against the board's limits. The program is built
    with the project's runtime and its profiling hooks ([profile] in tflm-test.toml).
    Exit codes: 0 profiled; 1 the model cannot run on the target (or its run failed);
    2 usage or environment error (e.g. a target with no instruction counter, like host).
    """
    def body() -> int:
        config = profiling.ProfileConfig(model=model, target=target,
                                         kernels=profiling.KERNEL_CHOICES[kernels],
                                         json=json_path, options=run_options_of(values))
        for line in profile_report.text_lines(profiling.profile(config,
                                                                pipeline.Events(notice=_notice))):
            click.echo(line)
        return 0

    sys.exit(guarded(body))


@cli.command()
@click.argument("binary", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@target_option(multiple=False)
@click.option("--case", help="Stop at the first failing check of this case (its file:line "
                             "from the last result of BINARY: --from, else the out folder).")
@click.option("--break", "location", metavar="LOCATION",
              help="Stop here instead (gdb syntax: file.c:42, a function name).")
@click.option("--from", "report", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A JSON report (--json of an earlier run) to take the failing check from "
                   "[default: the newest run of BINARY under --out].")
@click.option("--port", type=click.IntRange(1, 65535),
              help="The gdb server's port on 127.0.0.1 [default: a free one].")
@click.option("--print-command", "mode", flag_value=str(debugging.DebugMode.PRINT),
              help="Print the emulator and gdb command lines and a VS Code launch.json "
                   "snippet; start nothing.")
@click.option("--no-attach", "mode", flag_value=str(debugging.DebugMode.SERVE),
              help="Start the emulator with its gdb server and wait (Ctrl-C stops it).")
@click.option("--ex", "gdb_commands", multiple=True, metavar="CMD",
              help="A gdb command to run once stopped at the breakpoint (repeatable).")
@click.option("--batch", is_flag=True, help="gdb quits after the --ex commands (gdb -batch).")
@apply(RUN_OPTIONS)
def debug(binary: Path, target: str, case: str | None, location: str | None,
          report: Path | None, port: int | None, mode: str | None,
          gdb_commands: tuple[str, ...], batch: bool, **values: Any) -> None:
    """Debug BINARY on its target's emulator: start it halted with a gdb server on
    127.0.0.1, attach gdb-multiarch with the ELF's symbols and continue to the first
    failing check of --case (or --break LOCATION; default: the first failing check of the
    last run, else main). Quitting gdb stops the emulator. On host, gdb runs the program.

        tflm-test debug build/bluepill/fail_test.elf --target bluepill --case FailsOnPurpose

    Exit code: gdb's (--no-attach: 0 when the program ended, 130 on Ctrl-C).
    """
    def body() -> int:
        config = debugging.DebugConfig(
            binary=binary, target=target, case=case, location=location, report=report,
            port=port, mode=debugging.DebugMode(mode or debugging.DebugMode.ATTACH),
            gdb_commands=gdb_commands, batch=batch, options=run_options_of(values))
        with debugging.open_debug(config, pipeline.Events(notice=_notice)) as session:
            plan = session.plan
            if config.mode is debugging.DebugMode.PRINT:
                for line in debugging.describe_lines(plan):
                    click.echo(line)
                return 0
            click.echo(f"note: {binary.name} on {plan.runner}: breakpoint {plan.breakpoint}"
                       + (f", gdb server {plan.address}, log {plan.log_path}"
                          if plan.address else ""), err=True)
            if config.mode is debugging.DebugMode.SERVE:
                start = "".join(f"; then in gdb: {c}" for c in plan.gdb_start)
                return session.serve(click.echo, lambda: click.echo(
                    f"note: waiting for gdb on {plan.address}{start} (Ctrl-C stops)", err=True))
            return session.attach(click.echo)

    sys.exit(guarded(body))


@cli.command()
@click.argument("old", type=REPORT_PATH)
@click.argument("new", type=REPORT_PATH)
@MAX_INCREASE_OPTION
def compare(old: Path, new: Path, max_increase: Any) -> None:
    """Compare two JSON reports' figures (instructions, flash, RAM, duration) per binary and
    case, as --baseline does, without running anything. Exit 1 when a figure grew past
    --max-increase, 2 when a file is not a report.

        tflm-test compare main.json branch.json --max-increase instructions=0
    """
    def body() -> int:
        before, after = read_report(old), read_report(new)
        if after.status != "complete":
            click.echo(f"note: {new} is a {after.status} run's report", err=True)
        comparison = baseline.compare(baseline.records_of(before), baseline.records_of(after),
                                      max_increase)
        return _echo_comparison(comparison, old)

    sys.exit(guarded(body))


@cli.command()
@click.argument("reports", nargs=-1, required=True, type=REPORT_PATH)
@click.option("--junit", type=REPORT_PATH, help="Write the joined JUnit XML report here.")
@JSON_OPTION
@html_option(required=False)
def merge(reports: tuple[Path, ...], junit: Path | None, json_path: Path | None,
          html: Path | None) -> None:
    """Join the JSON reports of a run's shards (--shard K/N) into one: every planned binary
    must be in exactly one of them (else exit 2). Exit 1 when not all passed.

        tflm-test merge shard-*.json --junit all.xml --json all.json --html all.html
    """
    def body() -> int:
        merged = shard.merge([read_report(p) for p in reports])
        if json_path is not None:
            write_report("--json", json_path, json.dumps(merged.document, indent=2) + "\n")
        if junit is not None:
            write_report("--junit", junit, junit_text(merged.results, merged.status))
        if html is not None:
            write_report("--html", html, html_from_documents([dict(merged.document)]))
        code = _finish(merged.results)
        if merged.comparison is not None:  # the shards' gates, as one table
            code = max(code, _echo_comparison(merged.comparison, merged.baseline_source))
        return code if merged.status is RunStatus.COMPLETE else max(code, 1)

    sys.exit(guarded(body))


@cli.group()
def quarantine() -> None:
    """The quarantine file: failures it lists are reported but do not fail the run."""


@quarantine.command("suggest")
@click.argument("reports", nargs=-1, required=True, type=REPORT_PATH)
def quarantine_suggest(reports: tuple[Path, ...]) -> None:
    """Propose quarantine entries (TOML, to stdout) from earlier JSON reports: every binary
    that both passed and failed on the same bytes (sha256), e.g.

        tflm-test quarantine suggest results/*.json >> ci/quarantine.toml
    """
    def body() -> int:
        found = flaky.suggest(read_report(p) for p in reports)
        click.echo(flaky.suggestion_text(found), nl=bool(found))
        click.echo(f"{len(found)} flaky binar{'y' if len(found) == 1 else 'ies'} in "
                   f"{len(reports)} report(s)", err=True)
        return 0

    sys.exit(guarded(body))


@cli.group()
def image() -> None:
    """The Docker image the --docker runs use (qemu-system-arm, optionally Renode)."""


@image.command("build")
@click.option("--tag", default=DEFAULT_IMAGE, show_default=True, help="Image to create.")
@click.option("--base", default=None, metavar="IMAGE",
              help="FROM image, e.g. debian:bookworm or antmicro/renode (has Renode already). "
                   "Default: debian:bookworm, or the --local-base image.")
@click.option("--local-base", is_flag=True,
              help="First make a Debian base image locally with debootstrap (no registry "
                   "needed; root and the debootstrap package required) and build on it.")
@click.option("--renode-tarball", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A Renode package (.tar.gz or .deb) to install in the image.")
def image_build(tag: str, base: str | None, local_base: bool,
                renode_tarball: Path | None) -> None:
    """Build the emulator image from ci/docker/Dockerfile."""
    from .runners import docker_image  # the docker SDK is only needed here

    def body() -> int:
        from_image = base or (docker_image.build_base_image() if local_base
                              else docker_image.DEFAULT_BASE)
        built = docker_image.build_image(tag, from_image, renode_tarball,
                                         progress=lambda line: click.echo(line, err=True))
        click.echo(built)
        return 0

    sys.exit(guarded(body))


class _OrderlyStop:
    """SIGINT and SIGTERM handler: the first one stops the run in order (children stopped,
    results kept and reported); any later one is ignored, so a second Ctrl-C a moment after
    the first cannot cut the report short. The stop itself is bounded (a few seconds)."""

    def __init__(self) -> None:
        self.stopping = False

    def __call__(self, signum: int, frame: object) -> None:
        if self.stopping:
            return
        self.stopping = True
        raise KeyboardInterrupt


def main() -> None:
    # Emulators run in their own sessions (so a timeout can kill a whole group); a CI system
    # cancelling the job sends SIGTERM to us alone, so it gets Ctrl-C's clean shutdown.
    stop = _OrderlyStop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, stop)
    cli(prog_name="tflm-test")
