"""Terminal lines: one per binary as it finishes, a failure's log tail, a summary, and the
progress line a terminal shows under them (the CLI draws it only when stdout is a terminal)."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..results import BinaryResult, Verdict
from ..testlog import CaseStatus

TAIL_LINES = 12


def result_line(result: BinaryResult) -> str:
    """E.g. 'PASS     bluepill       log_test   6 cases  0.41s  qemu netduino2  1 skipped'."""
    cases = f"{len(result.cases)} case{'s' if len(result.cases) != 1 else ''}"
    line = (f"{result.verdict:<8} {result.target:<14} {result.name:<28} {cases:>9} "
            f"{result.duration_s:6.2f}s  {result.runner}")
    if skipped := sum(1 for c in result.cases if c.status is CaseStatus.SKIP):
        line += f"  {skipped} skipped"
    if "executed_instructions" in result.extras:
        line += f"  {result.extras['executed_instructions']} instr"
    if result.cached:
        line += "  (cached)"
    if result.quarantined:
        line += "  (quarantined: does not fail the run)"
    if (size := result.footprint) is not None and size.flash_limit is not None:
        line += f"  flash {size.flash}/{size.flash_limit} ram {size.ram}/{size.ram_limit}"
    return line + (f"\n         {result.reason}" if result.reason else "")


def failure_details(result: BinaryResult) -> list[str]:
    """The log tail and where the full log is, for a non-pass."""
    if result.verdict is Verdict.PASS:
        return []
    lines = [f"         | {line}" for line in result.tail[-TAIL_LINES:]]
    if result.log:
        lines.append(f"         full log: {result.log}")
    return lines


def summary_lines(results: list[BinaryResult]) -> list[str]:
    """Per-target counts, then one closing line in the 'N passed, N failed' form CI reads."""
    lines = []
    for target in dict.fromkeys(r.target for r in results):
        mine = [r for r in results if r.target == target]
        counts = ", ".join(f"{sum(1 for r in mine if r.verdict is v)} {v.lower()}"
                           for v in Verdict if any(r.verdict is v for r in mine))
        lines.append(f"{target}: {len(mine)} binaries: {counts}")
    passed = sum(1 for r in results if r.verdict is Verdict.PASS)
    line = f"{passed} passed, {len(results) - passed} failed"
    notes = [f"{n} {what}" for n, what in
             ((sum(1 for r in results if r.quarantined), "quarantined"),
              (sum(1 for r in results if r.verdict is Verdict.FLAKY), "flaky"),
              (sum(1 for r in results if r.cached), "cached")) if n]
    lines.append(line + (f" ({', '.join(notes)})" if notes else ""))
    return lines


@dataclass(frozen=True)
class Progress:
    """How far a run is."""

    total: int
    done: int = 0
    failed: int = 0  # results that are not a PASS
    last: str = ""  # the latest result, e.g. "PASS bluepill conv_test"

    def after(self, result: BinaryResult) -> Progress:
        return replace(self, done=self.done + 1,
                       failed=self.failed + (result.verdict is not Verdict.PASS),
                       last=f"{result.verdict} {result.target} {result.name}")


def clock(seconds: float) -> str:
    """Elapsed time as m:ss, or h:mm:ss from an hour on."""
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def progress_line(progress: Progress, elapsed_s: float, width: int) -> str:
    """E.g. '[12/40] 2 failed  1:05  last: PASS bluepill conv_test', cut to width - 1
    characters so that the terminal never wraps it (a wrapped line cannot be redrawn)."""
    line = f"[{progress.done}/{progress.total}] {progress.failed} failed  {clock(elapsed_s)}"
    if progress.last:
        line += f"  last: {progress.last}"
    return line[:max(width - 1, 1)]
