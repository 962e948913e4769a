"""Result records: what verdict.py produces and the reporters consume. Frozen, no I/O."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from .elf import Footprint
from .testlog import CaseStatus, Failure, Format


class Verdict(StrEnum):
    PASS = "PASS"
    FAIL = "FAIL"
    CRASH = "CRASH"
    TIMEOUT = "TIMEOUT"
    ERROR = "ERROR"  # no verdict on the program: could not launch, emulator died, bad input
    FLAKY = "FLAKY"  # --retries: failed, then passed on the same bytes (harness/flaky.py)
    TOO_BIG = "TOO_BIG"  # its ELF needs more flash or RAM than the board has: never run


@dataclass(frozen=True)
class CaseResult:
    name: str
    status: CaseStatus
    failures: tuple[Failure, ...] = ()
    reason: str = ""  # one line; empty for a pass
    duration_s: float | None = None  # None when line arrival times were not known
    # Guest instructions over the same span as duration_s (QEMU's icount plugin); None: not
    # counted.
    instructions: int | None = None


@dataclass(frozen=True)
class Attempt:
    """One run of a binary that was run more than once (--retries)."""

    verdict: Verdict
    reason: str = ""
    failed_cases: tuple[str, ...] = ()


@dataclass(frozen=True)
class BinaryResult:
    binary: Path
    target: str
    runner: str  # e.g. "qemu netduino2", "renode", "docker:qemu mps2-an385"
    verdict: Verdict
    reason: str  # one line; empty for a pass
    duration_s: float
    exit_code: int | None
    log: Path | None
    cases: tuple[CaseResult, ...] = ()
    extras: Mapping[str, Any] = field(default_factory=dict)  # instructions, versions, sizes
    tail: tuple[str, ...] = ()  # last lines of the log, shown for a failure
    key: str = ""  # unique among the target's runs, e.g. "a/x" (session.job_keys)
    format: Format | None = None  # the test-output format detected (or forced); None: none
    sha256: str = ""  # of the binary's bytes; "" when not known (a binary that was not built)
    cached: bool = False  # taken from the result cache, not run now (harness/cache.py)
    attempts: tuple[Attempt, ...] = ()  # every run when there was more than one (--retries)
    quarantined: bool = False  # a failure the quarantine file excuses (harness/flaky.py)
    footprint: Footprint | None = None  # sizes from the ELF, read before it ran

    @property
    def name(self) -> str:
        return self.key or self.binary.stem


def exit_code_for(results: list[BinaryResult]) -> int:
    """0 when every binary passed or its failure is quarantined (and there was at least
    one), else 1."""
    return 0 if results and all(r.verdict is Verdict.PASS or r.quarantined
                                for r in results) else 1
