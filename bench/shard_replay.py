#!/usr/bin/env python3
"""Shard balance on a large suite: 1,000 binaries x 3 targets, with durations taken from a
real run's JSON report and scaled up, split over 10 shards by tflm-test's own split
(harness/shard.py) two ways: balanced by an earlier run's durations (--durations) and by
count. Prints the slowest shard against the ideal (total / shards); asserts nothing.

The split sees the *previous* run's durations (the real ones with +-10% run-to-run noise),
and is judged on this run's, as in CI.

Usage: .venv/bin/python bench/shard_replay.py [REPORT.json] [--binaries 1000] [--shards 10]
Without REPORT, runs `tflm-test --target qemu_cortexm3 --no-cache` here first.
"""
from __future__ import annotations

import argparse
import random
import subprocess
import sys
import tempfile
from pathlib import Path

from tflm_test.history import read_report
from tflm_test.shard import split

ROOT = Path(__file__).resolve().parents[1]
TARGETS = {"host": 0.3, "qemu_cortexm3": 1.0, "bluepill": 2.5}  # relative cost per target
SCALE = 100.0  # real fixture tests take ~0.05 s; a model test suite's take seconds


def real_durations(report: Path | None) -> list[float]:
    if report is None:
        report = Path(tempfile.mkdtemp()) / "real.json"
        subprocess.run([str(Path(sys.executable).parent / "tflm-test"), "--target",
                        "qemu_cortexm3", "--no-cache", "-j", "2", "--json", str(report),
                        "--out", str(report.parent / "out")], cwd=ROOT, check=False,
                       stdout=subprocess.DEVNULL)
    durations = [r.duration_s for r in read_report(report).results if r.duration_s > 0]
    if not durations:
        sys.exit(f"{report}: no durations to replay")
    return durations


def suite(real: list[float], binaries: int, seed: int) -> dict[tuple[str, str], float]:
    """Each synthetic binary: a real duration, scaled, times its target's cost, times a
    spread of 0.5-4x (kernels of different sizes)."""
    rng = random.Random(seed)
    return {(target, f"test_{i:04d}"): rng.choice(real) * SCALE * cost * rng.uniform(0.5, 4.0)
            for target, cost in TARGETS.items() for i in range(binaries)}


def slowest(shards: list[list[tuple[str, str]]], actual: dict[tuple[str, str], float]) -> float:
    return max(sum(actual[k] for k in shard) for shard in shards)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("report", nargs="?", type=Path)
    parser.add_argument("--binaries", type=int, default=1000)
    parser.add_argument("--shards", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    real = real_durations(args.report)
    actual = suite(real, args.binaries, args.seed)
    noise = random.Random(args.seed + 1)
    previous = {k: v * noise.uniform(0.9, 1.1) for k, v in actual.items()}
    keys = list(actual)
    ideal = sum(actual.values()) / args.shards
    print(f"{len(keys)} binaries ({args.binaries} x {len(TARGETS)} targets), {args.shards} "
          f"shards; durations from {len(real)} real runs (median "
          f"{sorted(real)[len(real) // 2]:.3f}s) x{SCALE:g}; total {sum(actual.values()):.0f}s")
    print(f"  ideal (total / {args.shards}):      {ideal:9.1f}s")
    for label, shards in (("by duration (--durations)", split(keys, args.shards, previous)),
                          ("by count", split(keys, args.shards))):
        worst = slowest(shards, actual)
        print(f"  slowest shard, {label:<26} {worst:9.1f}s  = {worst / ideal:.3f} x ideal")


if __name__ == "__main__":
    main()
