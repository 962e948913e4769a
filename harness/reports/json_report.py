"""JSON report, schema version 2 (documented in docs/json-report.md).

{"schema": "tflm-test/results", "version": 2, "tool_version": "...",
 "summary": {"total": N, "PASS": n, "FAIL": n, "CRASH": n, "TIMEOUT": n, "ERROR": n},
 "results": [{"binary", "target", "runner", "format", "verdict", "reason", "duration_s",
              "exit_code", "log", "extras": {...},
              "cases": [{"name", "status", "reason", "duration_s",
                         "failures": [{"expr", "file", "line", "detail"}]}]}]}
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .. import __version__
from ..results import BinaryResult, Verdict

SCHEMA = "tflm-test/results"
SCHEMA_VERSION = 2


def result_record(result: BinaryResult) -> dict[str, Any]:
    """One binary's entry in "results"."""
    return {
        "binary": str(result.binary),
        "target": result.target,
        "runner": result.runner,
        "format": str(result.format) if result.format else None,
        "verdict": str(result.verdict),
        "reason": result.reason,
        "duration_s": round(result.duration_s, 4),
        "exit_code": result.exit_code,
        "log": str(result.log) if result.log else None,
        "extras": dict(result.extras),
        "cases": [{"name": c.name, "status": str(c.status), "reason": c.reason,
                   "duration_s": None if c.duration_s is None else round(c.duration_s, 4),
                   "failures": [{"expr": f.expr, "file": f.file, "line": f.line,
                                 "detail": f.detail} for f in c.failures]}
                  for c in result.cases],
    }


def report_document(results: list[BinaryResult]) -> dict[str, Any]:
    """The whole report as JSON-ready data."""
    summary: dict[str, int] = {"total": len(results)}
    summary.update({str(v): sum(1 for r in results if r.verdict is v) for v in Verdict})
    return {"schema": SCHEMA, "version": SCHEMA_VERSION, "tool_version": __version__,
            "summary": summary, "results": [result_record(r) for r in results]}


def write_json(results: list[BinaryResult], path: Path) -> None:
    """Write the report to path (its folder is created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report_document(results), indent=2, default=str) + "\n")
