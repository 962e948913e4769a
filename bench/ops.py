#!/usr/bin/env python3
"""Guest instructions per operator on Cortex-M3, reference vs optimised int8 kernels, on the
models that exercise the optimised ops: person_detect (CONV_2D 1x1, DEPTHWISE_CONV_2D,
AVERAGE_POOL_2D, SOFTMAX), test_conv_model (CONV_2D 3x3, MAX_POOL_2D, FULLY_CONNECTED),
simple_add_model (ADD), and two single-op models built here, since no shared model has an
int8 MUL or a broadcasting int8 ADD ([1,24,24,16] by [1,1,1,16]).

Each model goes through `tflm-test profile`'s library (harness/profile.py) with both kernel
sets: the model built into a program per set with the profiling hooks, each operator counted
between its hooks by QEMU's instruction-count plugin. That both sets give TFLM's outputs on
these models is tested elsewhere (tests/integration/test_verify.py on qemu_cortexm3 runs the
optimised set). Prints figures and ratios only.

Usage: .venv/bin/python bench/ops.py [--target qemu_cortexm3] [--model person_detect ...]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

from tflm_test.errors import TflmTestError
from tflm_test.pipeline import RunOptions
from tflm_test.profile import KERNEL_CHOICES, ProfileConfig, profile
from tflm_test.reports.profile_report import text_lines

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "models"  # test data beside the checkout, when there is one
SHARED_MODELS = {"person_detect": SHARED / "more" / "person_detect.tflite",
                 "test_conv_model": SHARED / "test_conv_model.tflite",
                 "simple_add_model": SHARED / "simple_add_model.tflite"}
BUILT_MODELS = ("mul_int8_broadcast", "add_int8_broadcast")


def built_model(name: str, folder: Path) -> Path:
    """An int8 MUL or ADD of [1,24,24,16] by [1,1,1,16] (a per-channel vector), written with
    the int16 test models' builder (tools/gen_int16_models.py)."""
    sys.path.insert(0, str(ROOT / "reference_runtime" / "tools"))
    from gen_int16_models import OP, OPTS, Graph, T, fb

    is_mul = name.startswith("mul")
    g = Graph()
    a = g.tensor([1, 24, 24, 16], T.INT8, [0.05], zero_point=-3)
    b = g.tensor([1, 1, 1, 16], T.INT8, [0.02], zero_point=5)
    out = g.tensor([1, 24, 24, 16], T.INT8, [0.01 if is_mul else 0.06], zero_point=2)
    options = fb.MulOptionsT() if is_mul else fb.AddOptionsT()
    g.op(OP.MUL if is_mul else OP.ADD, [a, b], [out],
         OPTS.MulOptions if is_mul else OPTS.AddOptions, options)
    path = folder / f"{name}.tflite"
    path.write_bytes(g.finish([a, b], [out]))
    return path


def report(target: str, model: Path) -> None:
    options = RunOptions(project=ROOT, out_dir=ROOT / "tflm-test-out")
    result = profile(ProfileConfig(model, target, KERNEL_CHOICES["both"], options=options))
    for line in text_lines(result):
        print(line)
    print()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="qemu_cortexm3")
    parser.add_argument("--model", action="append", choices=[*SHARED_MODELS, *BUILT_MODELS])
    args = parser.parse_args()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name in args.model or [*SHARED_MODELS, *BUILT_MODELS]:
                model = SHARED_MODELS.get(name) or built_model(name, Path(tmp))
                if not model.is_file():
                    print(f"bench/ops.py: {model} not found (the shared models are test data "
                          "beside the checkout)", file=sys.stderr)
                    return 2
                report(args.target, model)
    except TflmTestError as exc:
        print(f"bench/ops.py: {exc}", file=sys.stderr)
        return int(exc.exit_code)
    return 0


if __name__ == "__main__":
    sys.exit(main())
