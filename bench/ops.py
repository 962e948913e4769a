#!/usr/bin/env python3
"""Guest instructions per operator on Cortex-M3, reference vs optimised int8 kernels, on the
shared models that exercise the optimised ops (person_detect: CONV_2D 1x1, DEPTHWISE_CONV_2D,
AVERAGE_POOL_2D, SOFTMAX; test_conv_model: CONV_2D 3x3, MAX_POOL_2D, FULLY_CONNECTED;
simple_add_model: ADD) and on two single-op models built here, since no shared model has an
int8 MUL or a broadcasting int8 ADD ([1,24,24,16] by [1,1,1,16], a per-channel scale).

Each model runs once through the verify program (apps/verify, the interpreter and a resolver
with exactly the model's kernels) built twice: with the reference registrations
(tm_kernel_<op>_int8) and with the optimised ones (tm_kernel_<op>_int8_opt) wherever the
runtime has one. The QEMU instruction-count plugin marks the entry of every registered
kernel's invoke (read from the kernel table with gdb): an operator's figure runs from its
invoke's entry to the next operator's (the last one's to the first log line after it), so
it includes the interpreter's few instructions between two operators. Both sets' outputs are
checked against the official TFLM output of the case (the shared golden file; for the built
models, tflite_micro on seeded random inputs). Prints figures and ratios only.

Usage: .venv/bin/python bench/ops.py [--target qemu_cortexm3] [--model person_detect ...]
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from tflm_test.elf import symbol_addresses
from tflm_test.golden import GoldenCase, TensorValue, load_golden
from tflm_test.oracle import expected_outputs
from tflm_test.runners.base import RunnerConfig, RunRequest
from tflm_test.runners.icount import MARKS
from tflm_test.runners.qemu import QemuRunner
from tflm_test.targets import load_boards
from tflm_test.testlog import final_line_rule
from tflm_test.tflite_model import parse_model
from tflm_test.verify import kernels_for
from tflm_test.verify_app import (AppCase, Kernel, generate_source, registered_symbol,
                                 supported_kernels)
from tflm_test.verify_compare import parse_outputs

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "reference_runtime"
SHARED = Path("/work/shared/models")
SHARED_MODELS = {"person_detect": SHARED / "more" / "person_detect.tflite",
                 "test_conv_model": SHARED / "test_conv_model.tflite",
                 "simple_add_model": SHARED / "simple_add_model.tflite"}
BUILT_MODELS = ("mul_int8_broadcast", "add_int8_broadcast")
SETS = ("reference", "optimized")
ARENA = 256 * 1024  # QEMU's boards have 4 MB of RAM
_OP_NAME = re.compile(r"\bTM_OP_(?P<name>[A-Z0-9_]+)\s*=\s*(?P<code>\d+)")
_POINTER = re.compile(r"= (?:\([^)]*\)\s*)?0x(?P<addr>[0-9a-f]+)")


@dataclass(frozen=True)
class BenchModel:
    name: str
    data: bytes
    case: GoldenCase  # inputs and TFLM's outputs


@dataclass(frozen=True)
class Run:
    per_op: Counter  # op name -> instructions
    matches_golden: bool


def optimized(kernels: tuple[Kernel, ...]) -> tuple[Kernel, ...]:
    """The same kernels with int8 operators on the optimised registration where one exists."""
    ops_h = (RUNTIME / "include" / "tm_ops.h").read_text()
    return tuple(replace(k, int8_symbol=f"{k.int8_symbol}_opt")
                 if k.int8_symbol and re.search(rf"\b{k.int8_symbol}_opt\b", ops_h) else k
                 for k in kernels)


def build(target: str, name: str, source: str) -> Path:
    app_dir = RUNTIME / "gen" / target / "apps" / name
    app_dir.mkdir(parents=True, exist_ok=True)
    data = app_dir / "verify_data.c"
    if not data.exists() or data.read_text() != source:
        data.write_text(source)
    subprocess.run(["make", "-s", "-C", str(RUNTIME), "-j2", f"TARGET={target}", "app",
                    f"APP_NAME={name}", f"APP_DIR={app_dir}",
                    "APP_SRCS=apps/verify/verify_main.c"], check=True, stdout=subprocess.DEVNULL)
    return RUNTIME / "gen" / target / "bin" / "apps" / f"{name}.elf"


def invoke_addresses(elf: Path, symbols: list[str]) -> dict[str, int]:
    """Kernel symbol -> where its invoke starts (Thumb bit cleared)."""
    argv = ["gdb-multiarch", "-batch", "-nx", str(elf)]
    for s in symbols:
        argv += ["-ex", f"print/x {s}.invoke"]
    out = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
    found = [int(m["addr"], 16) & ~1 for m in _POINTER.finditer(out)]
    if len(found) != len(symbols):
        raise SystemExit(f"{elf}: gdb printed {len(found)} invoke pointers for "
                         f"{len(symbols)} kernels:\n{out}")
    return dict(zip(symbols, found))


def per_op(marks: list[tuple[int, int]], invokes: set[int], end: int,
           op_names: list[str]) -> Counter:
    """Instructions per operator from the arrivals at invoke entries and the end mark."""
    counts: Counter = Counter()
    starts = [count for addr, count in marks if addr in invokes]
    after = [count for addr, count in marks if addr == end and starts and count > starts[-1]]
    if len(starts) != len(op_names) or not after:
        raise SystemExit(f"{len(starts)} invokes for {len(op_names)} operators")
    for name, start, stop in zip(op_names, starts, starts[1:] + after[:1]):
        counts[name] += stop - start
    return counts


def shared_model(name: str) -> BenchModel:
    """A shared model with the first case of its golden file (golden/<stem>.json beside it)."""
    path = SHARED_MODELS[name]
    return BenchModel(name, path.read_bytes(),
                      load_golden(path.parent / "golden" / f"{path.stem}.json").cases[0])


def built_model(name: str) -> BenchModel:
    """An int8 MUL or ADD of [1,24,24,16] by [1,1,1,16], written with the int16 test models'
    builder (tools/gen_int16_models.py), its output from tflite_micro."""
    sys.path.insert(0, str(RUNTIME / "tools"))
    import numpy as np
    from gen_int16_models import OP, OPTS, Graph, T, fb

    is_mul = name.startswith("mul")
    g = Graph()
    a = g.tensor([1, 24, 24, 16], T.INT8, [0.05], zero_point=-3)
    b = g.tensor([1, 1, 1, 16], T.INT8, [0.02], zero_point=5)
    out = g.tensor([1, 24, 24, 16], T.INT8, [0.01 if is_mul else 0.06], zero_point=2)
    options = fb.MulOptionsT() if is_mul else fb.AddOptionsT()
    g.op(OP.MUL if is_mul else OP.ADD, [a, b], [out],
         OPTS.MulOptions if is_mul else OPTS.AddOptions, options)
    data = g.finish([a, b], [out])
    rng = np.random.default_rng(13)
    inputs = tuple(TensorValue(shape, "int8", tuple(int(v) for v in rng.integers(-128, 128, n)))
                   for shape, n in (((1, 24, 24, 16), 24 * 24 * 16), ((1, 1, 1, 16), 16)))
    (case,) = expected_outputs(data, parse_model(data), [GoldenCase("random_0", inputs, None)],
                               name, 120.0)
    return BenchModel(name, data, case)


def measure(target: str, model: BenchModel, kernel_set: str) -> Run:
    info = parse_model(model.data)
    kernels = kernels_for(info, supported_kernels(RUNTIME), model.name)
    kernels = optimized(kernels) if kernel_set == "optimized" else kernels
    case = model.case
    source = generate_source(model.data, model.name, kernels,
                             [AppCase(case.name, tuple(v.to_bytes() for v in case.inputs))], ARENA)
    elf = build(target, f"bench_ops_{model.name}_{kernel_set}", source)
    invokes = invoke_addresses(elf, [registered_symbol(k, info) for k in kernels])
    (end,) = symbol_addresses(elf, ["tm_log"])
    board = load_boards().get(target)
    runner = QemuRunner(board, board.emulators[0], RunnerConfig())
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "out.log"
        outcome = runner.run(RunRequest(elf, log, Path(tmp), 900.0, final_line_rule(), 2.0,
                                        marks=(*sorted(set(invokes.values())), end)))
        printed = parse_outputs(log.read_text(errors="replace").splitlines())
    names = [op.code.name for op in info.operators]
    counts = per_op(list(outcome.extras.get(MARKS, ())), set(invokes.values()), end, names)
    want = [v.to_bytes() for v in case.outputs or ()]
    got = [bytes(printed[0].outputs.get(i, b"")) for i in range(len(want))] if printed else []
    return Run(counts, bool(want) and got == want)


def report(target: str, model: BenchModel) -> None:
    ref, opt = (measure(target, model, s) for s in SETS)
    print(f"{target}: {model.name}, guest instructions per Invoke (outputs equal TFLM's: "
          f"reference {'yes' if ref.matches_golden else 'NO'}, "
          f"optimized {'yes' if opt.matches_golden else 'NO'})")
    print(f"  {'op':20} {'reference':>13} {'optimized':>13} {'ratio':>7}")
    for op in sorted(ref.per_op, key=lambda o: -ref.per_op[o]):
        r, o = ref.per_op[op], opt.per_op.get(op, 0)
        print(f"  {op:20} {r:13,} {o:13,} {r / o if o else 0:6.2f}x")
    r, o = sum(ref.per_op.values()), sum(opt.per_op.values())
    print(f"  {'total':20} {r:13,} {o:13,} {r / o if o else 0:6.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", default="qemu_cortexm3")
    parser.add_argument("--model", action="append", choices=[*SHARED_MODELS, *BUILT_MODELS])
    args = parser.parse_args()
    for name in args.model or [*SHARED_MODELS, *BUILT_MODELS]:
        report(args.target, shared_model(name) if name in SHARED_MODELS else built_model(name))
    return 0


if __name__ == "__main__":
    sys.exit(main())
