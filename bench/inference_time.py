#!/usr/bin/env python3
"""Time per inference, host (native) and emulated (QEMU, wall clock of the emulator), for
micro_speech and hello_world. The verify program runs every golden case once and then
REPEAT times; the difference over the extra invocations is the time per inference, so
start-up, printing and emulator boot cancel out. Prints figures only (emulated time is
QEMU's speed on this machine, not the speed of a real Cortex-M3).

Usage: .venv/bin/python bench/inference_time.py
"""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

from tflm_test.pipeline import RunOptions
from tflm_test.verify import VerifyConfig, verify

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "reference_runtime" / "tests" / "models"
GOLDEN = ROOT / "tests" / "data" / "models" / "golden"
STEMS = ("micro_speech_quantized", "hello_world_int8")
TARGETS = ("host", "qemu_cortexm3")
# invocations per case: enough for the repeated part to dominate start-up noise
REPEAT = {("micro_speech_quantized", "host"): 2000,
          ("micro_speech_quantized", "qemu_cortexm3"): 50,
          ("hello_world_int8", "host"): 200000, ("hello_world_int8", "qemu_cortexm3"): 20000}
TRIES = 2  # best of: the shortest run has the least noise


def run_s(config: VerifyConfig) -> tuple[float, int]:
    """(best wall time of the runs, cases per run)."""
    best, cases = float("inf"), 0
    for _ in range(TRIES):
        report = verify(config)
        if report.exit_code != 0:
            raise SystemExit(f"{config.model.name} on {config.target}: {report.reason}")
        best, cases = min(best, report.run_s), len(report.cases)
    return best, cases


def per_inference(stem: str, target: str) -> float:
    base = VerifyConfig(model=MODELS / f"{stem}.tflite",
                        golden=GOLDEN / f"{stem}.json", target=target,
                        options=RunOptions(out_dir=ROOT / "tflm-test-out" / "bench-time",
                                           project=ROOT))
    once, cases = run_s(base)
    repeat = REPEAT[stem, target]
    many, _ = run_s(replace(base, repeat=repeat))
    return (many - once) / ((repeat - 1) * cases)


def main() -> int:
    print(f"{'model':<24}" + "".join(f"{t:>18}" for t in TARGETS) + f"{'emulated/host':>15}")
    for stem in STEMS:
        times = {t: per_inference(stem, t) for t in TARGETS}
        cells = "".join(f"{times[t] * 1e6:15.2f} us" for t in TARGETS)
        print(f"{stem:<24}{cells}{times['qemu_cortexm3'] / times['host']:15.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
