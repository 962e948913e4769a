"""Reading tflm-test JSON reports back (docs/json-report.md): the one reader behind
--expect-from, --baseline, --durations, `compare`, `merge`, `quarantine suggest` and the
result cache.

Each record comes back twice: as a BinaryResult (what the reporters and the verdict rules
take) and as the JSON record itself, so keys this version does not model (figures another
tflm-test version added) survive a merge and can still be read by name.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .elf import Footprint
from .errors import TflmTestError
from .reports.json_report import SCHEMA, SCHEMA_VERSION
from .results import Attempt, BinaryResult, CaseResult, Verdict
from .testlog import CaseStatus, Failure, Format

Key = tuple[str, str]  # (target, run key)


class BadReport(TflmTestError):
    """A file that is not a tflm-test JSON report this version can read."""


@dataclass(frozen=True)
class Recorded:
    result: BinaryResult
    record: Mapping[str, Any]  # the JSON record as written

    @property
    def key(self) -> Key:
        return (self.result.target, self.result.name)


@dataclass(frozen=True)
class Report:
    source: Path
    status: str  # "complete", "running", "interrupted"
    recorded: tuple[Recorded, ...]
    document: Mapping[str, Any]  # the whole file: the shard spec and any other top-level key

    @property
    def results(self) -> list[BinaryResult]:
        return [r.result for r in self.recorded]

    def by_key(self) -> dict[Key, Recorded]:
        return {r.key: r for r in self.recorded}


def _enum(kind: type, value: Any, what: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        known = ", ".join(str(v) for v in kind)
        raise KeyError(f"{what} {value!r} (known: {known})") from None


def _case(record: Mapping[str, Any]) -> CaseResult:
    failures = tuple(Failure(str(f["expr"]), str(f["file"]), int(f["line"]),
                             str(f.get("detail", ""))) for f in record.get("failures", ()))
    duration = record.get("duration_s")
    instructions = record.get("instructions")
    return CaseResult(str(record["name"]), _enum(CaseStatus, record["status"], "case status"),
                      failures, str(record.get("reason", "")),
                      None if duration is None else float(duration),
                      None if instructions is None else int(instructions))


def _footprint(record: Mapping[str, Any] | None) -> Footprint | None:
    if record is None:
        return None
    limits = (record.get("flash_limit"), record.get("ram_limit"))
    return Footprint(int(record["text"]), int(record["data"]), int(record["bss"]),
                     *(None if limit is None else int(limit) for limit in limits))


def result_of(record: Mapping[str, Any]) -> BinaryResult:
    """One "results" entry as a BinaryResult.

    Raises:
        KeyError, TypeError, ValueError: a required key is missing or of the wrong kind.
    """
    binary = Path(record["binary"])
    fmt = record.get("format")
    log = record.get("log")
    return BinaryResult(
        binary=binary, target=str(record["target"]), runner=str(record.get("runner", "-")),
        verdict=_enum(Verdict, record["verdict"], "verdict"),
        reason=str(record.get("reason", "")), duration_s=float(record.get("duration_s", 0.0)),
        exit_code=record.get("exit_code"), log=Path(log) if log else None,
        cases=tuple(_case(c) for c in record.get("cases", ())),
        extras=MappingProxyType(dict(record.get("extras") or {})),
        key=str(record.get("key") or binary.stem),
        format=_enum(Format, fmt, "format") if fmt else None,
        sha256=str(record.get("sha256") or ""), cached=bool(record.get("cached", False)),
        attempts=tuple(Attempt(_enum(Verdict, a["verdict"], "verdict"), str(a.get("reason", "")),
                               tuple(str(c) for c in a.get("failed_cases", ())))
                       for a in record.get("attempts") or ()),
        quarantined=bool(record.get("quarantined", False)),
        tail=tuple(str(line) for line in record.get("tail") or ()),
        footprint=_footprint(record.get("footprint")))


def parse_report(doc: Any, source: Path, what: str = "") -> Report:
    """A decoded report. `what` names where it came from in messages (e.g. "--baseline").

    Raises:
        BadReport: not a tflm-test report, a schema newer than ours, or a malformed result.
    """
    where = f"{what} {source}" if what else str(source)
    if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
        raise BadReport(f"{where}: not a tflm-test JSON report (no \"schema\": \"{SCHEMA}\")")
    version = doc.get("version", 1)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise BadReport(f"{where}: schema version {version!r}; this tflm-test reads versions "
                        f"1 to {SCHEMA_VERSION} (a newer tflm-test wrote it)")
    recorded = []
    for i, record in enumerate(doc.get("results") or ()):
        try:
            recorded.append(Recorded(result_of(record), record))
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise BadReport(f"{where}: results[{i}]: missing or malformed {exc}") from None
    return Report(source, str(doc.get("status", "complete")), tuple(recorded),
                  MappingProxyType(doc))


def read_report(path: Path, what: str = "") -> Report:
    """The report at `path`.

    Raises:
        BadReport: unreadable, not JSON, or not a report this version reads.
    """
    where = f"{what} {path}" if what else str(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise BadReport(f"{where}: cannot read it ({getattr(exc, 'strerror', None) or exc})") \
            from None
    except ValueError as exc:
        raise BadReport(f"{where}: not valid JSON ({exc})") from None
    return parse_report(doc, path, what)
