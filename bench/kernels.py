#!/usr/bin/env python3
"""Guest instructions per micro_speech Invoke on Cortex-M3, reference vs optimised kernels.

Profiles examples/micro_speech's model with `tflm-test profile`'s library (harness/profile.py):
the model is built into a program once per kernel set with the profiling hooks, run on QEMU
with the instruction-count plugin, and each operator's instructions are counted between its
hooks. One invoke on a seeded random input (the kernels' counts barely depend on the data).
Prints the per-operator table with the reference/optimised ratio and the goal; asserts nothing.

Usage: .venv/bin/python bench/kernels.py [--target qemu_cortexm3] [--target bluepill]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tflm_test.errors import TflmTestError
from tflm_test.pipeline import RunOptions
from tflm_test.profile import KERNEL_CHOICES, KernelSet, ProfileConfig, profile
from tflm_test.reports.profile_report import text_lines

ROOT = Path(__file__).resolve().parents[1]
MODEL = ROOT / "reference_runtime" / "examples" / "micro_speech" / "micro_speech_quantized.tflite"
TARGETS = ("qemu_cortexm3", "bluepill")
GOAL = 1_500_000


def report(target: str) -> None:
    options = RunOptions(project=ROOT, out_dir=ROOT / "tflm-test-out")
    result = profile(ProfileConfig(MODEL, target, KERNEL_CHOICES["both"], options=options))
    for line in text_lines(result):
        print(line)
    ref, opt = (result.run(k).counts.invoke for k in (KernelSet.REFERENCE, KernelSet.OPTIMIZED))
    print(f"{target}: {ref:,} -> {opt:,} guest instructions per invoke ({ref / opt:.2f}x; "
          f"goal <= {GOAL:,}: {'met' if opt <= GOAL else 'not met'})\n")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", action="append", choices=TARGETS)
    try:
        for target in parser.parse_args().target or TARGETS:
            report(target)
    except TflmTestError as exc:
        print(f"bench/kernels.py: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
