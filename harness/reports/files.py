"""The run's report files (--json, --junit, --html), kept true while the run goes on.

At the start an earlier report at the same path is replaced by one that says "running" (so a
run killed with SIGKILL never leaves an old PASS behind); after each result, and at the end,
the file is replaced again. Every write is atomic (reports.write_atomic).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from ..errors import TflmTestError
from ..results import BinaryResult
from . import RunStatus, write_atomic
from .html_report import html_from_files, html_text
from .json_report import json_text
from .junit import junit_text

log = logging.getLogger(__name__)

Render = Callable[[list[BinaryResult], RunStatus], str]


class ReportUnwritable(TflmTestError):
    """A report path cannot be written (no such folder, read-only, full disk, permission)."""


class ReportFiles:
    """Writes each named report file from the results so far."""

    def __init__(self, json: Path | None = None, junit: Path | None = None,
                 html: Path | None = None) -> None:
        self._info: dict[str, object] = {}  # top-level JSON keys beside the results
        self._files: list[tuple[str, Path, Render]] = [
            (option, path, render) for option, path, render in
            (("--json", json, lambda results, status: json_text(results, status, self._info)),
             ("--junit", junit, junit_text),
             ("--html", html, lambda results, status: html_text(results, status, self._info)))
            if path is not None]
        self._results: list[BinaryResult] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        """Replace any earlier report with an empty "running" one; checks every path.

        Raises:
            ReportUnwritable: a report cannot be written (the message names option and path).
        """
        self._write([], RunStatus.RUNNING)

    def describe(self, **info: object) -> None:
        """Top-level keys of the JSON report (and the HTML page's document) from now on, e.g.
        the shard's split, the baseline comparison."""
        with self._lock:
            self._info.update(info)

    def add(self, result: BinaryResult) -> None:
        """Rewrite the reports with one more result. A failure now (a disk filling up) does not
        stop the run: finish() writes everything again and says so if it still fails."""
        with self._lock:
            self._results.append(result)
            try:
                self._write(self._results, RunStatus.RUNNING)
            except ReportUnwritable as exc:
                log.warning("%s", exc)

    def finish(self, results: Sequence[BinaryResult], status: RunStatus) -> None:
        """The final reports, results in job order.

        Raises:
            ReportUnwritable: the final write failed.
        """
        with self._lock:
            self._write(list(results), status)

    def _write(self, results: list[BinaryResult], status: RunStatus) -> None:
        for option, path, render in self._files:
            write_report(option, path, render(results, status))


def write_report(option: str, path: Path, text: str) -> None:
    """Write one report file atomically.

    Raises:
        ReportUnwritable: it cannot be written (the message names option and path).
    """
    try:
        write_atomic(path, text)
    except OSError as exc:
        raise ReportUnwritable(f"{option} {path}: cannot write the report "
                               f"({exc.strerror or exc})") from exc


def write_html_from(reports: Sequence[Path], html: Path) -> None:
    """Render existing JSON reports (one run, or its shards) as one HTML page.

    Raises:
        TflmTestError: a report cannot be read or is not one; the page cannot be written.
    """
    write_report("--html", html, html_from_files(reports))
