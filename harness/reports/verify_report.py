"""`tflm-test verify` output: terminal lines and the --json file, from a VerifyReport."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..verify import CaseReport, VerifyReport


def _num(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def case_line(case: CaseReport) -> str:
    """E.g. '  yes_1000ms       bit-exact                      label yes (expected yes)'."""
    text = case.status
    if case.status == "mismatch" or case.status.startswith("within"):
        worst = max(case.comparisons, key=lambda c: (c.differing > 0, c.max_diff))
        text += (f": max diff {_num(worst.max_diff)}"
                 + (f" ({worst.max_ulp} ULP)" if worst.max_ulp else "")
                 + f", {sum(c.differing for c in case.comparisons)} of "
                 f"{sum(c.elements for c in case.comparisons)} elements differ")
    line = f"  {case.name:<16} {text}"
    if case.label is not None:
        expected = f" (expected {case.expected_label})" if case.expected_label else ""
        line += f"  label {case.label}{expected}"
    if case.status == "unchecked":
        line += "  outputs " + "; ".join(_preview(v.data) for v in case.outputs)
    return line


def _preview(data: tuple, count: int = 8) -> str:
    shown = ", ".join(_num(x) for x in data[:count])
    return f"[{shown}{', ...' if len(data) > count else ''}]"


def _of(used: int, capacity: int | None) -> str:
    return f"{used} of {capacity}" if capacity else f"{used}"


def _persistent(persistent: int | None) -> str:
    return "" if persistent is None else f", {persistent} persistent"


def text_lines(report: VerifyReport) -> list[str]:
    """The terminal report: a header, one line per case, figures, the verdict."""
    s = report.sizes
    arena = ("not reached" if report.arena_used is None else
             f"{report.arena_used} bytes{_persistent(report.arena_persistent)}")
    if report.tflm_arena_used is not None:
        arena += (f" (TFLM: {report.tflm_arena_used} bytes"
                  f"{_persistent(report.tflm_arena_persistent)} on 64-bit host)")
    tolerance = (f"float tolerance {report.tolerance_ulps} ULP" if report.tolerance_ulps
                 else "bit-exact required")
    lines = [f"verify {report.model.name} on {report.target} ({report.runner}): "
             f"{len(report.cases)} cases, ops {', '.join(report.ops)}",
             f"  expected outputs: {report.reference}; {tolerance}"]
    lines += [case_line(c) for c in report.cases]
    lines += [f"arena used: {arena} of a {report.arena_size}-byte arena",
              f"flash: code {s.code} bytes, model {s.model} bytes, case inputs {s.inputs} "
              f"bytes; program {_of(s.flash, s.flash_capacity)} bytes flash, "
              f"{_of(s.ram, s.ram_capacity)} bytes RAM",
              f"{report.verdict}" + (f": {report.reason}" if report.reason else
                                     f": all {len(report.cases)} cases match")]
    return lines


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def to_dict(report: VerifyReport) -> dict[str, Any]:
    """The JSON document: per-case figures, sizes, arena, verdict."""
    return {
        "model": str(report.model), "target": report.target, "runner": report.runner,
        "verdict": str(report.verdict), "reason": report.reason, "ops": list(report.ops),
        "reference": report.reference, "tolerance_ulps": report.tolerance_ulps,
        "arena": {"used": report.arena_used, "size": report.arena_size,
                  "persistent": report.arena_persistent, "tflm_used": report.tflm_arena_used,
                  "tflm_persistent": report.tflm_arena_persistent},
        "sizes": vars(report.sizes),
        "cases": [{"name": c.name, "status": c.status, "label": c.label,
                   "expected_label": c.expected_label,
                   "outputs": [{"elements": x.elements, "differing": x.differing,
                                "max_diff": _finite(x.max_diff), "max_ulp": x.max_ulp}
                               for x in c.comparisons]} for c in report.cases],
        "logs": [str(p) for p in report.logs], "run_s": round(report.run_s, 4),
    }


def write_json(report: VerifyReport, path: Path) -> None:
    """Write to_dict(report) to path (parent folders are created)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(to_dict(report), indent=2) + "\n", encoding="utf-8")
