"""JSON report (documented in docs/json-report.md)."""

from __future__ import annotations

import json
from typing import Any

from .. import __version__
from ..results import BinaryResult, Verdict
from . import RunStatus

SCHEMA = "tflm-test/results"
SCHEMA_VERSION = 2


def result_record(result: BinaryResult) -> dict[str, Any]:
    return {
        "binary": str(result.binary),
        "key": result.name,
        "target": result.target,
        "runner": result.runner,
        "verdict": str(result.verdict),
        "reason": result.reason,
        "duration_s": round(result.duration_s, 4),
        "exit_code": result.exit_code,
        "log": str(result.log) if result.log else None,
        "extras": dict(result.extras),
        "cases": [{"name": c.name, "status": str(c.status),
                   "failures": [{"expr": f.expr, "file": f.file, "line": f.line,
                                 "detail": f.detail} for f in c.failures]}
                  for c in result.cases],
    }


def report_document(results: list[BinaryResult],
                    status: RunStatus = RunStatus.COMPLETE) -> dict[str, Any]:
    summary: dict[str, int] = {"total": len(results)}
    summary.update({str(v): sum(1 for r in results if r.verdict is v) for v in Verdict})
    return {"schema": SCHEMA, "version": SCHEMA_VERSION, "tool_version": __version__,
            "status": str(status), "summary": summary,
            "results": [result_record(r) for r in results]}


def json_text(results: list[BinaryResult], status: RunStatus = RunStatus.COMPLETE) -> str:
    return json.dumps(report_document(results, status), indent=2, default=str) + "\n"
