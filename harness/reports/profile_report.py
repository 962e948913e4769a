"""`tflm-test profile` output: the terminal table and the --json file, from a ProfileReport
(schema: docs/profile-report.md)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .. import __version__

if TYPE_CHECKING:
    from ..profile import KernelRun, OpShape, ProfileReport

SCHEMA = "tflm-test/profile"
VERSION = 1


def _shapes(op: OpShape) -> str:
    def one(shapes: tuple[tuple[int, ...], ...]) -> str:
        return ", ".join("x".join(map(str, s)) or "scalar" for s in shapes) or "-"
    return f"{one(op.inputs)} -> {one(op.outputs)}"


def per_mac(instructions: int, macs: int) -> float | None:
    return instructions / macs if macs else None


def share(instructions: int, run: KernelRun) -> float:
    return instructions / run.counts.invoke if run.counts.invoke else 0.0


def _cells(instructions: int, macs: int, run: KernelRun) -> str:
    ratio = per_mac(instructions, macs)
    return (f" {instructions:>12,} {'-' if ratio is None else f'{ratio:.2f}':>9}"
            f" {share(instructions, run):>7.1%}")


def _ratio(counts: list[int]) -> str:
    if len(counts) != 2:
        return ""
    return f" {counts[0] / counts[1]:>6.2f}x" if counts[1] else f" {'-':>7}"


_INTERPRETER = "(interpreter)"


def _row(index: str, name: str, width: int, macs: int, counts: list[int],
         runs: tuple[KernelRun, ...], shapes: str) -> str:
    cells = "".join(_cells(c, macs, r) for c, r in zip(counts, runs))
    return f"  {index:>3}  {name:<{width}} {macs:>11,}{cells}{_ratio(counts)}  {shapes}".rstrip()


def _header(runs: tuple[KernelRun, ...], width: int) -> str:
    sets = "".join(f" {str(r.kernels):>12} {'instr/MAC':>9} {'share':>7}" for r in runs)
    ratio = f" {'ratio':>7}" if len(runs) == 2 else ""
    return f"  {'#':>3}  {'op':<{width}} {'MACs':>11}{sets}{ratio}  shapes (inputs -> outputs)"


def _of(used: int | None, limit: int | None) -> str:
    text = "?" if used is None else f"{used:,}"
    return f"{text} of {limit:,}" if limit else text


def _figures(run: KernelRun) -> str:
    s = run.sizes
    persistent = "" if run.arena_persistent is None else f" ({run.arena_persistent:,} persistent)"
    return (f"{run.kernels}: arena {_of(run.arena_used, run.arena_size)} bytes{persistent}; "
            f"flash code {s.code:,} + model {s.model:,} + input {s.inputs:,} = "
            f"{_of(s.flash, s.flash_capacity)} bytes; RAM {_of(s.ram, s.ram_capacity)} bytes")


def text_lines(report: ProfileReport) -> list[str]:
    """The terminal report: one row per operator (a column group per kernel set, and the
    reference/optimized ratio when there are two), the interpreter's own share, the whole
    invoke, then arena, flash and RAM per kernel set against the board's limits."""
    runs = report.runs
    width = max(len(_INTERPRETER), *(len(op.op) for op in report.ops))
    sets = " vs ".join(str(r.kernels) for r in runs)
    lines = [f"profile {report.model.name} on {report.target} ({report.runner}): {sets} "
             "kernels, guest instructions of one invoke", _header(runs, width)]
    for op in report.ops:
        counts = [r.counts.ops[op.index] for r in runs]
        lines.append(_row(str(op.index), op.op, width, op.macs, counts, runs, _shapes(op)))
    lines.append(_row("", _INTERPRETER, width, 0, [r.counts.interpreter for r in runs], runs,
                      ""))
    total_macs = sum(op.macs for op in report.ops)
    lines.append(_row("", "invoke", width, total_macs, [r.counts.invoke for r in runs], runs,
                      ""))
    lines += [_figures(r) for r in runs]
    return lines


def _run_dict(run: KernelRun) -> dict[str, Any]:
    s = run.sizes
    return {"invoke_instructions": run.counts.invoke,
            "interpreter_instructions": run.counts.interpreter,
            "arena": {"used": run.arena_used, "size": run.arena_size,
                      "persistent": run.arena_persistent},
            "flash": {"code": s.code, "model": s.model, "inputs": s.inputs, "total": s.flash,
                      "limit": s.flash_capacity},
            "ram": {"used": s.ram, "limit": s.ram_capacity},
            "elf": str(run.elf), "log": None if run.log is None else str(run.log)}


def _op_dict(op: OpShape, runs: tuple[KernelRun, ...]) -> dict[str, Any]:
    counts = {str(r.kernels): r.counts.ops[op.index] for r in runs}
    return {"index": op.index, "op": op.op, "inputs": [list(s) for s in op.inputs],
            "outputs": [list(s) for s in op.outputs], "macs": op.macs,
            "instructions": {str(r.kernels): {
                "count": counts[str(r.kernels)],
                "per_mac": per_mac(counts[str(r.kernels)], op.macs),
                "share": share(counts[str(r.kernels)], r)} for r in runs}}


def to_dict(report: ProfileReport) -> dict[str, Any]:
    """The JSON document (docs/profile-report.md)."""
    return {"schema": SCHEMA, "version": VERSION, "tool_version": __version__,
            "model": str(report.model), "target": report.target, "runner": report.runner,
            "kernels": [str(r.kernels) for r in report.runs],
            "operators": [_op_dict(op, report.runs) for op in report.ops],
            "runs": {str(r.kernels): _run_dict(r) for r in report.runs}}


def json_text(report: ProfileReport) -> str:
    """The --json file's text."""
    return json.dumps(to_dict(report), indent=2) + "\n"
