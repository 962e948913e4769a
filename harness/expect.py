"""Expected cases (--expect-from, or `expect_from` in the project file): the cases each
binary ran in an earlier tflm-test JSON report must all run again. A case that no longer
runs is a FAIL ("case X did not run"), and so is, after a build, a binary that is gone:
a test that silently stops running is the false pass this guards against.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from .errors import TflmTestError
from .reports.json_report import load_report

Key = tuple[str, str]  # (target, run key)


@dataclass(frozen=True)
class Expected:
    source: Path
    cases: Mapping[Key, tuple[str, ...]] = field(default_factory=dict)
    binaries: Mapping[Key, Path] = field(default_factory=dict)

    def cases_of(self, target: str, key: str, stem: str) -> tuple[str, ...] | None:
        """The cases a binary must run: by its key, else by its file name when that names
        one binary of the target in the report; None when the report does not know it."""
        if (target, key) in self.cases:
            return self.cases[(target, key)]
        same = [k for (t, k), path in self.binaries.items() if t == target and path.stem == stem]
        return self.cases[(target, same[0])] if len(same) == 1 else None

    def missing(self, target: str, keys: set[str]) -> list[tuple[str, Path]]:
        """(key, binary) of the target's binaries in the report that are not among `keys`."""
        return sorted((k, path) for (t, k), path in self.binaries.items()
                      if t == target and k not in keys)


def load_expected(path: Path) -> Expected:
    """The binaries and cases of a tflm-test JSON report (schema version 1 or 2).

    Raises:
        TflmTestError: unreadable, not JSON, or not a tflm-test report.
    """
    doc = load_report(path, "--expect-from")
    cases: dict[Key, tuple[str, ...]] = {}
    binaries: dict[Key, Path] = {}
    try:
        for record in doc["results"]:
            binary = Path(record["binary"])
            key: Key = (str(record["target"]), str(record.get("key") or binary.stem))
            cases[key] = tuple(str(c["name"]) for c in record["cases"])
            binaries[key] = binary
    except (KeyError, TypeError) as exc:
        raise TflmTestError(f"--expect-from {path}: a result lacks {exc}") from exc
    return Expected(path, MappingProxyType(cases), MappingProxyType(binaries))
