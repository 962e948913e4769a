"""The baseline gate: compare a run's figures per binary (and case) with an earlier report's,
and fail when one grew past its limit (--baseline, --max-increase, `tflm-test compare`).

Figures are read from the JSON records by name (see FIGURES), so a report that lacks one (an
older tflm-test, a runner that does not count) simply has nothing to compare for it.
Instruction counts and sizes are deterministic: any growth is real. Wall-clock duration is
not (another job on the machine, a cold cache, a CI runner of another size), so its gate is
off unless asked for.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from .errors import TflmTestError
from .history import BadReport, Key, Report


class Metric(StrEnum):
    INSTRUCTIONS = "instructions"
    FLASH = "flash"
    RAM = "ram"
    DURATION = "duration"


class BadLimits(TflmTestError):
    """A --max-increase value that cannot be read."""


@dataclass(frozen=True)
class Limit:
    """How much a figure may grow: `percent` of the old value, or `amount` in its own unit
    (instructions, bytes, seconds); neither: no gate on it."""

    percent: float | None = None
    amount: float | None = None

    @property
    def off(self) -> bool:
        return self.percent is None and self.amount is None

    def exceeded(self, old: float, new: float) -> bool:
        if self.off or new <= old:
            return False
        if self.percent is not None:
            return new > old * (1 + self.percent / 100)
        return new - old > (self.amount or 0)

    def __str__(self) -> str:
        if self.off:
            return "off"
        return f"{self.percent:g}%" if self.percent is not None else f"{self.amount:g}"


OFF = Limit()
DEFAULT_LIMITS: Mapping[Metric, Limit] = MappingProxyType({
    Metric.INSTRUCTIONS: Limit(percent=2.0), Metric.FLASH: Limit(percent=1.0),
    Metric.RAM: Limit(amount=0.0), Metric.DURATION: OFF})
_LIMIT = re.compile(r"^(?P<value>\d+(\.\d+)?)(?P<percent>%?)$")


def parse_limits(text: str, base: Mapping[Metric, Limit] = DEFAULT_LIMITS
                 ) -> Mapping[Metric, Limit]:
    """`instructions=2%,flash=1%,ram=0,duration=off` over `base` (metrics not named keep
    their default).

    Raises:
        BadLimits: an unknown metric or a value that is not N, N% or off.
    """
    limits = dict(base)
    for item in filter(None, (part.strip() for part in text.split(","))):
        name, _, value = item.partition("=")
        try:
            metric = Metric(name.strip())
        except ValueError:
            raise BadLimits(f"--max-increase: unknown figure {name.strip()!r}; known: "
                            f"{', '.join(m.value for m in Metric)}") from None
        value = value.strip()
        match = _LIMIT.match(value)
        if value == "off":
            limits[metric] = OFF
        elif match is None:
            raise BadLimits(f"--max-increase: {metric}={value!r}: give N (in its unit), N% "
                            "or off, e.g. instructions=2%,ram=0")
        elif match["percent"]:
            limits[metric] = Limit(percent=float(match["value"]))
        else:
            limits[metric] = Limit(amount=float(match["value"]))
    return MappingProxyType(limits)


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _dig(record: Mapping[str, Any], *path: str) -> Any:
    for step in path:
        if not isinstance(record, Mapping):
            return None
        record = record.get(step)  # type: ignore[assignment]
    return record


# Where each figure is in a JSON result record, first match wins. `instructions` and
# `footprint` are written by tflm-test's counting runners; `executed_instructions` is Renode's.
FIGURES: Mapping[Metric, tuple[tuple[str, ...], ...]] = MappingProxyType({
    Metric.INSTRUCTIONS: (("instructions",), ("extras", "instructions"),
                          ("extras", "executed_instructions")),
    Metric.FLASH: (("footprint", "flash"),),
    Metric.RAM: (("footprint", "ram"),),
    Metric.DURATION: (("duration_s",),)})
# Per case only counts: a case's wall-clock time is milliseconds of noise.
CASE_FIGURES: Mapping[Metric, tuple[tuple[str, ...], ...]] = MappingProxyType({
    Metric.INSTRUCTIONS: (("instructions",),)})


def figures(record: Mapping[str, Any],
            where: Mapping[Metric, tuple[tuple[str, ...], ...]] = FIGURES) -> dict[Metric, float]:
    """The figures a record (of a binary or a case) holds."""
    found = {}
    for metric, paths in where.items():
        for path in paths:
            if (value := _number(_dig(record, *path))) is not None:
                found[metric] = value
                break
    return found


def format_figure(value: float, metric: Metric) -> str:
    """A figure as the tables show it: counts and bytes whole (5,886,970), seconds to ms."""
    if metric is Metric.DURATION:
        return f"{value:.3f}s"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:g}"  # counts, bytes


@dataclass(frozen=True)
class Row:
    """One figure of one binary (case None) or case, in both reports."""

    target: str
    key: str
    case: str | None
    metric: Metric
    old: float
    new: float
    limit: Limit

    @property
    def exceeded(self) -> bool:
        return self.limit.exceeded(self.old, self.new)

    @property
    def change(self) -> str:
        diff = self.new - self.old
        text = (f"{diff:+.3f}s" if self.metric is Metric.DURATION
                else f"{diff:+,.0f}" if float(diff).is_integer() else f"{diff:+g}")
        return f"{text} ({diff / self.old:+.2%})" if self.old else text

    @property
    def name(self) -> str:
        return self.key if self.case is None else f"{self.key} / {self.case}"

    @property
    def shown(self) -> tuple[str, str]:
        """Old and new as the tables show them."""
        return format_figure(self.old, self.metric), format_figure(self.new, self.metric)


@dataclass(frozen=True)
class Comparison:
    rows: tuple[Row, ...]  # every figure that changed, in both reports
    unchanged: int  # figures in both reports that did not change
    missing: tuple[Key, ...]  # binaries only the baseline has
    missing_cases: tuple[tuple[str, str, str], ...]  # (target, key, case)
    new: tuple[Key, ...]  # binaries only the new run has
    compared: int  # binaries in both
    limits: Mapping[Metric, Limit] = field(default_factory=lambda: DEFAULT_LIMITS)

    @property
    def exceeded(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.exceeded)

    @property
    def grew(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.new > r.old)

    @property
    def shrank(self) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.new < r.old)


def _rows(key: Key, case: str | None, old: Mapping[Metric, float], new: Mapping[Metric, float],
          limits: Mapping[Metric, Limit]) -> list[Row]:
    return [Row(key[0], key[1], case, m, old[m], new[m], limits.get(m, OFF))
            for m in Metric if m in old and m in new]


def _case_rows(key: Key, old: Mapping[str, Any], new: Mapping[str, Any],
               limits: Mapping[Metric, Limit]) -> tuple[list[Row], list[tuple[str, str, str]]]:
    new_cases = {str(c.get("name")): c for c in new.get("cases") or ()}
    rows, missing = [], []
    for case in old.get("cases") or ():
        name = str(case.get("name"))
        if name not in new_cases:
            missing.append((key[0], key[1], name))
            continue
        rows += _rows(key, name, figures(case, CASE_FIGURES),
                      figures(new_cases[name], CASE_FIGURES), limits)
    return rows, missing


def compare(old: Mapping[Key, Mapping[str, Any]], new: Mapping[Key, Mapping[str, Any]],
            limits: Mapping[Metric, Limit] = DEFAULT_LIMITS) -> Comparison:
    """Every binary (and case) of `new` against `old`, both keyed JSON result records."""
    rows: list[Row] = []
    missing_cases: list[tuple[str, str, str]] = []
    for key in (k for k in new if k in old):
        rows += _rows(key, None, figures(old[key]), figures(new[key]), limits)
        case_rows, gone = _case_rows(key, old[key], new[key], limits)
        rows += case_rows
        missing_cases += gone
    changed = tuple(r for r in rows if r.new != r.old)
    return Comparison(changed, len(rows) - len(changed), tuple(k for k in old if k not in new),
                      tuple(missing_cases), tuple(k for k in new if k not in old),
                      sum(1 for k in new if k in old), limits)


def merge_comparisons(parts: Iterable[Comparison]) -> Comparison:
    """The shards' comparisons as one (each compared its own binaries)."""
    parts = tuple(parts)

    def joined(name: str) -> tuple[Any, ...]:
        return tuple(x for part in parts for x in getattr(part, name))

    return Comparison(joined("rows"), sum(p.unchanged for p in parts), joined("missing"),
                      joined("missing_cases"), joined("new"), sum(p.compared for p in parts),
                      parts[0].limits if parts else DEFAULT_LIMITS)


def to_record(comparison: Comparison, source: str) -> dict[str, Any]:
    """The comparison as the JSON report's "baseline" section (docs/json-report.md)."""
    c = comparison
    return {
        "source": source, "compared": c.compared, "unchanged": c.unchanged,
        "limits": {str(m): str(c.limits.get(m, OFF)) for m in Metric},
        "changes": [{"target": r.target, "key": r.key, "case": r.case, "metric": str(r.metric),
                     "old": r.old, "new": r.new, "limit": str(r.limit),
                     "over_limit": r.exceeded} for r in c.rows],
        "missing": [{"target": t, "key": k} for t, k in c.missing],
        "missing_cases": [{"target": t, "key": k, "case": case}
                          for t, k, case in c.missing_cases],
        "new": [{"target": t, "key": k} for t, k in c.new]}


def _strings(item: Any, names: tuple[str, ...], where: str) -> tuple[str, ...]:
    if not isinstance(item, Mapping) or not all(isinstance(item.get(n), str) for n in names):
        raise BadReport(f"baseline: each of {where} needs {', '.join(names)} as strings")
    return tuple(item[n] for n in names)


def _limit(text: Any, metric: Metric) -> Limit:
    try:
        return parse_limits(f"{metric}={text}")[metric]
    except BadLimits:
        raise BadReport(f"baseline: {metric} limit {text!r} is not N, N% or off") from None


def _change(item: Any) -> Row:
    target, key, metric_name = _strings(item, ("target", "key", "metric"), "changes")
    old, new, case = item.get("old"), item.get("new"), item.get("case")
    if _number(old) is None or _number(new) is None or not isinstance(case, (str, type(None))):
        raise BadReport(f"baseline: change {target} {key}: old and new must be numbers")
    try:
        metric = Metric(metric_name)
    except ValueError:
        raise BadReport(f"baseline: change {target} {key}: unknown figure {metric_name!r}"
                        ) from None
    return Row(target, key, case, metric, float(old), float(new), _limit(item.get("limit"), metric))


def from_record(record: Any) -> Comparison:
    """A report's "baseline" section back as a Comparison.

    Raises:
        BadReport: the section is not what to_record writes.
    """
    if not isinstance(record, Mapping):
        raise BadReport("baseline is not an object")
    lists = {name: record.get(name, []) for name in ("changes", "missing", "missing_cases", "new")}
    counts = [record.get(name) for name in ("compared", "unchanged")]
    limits = record.get("limits", {})
    if (not all(isinstance(v, list) for v in lists.values()) or not isinstance(limits, Mapping)
            or not all(isinstance(n, int) and not isinstance(n, bool) for n in counts)):
        raise BadReport("baseline: compared and unchanged are counts, changes, missing, "
                        "missing_cases and new are lists, limits an object")
    return Comparison(
        tuple(map(_change, lists["changes"])), counts[1],
        tuple(_strings(i, ("target", "key"), "missing") for i in lists["missing"]),
        tuple(_strings(i, ("target", "key", "case"), "missing_cases")  # type: ignore[misc]
              for i in lists["missing_cases"]),
        tuple(_strings(i, ("target", "key"), "new") for i in lists["new"]),
        counts[0], MappingProxyType({m: _limit(limits.get(str(m), "off"), m) for m in Metric}))


def records_of(report: Report) -> dict[Key, Mapping[str, Any]]:
    return {r.key: r.record for r in report.recorded}


def table_lines(comparison: Comparison, source: str) -> list[str]:
    """What grew and what shrank, then one `gate:` line per exceeded limit, then what is
    missing or new."""
    c = comparison
    lines = [f"baseline {source}: {c.compared} binaries compared; {len(c.grew)} figures grew, "
             f"{len(c.shrank)} shrank, {c.unchanged} unchanged"]
    for title, rows in (("grew", c.grew), ("shrank", c.shrank)):
        lines += [f"  {title:<6} {r.target:<14} {r.name:<40} {r.metric:<12} "
                  f"{r.shown[0]:>10} -> {r.shown[1]:<10} {r.change}  limit {r.limit}"
                  for r in rows]
    lines += [f"gate: {r.target} {r.name}: {r.metric} {r.shown[0]} -> {r.shown[1]} "
              f"({r.change}), over the {r.limit} limit" for r in c.exceeded]
    lines += [f"missing: {t} {k} (in the baseline, not in this run)" for t, k in c.missing]
    lines += [f"missing case: {t} {k} / {case} (in the baseline, not in this run)"
              for t, k, case in c.missing_cases]
    lines += [f"new: {t} {k} (not in the baseline)" for t, k in c.new]
    return lines


@dataclass(frozen=True)
class Gate:
    """A baseline read before the run (so a bad file stops it before anything runs) and the
    limits to check the run's results against."""

    baseline: Report
    limits: Mapping[Metric, Limit] = field(default_factory=lambda: DEFAULT_LIMITS)

    def check(self, new: Mapping[Key, Mapping[str, Any]],
              only: Callable[[Key], bool] = lambda key: True) -> Comparison:
        """`only`: the baseline binaries this run was meant to run (a shard runs a part)."""
        old = {k: v for k, v in records_of(self.baseline).items() if only(k)}
        return compare(old, new, self.limits)


def keyed(records: Iterable[Mapping[str, Any]]) -> dict[Key, Mapping[str, Any]]:
    """JSON result records by (target, key)."""
    return {(str(r["target"]), str(r["key"])): r for r in records}


def limits_help(limits: Mapping[Metric, Limit] = DEFAULT_LIMITS) -> str:
    return ",".join(f"{m}={limits[m]}" for m in Metric)
