"""JSON report (documented in docs/json-report.md): the run's status, a summary, one record
per binary with its cases."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from .. import __version__
from ..results import BinaryResult, Verdict
from . import RunStatus

SCHEMA = "tflm-test/results"
SCHEMA_VERSION = 2


def result_record(result: BinaryResult) -> dict[str, Any]:
    """One binary's entry in "results"."""
    return {
        "binary": str(result.binary),
        "key": result.name,
        "target": result.target,
        "runner": result.runner,
        "format": str(result.format) if result.format else None,
        "verdict": str(result.verdict),
        "reason": result.reason,
        "duration_s": round(result.duration_s, 4),
        "exit_code": result.exit_code,
        "log": str(result.log) if result.log else None,
        "extras": dict(result.extras),
        "tail": list(result.tail),
        "sha256": result.sha256 or None,
        "cached": result.cached,
        "attempts": [{"verdict": str(a.verdict), "reason": a.reason,
                      "failed_cases": list(a.failed_cases)} for a in result.attempts],
        "quarantined": result.quarantined,
        "footprint": result.footprint.record() if result.footprint else None,
        "cases": [{"name": c.name, "status": str(c.status), "reason": c.reason,
                   "duration_s": None if c.duration_s is None else round(c.duration_s, 4),
                   "instructions": c.instructions,
                   "failures": [{"expr": f.expr, "file": f.file, "line": f.line,
                                 "detail": f.detail} for f in c.failures]}
                  for c in result.cases],
    }


def report_document(results: list[BinaryResult], status: RunStatus = RunStatus.COMPLETE,
                    info: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The whole report as JSON-ready data; `info`: more top-level keys (the shard)."""
    summary: dict[str, int] = {"total": len(results)}
    summary.update({str(v): sum(1 for r in results if r.verdict is v) for v in Verdict})
    return {"schema": SCHEMA, "version": SCHEMA_VERSION, "tool_version": __version__,
            "status": str(status), "summary": summary, **(info or {}),
            "results": [result_record(r) for r in results]}


def json_text(results: list[BinaryResult], status: RunStatus = RunStatus.COMPLETE,
              info: Mapping[str, Any] | None = None) -> str:
    return json.dumps(report_document(results, status, info), indent=2, default=str) + "\n"
