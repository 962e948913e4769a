"""The result cache: a binary whose bytes, emulator (and its version), board file and run
options are unchanged is not run again; its earlier result is reported, marked cached.

What is kept: a PASS, and a FAIL or CRASH that every one of at least two attempts gave
(--retries), since a failure seen once may be a flake and is run again next time, as Bazel
does. Never kept: TIMEOUT (it depends on the machine's load), ERROR (the environment, or an
interrupted run) and FLAKY (not a property of the bytes).

One entry per key, `<dir>/results/<k[:2]>/<k>.json`: the JSON record of the result and its
log, which a hit copies into the run's own folder. Any entry that cannot be read is ignored
(and said once): the cache can always be deleted.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .history import BadReport, result_of
from .reports import write_atomic
from .reports.json_report import result_record
from .reports.terminal import TAIL_LINES
from .results import BinaryResult, Verdict

if TYPE_CHECKING:
    from .runners.base import Runner
    from .session import Job

log = logging.getLogger(__name__)

ENTRY_VERSION = 1  # bump when an entry's layout changes: older entries then never match
MAX_LOG_BYTES = 8 << 20  # a longer log is not worth keeping: such a result is not cached
_CONFIRMED = {Verdict.FAIL, Verdict.CRASH}


def default_dir() -> Path:
    """TFLM_TEST_CACHE_DIR, else $XDG_CACHE_HOME/tflm-test, else ~/.cache/tflm-test."""
    if explicit := os.environ.get("TFLM_TEST_CACHE_DIR"):
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tflm-test"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def cacheable(result: BinaryResult) -> bool:
    if result.verdict is Verdict.PASS:
        return True
    return (result.verdict in _CONFIRMED and len(result.attempts) >= 2
            and all(a.verdict is result.verdict for a in result.attempts))


def key_fields(job: Job, runner: Runner, sha256: str) -> Mapping[str, Any]:
    """Everything that can change a binary's outcome besides the emulator's own randomness."""
    return {"entry": ENTRY_VERSION, "tool": __version__, "binary_sha256": sha256,
            "runner": runner.describe(), "emulator_version": runner.version(),
            # what the runner cannot do here (e.g. count instructions) changes what it reports
            "runner_notes": list(runner.notes()),
            "board_sha256": file_sha256(job.plan.target.source),
            "timeout_s": job.plan.timeout_s, "format": str(job.plan.format or "auto"),
            "expected_cases": job.expected,
            # marks add their counts to the result (profile); none: the key stays as it was
            **({"marks": list(job.marks)} if job.marks else {})}


@dataclass(frozen=True)
class ResultCache:
    folder: Path  # the cache's root; results live in folder/results
    notice: Callable[[str], None] = lambda line: None

    def _path(self, key: str) -> Path:
        return self.folder / "results" / key[:2] / f"{key}.json"

    def key(self, job: Job, runner: Runner, sha256: str) -> str | None:
        """None when a part of the key cannot be read (then the job is not cached)."""
        try:
            fields = key_fields(job, runner, sha256)
        except OSError as exc:
            log.warning("not caching %s: %s", job.name, exc)
            return None
        return hashlib.sha256(json.dumps(fields, sort_keys=True).encode()).hexdigest()

    def load(self, key: str, job: Job, log_path: Path) -> BinaryResult | None:
        """The cached result for this job, its log copied to log_path; None on a miss or an
        entry that cannot be read (that one is reported and ignored)."""
        path = self._path(key)
        try:
            entry = json.loads(path.read_text(encoding="utf-8"))
            if entry.get("entry") != ENTRY_VERSION:
                raise ValueError(f"entry version {entry.get('entry')!r}")
            result = result_of(entry["record"])
            text = entry.get("log")
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, AttributeError, BadReport) as exc:
            self.notice(f"cache entry {path} ignored: cannot read it ({exc}); running "
                        f"{job.name} again")
            return None
        if text is None:
            return replace(result, binary=job.binary, key=job.name, cached=True, log=None)
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log_path.write_text(text, encoding="utf-8")
        return replace(result, binary=job.binary, key=job.name, cached=True, log=log_path,
                       tail=tuple(text.splitlines()[-TAIL_LINES:]))

    def store(self, key: str, result: BinaryResult) -> None:
        """Keep the result if it may be kept (see cacheable); a cache that cannot be written
        costs the next run its time, never this run its result."""
        if not cacheable(result):
            return
        try:
            text = None
            if result.log is not None:
                if result.log.stat().st_size > MAX_LOG_BYTES:
                    return
                text = result.log.read_text(encoding="utf-8", errors="replace")
            entry = {"entry": ENTRY_VERSION, "record": result_record(result), "log": text}
            write_atomic(self._path(key), json.dumps(entry) + "\n")
        except OSError as exc:
            self.notice(f"result cache {self.folder}: cannot write ({exc.strerror or exc}); "
                        "results are not cached")
