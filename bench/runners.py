#!/usr/bin/env python3
"""Seconds per binary on each way of running: QEMU direct, QEMU in Docker, Renode (one
process reused across binaries) and Renode in Docker, on the same fixture firmware. Prints
figures only. Runners that are not available here are listed as skipped, with the reason.

Usage: .venv/bin/python bench/runners.py [--rounds N] [--renode PATH] [--renode-image IMAGE]
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from tflm_test.cli import DEFAULT_IMAGE
from tflm_test.errors import TflmTestError
from tflm_test.pipeline import RunConfig, RunOptions, run

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ("pass", "fail", "hardfault")  # a pass, a failure and a crash with our handler


@dataclass(frozen=True)
class Way:
    label: str
    target: str
    emulator: str
    docker_image: str | None = None


def ways(renode_image: str) -> tuple[Way, ...]:
    return (
        Way("qemu direct (mps2-an385)", "qemu_cortexm3", "qemu"),
        Way("qemu direct (netduino2)", "bluepill", "qemu"),
        Way("qemu in docker (mps2-an385)", "qemu_cortexm3", "qemu", DEFAULT_IMAGE),
        Way("renode, one process per worker", "bluepill", "renode"),
        Way("renode in docker", "bluepill", "renode", renode_image),
    )


def fixtures(target: str) -> list[Path]:
    subprocess.run(["make", "-s", "-C", str(ROOT / "reference_runtime"), f"TARGET={target}",
                    "fixtures"], check=True)
    folder = ROOT / "reference_runtime" / "gen" / target / "fixtures"
    return [folder / f"{name}.elf" for name in FIXTURES]


def measure(way: Way, rounds: int, out: Path,
            renode: Path | None) -> tuple[list[float], float] | str:
    """(per-binary durations, wall seconds of the whole run) or why it was skipped."""
    binaries = tuple(fixtures(way.target) * rounds)
    options = RunOptions(jobs=1, timeout_s=30, emulator=way.emulator, renode=renode,
                         docker_image=way.docker_image, out_dir=out, project=ROOT)
    config = RunConfig(targets=(way.target,), options=options)
    start = time.monotonic()
    try:
        results = run(config, binaries)
    except TflmTestError as exc:
        return str(exc)
    return [r.duration_s for r in results], time.monotonic() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="times each fixture runs")
    parser.add_argument("--renode", type=Path, default=os.environ.get("TFLM_TEST_RENODE"),
                        help="renode executable [env TFLM_TEST_RENODE]")
    parser.add_argument("--renode-image", default=DEFAULT_IMAGE,
                        help="image with Renode for the last row (tflm-test image build "
                             "--renode-tarball ...)")
    args = parser.parse_args()
    print(f"{'way':<34}{'median s/binary':>16}{'max':>8}{'wall s':>9}  binaries")
    baseline = None
    with tempfile.TemporaryDirectory() as out:
        for way in ways(args.renode_image):
            got = measure(way, args.rounds, Path(out), args.renode)
            if isinstance(got, str):
                print(f"{way.label:<34}  skipped: {got}")
                continue
            durations, wall = got
            median = statistics.median(durations)
            baseline = baseline or median
            print(f"{way.label:<34}{median:>16.3f}{max(durations):>8.2f}{wall:>9.2f}  "
                  f"{len(durations)}  ({median / baseline:.1f}x the first row)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
