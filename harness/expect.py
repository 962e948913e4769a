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

from .history import Key, read_report


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
        BadReport: unreadable, not JSON, or not a tflm-test report.
    """
    report = read_report(path, "--expect-from")
    return Expected(path, MappingProxyType({r.key: tuple(c.name for c in r.result.cases)
                                            for r in report.recorded}),
                    MappingProxyType({r.key: r.result.binary for r in report.recorded}))
