#!/usr/bin/env python3
"""Arena bytes for micro_speech and hello_world: ours (tm_interp_arena_used, after prepare)
on the 64-bit host and on 32-bit bluepill, against what the tflite-micro Python interpreter
reports (RecordingMicroAllocator 'Arena allocation total', 64-bit) and MODELS.md's figures;
then each split into head (planned activations and scratch) and tail (persistent:
tm_interp_arena_persistent), beside TFLM's from the golden files.
Prints figures and ratios only.

Usage: .venv/bin/python bench/arena.py
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from tflm_test.pipeline import RunOptions
from tflm_test.verify import VerifyConfig, verify

ROOT = Path(__file__).resolve().parents[1]
MODELS = ROOT / "reference_runtime" / "tests" / "models"
GOLDEN = ROOT / "tests" / "data" / "models" / "golden"
MODELS_MD = {"micro_speech_quantized": 7584, "hello_world_int8": 1504}  # TFLM arena used
TARGETS = ("host", "bluepill")

_TFLM_PROBE = """
import numpy as np, sys
from tflite_micro import runtime
it = runtime.Interpreter.from_file(sys.argv[1])
d = it.get_input_details(0)
it.set_input(np.zeros(d["shape"], d["dtype"]), 0)
it.invoke()
it.print_allocations()
"""
# [RecordingMicroAllocator] Arena allocation total 7584 bytes
_TOTAL = re.compile(r"Arena allocation total (\d+) bytes")


def tflm_arena(model: Path) -> int | None:
    """What tflite_micro reports, from a child process (it prints from C++)."""
    proc = subprocess.run([sys.executable, "-c", _TFLM_PROBE, str(model)], capture_output=True,
                          text=True, timeout=120)
    m = _TOTAL.search(proc.stdout + proc.stderr)
    return int(m[1]) if m else None


def ours(stem: str, target: str, out: Path) -> tuple[int | None, int | None]:
    """Arena bytes used after prepare and, of those, the persistent ones."""
    config = VerifyConfig(model=MODELS / f"{stem}.tflite",
                          golden=GOLDEN / f"{stem}.json", target=target,
                          options=RunOptions(out_dir=out, project=ROOT))
    report = verify(config)
    return report.arena_used, report.arena_persistent


def _head(used: int | None, persistent: int | None) -> int | str:
    return used - persistent if used is not None and persistent is not None else "n/a"


def main() -> int:
    out = ROOT / "tflm-test-out" / "bench-arena"
    print(f"{'model':<24}{'TFLM py':>9}{'MODELS.md':>10}" +
          "".join(f"{'ours ' + t:>15}{'ratio':>7}" for t in TARGETS))
    split: dict[str, dict[str, tuple[int | None, int | None]]] = {}
    for stem, documented in MODELS_MD.items():
        tflm = tflm_arena(MODELS / f"{stem}.tflite")
        row = f"{stem:<24}{tflm if tflm else 'n/a':>9}{documented:>10}"
        split[stem] = {}
        for target in TARGETS:
            used, persistent = split[stem][target] = ours(stem, target, out)
            ratio = f"{used / tflm:.2f}" if used and tflm else "n/a"
            row += f"{used if used is not None else 'n/a':>15}{ratio:>7}"
        print(row)
    print("\nratio = ours / TFLM (TFLM's figure is from a 64-bit host; bluepill is 32-bit)")
    print(f"\n{'model':<24}{'head: TFLM':>11}{'ours':>6}   {'tail: TFLM':>10}" +
          "".join(f"{'ours ' + t:>15}" for t in TARGETS))
    for stem in MODELS_MD:
        golden = json.loads((GOLDEN / f"{stem}.json").read_text()).get("arena", {})
        used, persistent = split[stem][TARGETS[0]]
        row = (f"{stem:<24}{golden.get('head', 'n/a'):>11}{_head(used, persistent):>6}   "
               f"{golden.get('tail', 'n/a'):>10}")
        row += "".join(f"{str(split[stem][t][1]):>15}" for t in TARGETS)
        print(row)
    print("\nhead = planned activations and scratch; tail = persistent (interpreter, tensors, "
          "nodes, kernel data); TFLM's from its golden file (64-bit host)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
