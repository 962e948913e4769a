"""Splitting one run over N CI machines (--shard K/N, --durations) and joining the shard
reports again (`tflm-test merge`).

Every shard plans the same job list (every binary of every target, in job order) and splits
it the same way, so no machine needs to talk to another: each runs its part, records the
split (its K/N and the whole planned list) in its JSON report, and the merge proves that
every planned binary ran in exactly one shard.
"""

from __future__ import annotations

import hashlib
import heapq
import json
import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from .baseline import Comparison, from_record, merge_comparisons, to_record
from .errors import TflmTestError
from .history import Key, Report
from .reports import RunStatus
from .reports.json_report import report_document
from .results import BinaryResult


class BadShard(TflmTestError):
    """A --shard value, or shard reports that do not join into one run."""


class Balance(StrEnum):
    COUNT = "count"  # the same number of binaries per shard
    DURATION = "duration"  # measured durations of an earlier run (--durations)


@dataclass(frozen=True)
class ShardSpec:
    index: int  # 1-based: K of K/N
    count: int

    @classmethod
    def parse(cls, text: str) -> ShardSpec:
        """`K/N` with 1 <= K <= N.

        Raises:
            BadShard: anything else.
        """
        match = re.fullmatch(r"\s*(\d+)\s*/\s*(\d+)\s*", text)
        if match is None or not 1 <= int(match[1]) <= int(match[2]):
            raise BadShard(f"--shard {text!r}: give K/N with 1 <= K <= N, e.g. 2/4")
        return cls(int(match[1]), int(match[2]))

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def split(keys: Sequence[Key], count: int,
          weights: Mapping[Key, float] | None = None) -> list[list[Key]]:
    """`count` shards of `keys`: heaviest first, each onto the least-loaded shard (ties: the
    lowest shard number). Without weights every binary weighs 1, which deals them out in turn.
    The result depends only on the inputs, so every machine computes the same split."""
    weight = weights or {}
    order = sorted(keys, key=lambda k: (-weight.get(k, 1.0), k)) if weights else list(keys)
    shards: list[list[Key]] = [[] for _ in range(count)]
    loads = [(0.0, i) for i in range(count)]
    for key in order:
        load, i = heapq.heappop(loads)
        shards[i].append(key)
        heapq.heappush(loads, (load + weight.get(key, 1.0), i))
    return shards


def durations_of(report: Report, keys: Sequence[Key]) -> dict[Key, float]:
    """Each key's measured duration in an earlier report; one it lacks (a new binary) gets
    the median of the others, so it neither hides on a shard nor takes one alone."""
    known = {r.key: r.result.duration_s for r in report.recorded}
    typical = statistics.median(known.values()) if known else 1.0
    return {k: known.get(k, typical) for k in keys}


def planned_hash(planned: Sequence[Key]) -> str:
    return hashlib.sha256(json.dumps([list(k) for k in planned]).encode()).hexdigest()


@dataclass(frozen=True)
class ShardPlan:
    spec: ShardSpec
    balance: Balance
    planned: tuple[Key, ...]  # every shard's jobs, in job order
    mine: frozenset[Key]

    def info(self) -> dict[str, Any]:
        """The report's "shard" entry: enough for `merge` to find a binary in no shard."""
        return {"index": self.spec.index, "count": self.spec.count, "balance": str(self.balance),
                "planned": [list(k) for k in self.planned],
                "planned_sha256": planned_hash(self.planned)}

    def elsewhere(self, key: Key) -> bool:
        """Planned for another shard."""
        return key in set(self.planned) - self.mine


def plan(spec: ShardSpec, planned: Sequence[Key], durations: Report | None) -> ShardPlan:
    weights = durations_of(durations, planned) if durations is not None else None
    shards = split(planned, spec.count, weights)
    return ShardPlan(spec, Balance.DURATION if weights else Balance.COUNT, tuple(planned),
                     frozenset(shards[spec.index - 1]))


@dataclass(frozen=True)
class Merged:
    results: list[BinaryResult]
    document: dict[str, Any]  # the merged JSON report, every record as its shard wrote it
    status: RunStatus
    comparison: Comparison | None  # the shards' baseline gates, joined
    baseline_source: str = ""


def _shard_checks(reports: Sequence[Report]) -> list[Key] | None:
    """The planned list all shard reports agree on; None when none is a shard report.

    Raises:
        BadShard: some are shard reports and some not, the splits differ, or a shard is given
            twice.
    """
    specs = [r.document.get("shard") for r in reports]
    if all(s is None for s in specs):
        return None
    if any(not isinstance(s, dict) for s in specs):
        plain = [str(r.source) for r, s in zip(reports, specs) if not isinstance(s, dict)]
        raise BadShard(f"merge: {', '.join(plain)} not written by a --shard run; the others were")
    first = specs[0]
    for report, spec in zip(reports, specs):
        if (spec["count"], spec["planned_sha256"]) != (first["count"], first["planned_sha256"]):
            raise BadShard(f"merge: {report.source} is shard {spec['index']}/{spec['count']} of "
                           f"another split than {reports[0].source} (different planned "
                           "binaries or shard count)")
    seen: dict[int, Path] = {}
    for report, spec in zip(reports, specs):
        if spec["index"] in seen:
            raise BadShard(f"merge: shard {spec['index']}/{spec['count']} given twice: "
                           f"{seen[spec['index']]} and {report.source}")
        seen[spec["index"]] = report.source
    return [(str(t), str(k)) for t, k in first["planned"]]


def _status(reports: Sequence[Report]) -> RunStatus:
    statuses = {r.status for r in reports}
    for status in (RunStatus.RUNNING, RunStatus.INTERRUPTED):
        if str(status) in statuses:
            return status
    return RunStatus.COMPLETE


def merge(reports: Sequence[Report]) -> Merged:
    """One run from its shard reports (or from any reports of disjoint runs).

    Raises:
        BadShard: a binary in two reports, a planned binary in none, a result no shard planned.
    """
    planned = _shard_checks(reports)
    where: dict[Key, Path] = {}
    for report in reports:
        for recorded in report.recorded:
            if recorded.key in where:
                raise BadShard(f"merge: {' '.join(recorded.key)} is in two shards: "
                               f"{where[recorded.key]} and {report.source}")
            where[recorded.key] = report.source
    order = {k: i for i, k in enumerate(planned or where)}
    if planned is not None:
        if none := [k for k in planned if k not in where]:
            raise BadShard(f"merge: {len(none)} planned binar{'y' if len(none) == 1 else 'ies'} "
                           f"in no shard report: {', '.join(' '.join(k) for k in none[:5])}")
        if extra := [k for k in where if k not in order]:
            raise BadShard(f"merge: {' '.join(extra[0])} ({where[extra[0]]}) was not planned")
    recorded = sorted((r for report in reports for r in report.recorded),
                      key=lambda r: order[r.key])
    results = [r.result for r in recorded]
    status = _status(reports)
    document = report_document(results, status)
    document["results"] = [dict(r.record) for r in recorded]
    gated = [r.document["baseline"] for r in reports if r.document.get("baseline") is not None]
    if not gated:
        return Merged(results, document, status, None)
    comparison = merge_comparisons(map(from_record, gated))
    source = str(gated[0].get("source", ""))
    document["baseline"] = to_record(comparison, source)
    return Merged(results, document, status, comparison, source)
