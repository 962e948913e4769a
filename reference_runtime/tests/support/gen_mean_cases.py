#!/usr/bin/env python3
"""Generate tests/support/mean_cases.h: MEAN cases whose expected outputs come from the
official TFLM interpreter (tflite_micro), run on single-op MEAN models built here.

Usage: .venv/bin/python reference_runtime/tests/support/gen_mean_cases.py

Each case is one MEAN model (input, constant int32 axes, output; ReducerOptions.keep_dims)
with seeded random inputs; the header holds the shapes, quantisation, inputs and TFLM's
outputs, so mean_test.c checks our kernel bit for bit without Python. Needs tflite_micro
(in the venv) and its schema module, numpy and flatbuffers.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

import flatbuffers
import numpy as np
from tflite_micro.python.tflite_micro import runtime
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as fb

HERE = Path(__file__).resolve().parent
OUT = HERE / "mean_cases.h"
SEED = 12
TYPES = {"int8": (fb.TensorType.INT8, np.int8), "int16": (fb.TensorType.INT16, np.int16),
         "float32": (fb.TensorType.FLOAT32, np.float32)}


@dataclass(frozen=True)
class Case:
    name: str
    dtype: str
    in_shape: tuple[int, ...]
    axes: tuple[int, ...]
    keep_dims: bool
    out_shape: tuple[int, ...]
    in_q: tuple[float, int] = (0.0, 0)   # scale, zero point (quantised types)
    out_q: tuple[float, int] = (0.0, 0)


CASES = [
    # At most 2 axes: TFLM's resolved-axis buffer (kMaxNumberOfReducedAxis) holds 2.
    # the 4D height/width mean of image models (TFLM's special float path)
    Case("Float4DAxes12KeepDims", "float32", (1, 3, 4, 5), (1, 2), True, (1, 1, 1, 5)),
    Case("FloatAxisNegativeNoKeepDims", "float32", (2, 3, 4), (-1, 0), False, (3,)),
    Case("Int8SameQuantisation", "int8", (1, 3, 4, 5), (1, 2), True, (1, 1, 1, 5),
         (0.05, -3), (0.05, -3)),
    Case("Int8Requantised", "int8", (1, 3, 4, 5), (1, 2), True, (1, 1, 1, 5),
         (0.05, -3), (0.02, 7)),
    Case("Int8Axis0DuplicateAxes", "int8", (4, 3, 2), (0, -3), False, (3, 2),
         (0.1, 10), (0.07, -20)),
    Case("Int8AllAxes", "int8", (6, 7), (1, 0), False, (), (0.1, 0), (0.003, 1)),
    Case("Int16Requantised", "int16", (1, 4, 4, 3), (1, 2), True, (1, 1, 1, 3),
         (0.001, 0), (0.0007, 0)),
    Case("Int16Axis1", "int16", (2, 5, 3), (1,), False, (2, 3), (0.002, 0), (0.002, 0)),
]


def quant(scale: float, zp: int) -> fb.QuantizationParametersT | None:
    if scale == 0.0:
        return None
    q = fb.QuantizationParametersT()
    q.scale, q.zeroPoint = [scale], [zp]
    return q


def tensor(shape: tuple[int, ...], ttype: int, buffer: int, q) -> fb.TensorT:
    t = fb.TensorT()
    t.shape, t.type, t.buffer, t.quantization = list(shape), ttype, buffer, q
    return t


def model(case: Case) -> bytes:
    ttype = TYPES[case.dtype][0]
    axes = fb.BufferT()
    axes.data = np.array(case.axes, dtype="<i4").tobytes()
    empty = fb.BufferT()
    sub = fb.SubGraphT()
    sub.tensors = [tensor(case.in_shape, ttype, 0, quant(*case.in_q)),
                   tensor((len(case.axes),), fb.TensorType.INT32, 1, None),
                   tensor(case.out_shape, ttype, 0, quant(*case.out_q))]
    sub.inputs, sub.outputs = [0], [2]
    op = fb.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, [0, 1], [2]
    op.builtinOptionsType = fb.BuiltinOptions.ReducerOptions
    op.builtinOptions = fb.ReducerOptionsT()
    op.builtinOptions.keepDims = case.keep_dims
    code = fb.OperatorCodeT()
    code.builtinCode = code.deprecatedBuiltinCode = fb.BuiltinOperator.MEAN
    code.version = 1
    m = fb.ModelT()
    sub.operators = [op]
    m.version, m.operatorCodes, m.subgraphs, m.buffers = 3, [code], [sub], [empty, axes]
    builder = flatbuffers.Builder(1024)
    builder.Finish(m.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def inputs(case: Case, rng: np.random.Generator) -> np.ndarray:
    dtype = TYPES[case.dtype][1]
    if case.dtype == "float32":
        return rng.uniform(-10, 10, case.in_shape).astype(dtype)
    info = np.iinfo(dtype)
    return rng.integers(info.min, info.max, case.in_shape, endpoint=True).astype(dtype)


def c_array(values: np.ndarray, dtype: str) -> str:
    flat = values.reshape(-1)
    if dtype == "float32":  # exact bit patterns
        return ", ".join(f"0x{v:08x}u" for v in flat.view(np.uint32))
    return ", ".join(str(int(v)) for v in flat)


def case_source(i: int, case: Case, x: np.ndarray, y: np.ndarray) -> tuple[str, str]:
    ctype = {"int8": "int8_t", "int16": "int16_t", "float32": "uint32_t"}[case.dtype]
    defs = (f"static const {ctype} mean_case{i}_in[] = {{{c_array(x, case.dtype)}}};\n"
            f"static const {ctype} mean_case{i}_out[] = {{{c_array(y, case.dtype)}}};")
    shape = lambda s: "{" + ", ".join(str(v) for v in (len(s), *s)) + "}"  # noqa: E731
    axes = "{" + ", ".join(str(a) for a in case.axes) + "}"
    row = (f'  {{"{case.name}", TM_TYPE_{case.dtype.upper()}, {shape(case.in_shape)}, '
           f"{len(case.axes)}, {axes}, {int(case.keep_dims)}, {shape(case.out_shape)}, "
           f"{case.in_q[0]!r}f, {case.in_q[1]}, {case.out_q[0]!r}f, {case.out_q[1]}, "
           f"mean_case{i}_in, mean_case{i}_out}},")
    return defs, row


def main() -> int:
    rng = np.random.default_rng(SEED)
    defs, rows = [], []
    for i, case in enumerate(CASES):
        x = inputs(case, rng)
        interp = runtime.Interpreter.from_bytes(model(case), arena_size=16384)
        interp.set_input(x, 0)
        interp.invoke()
        d, r = case_source(i, case, x, np.asarray(interp.get_output(0)))
        defs.append(d)
        rows.append(r)
    OUT.write_text("\n".join([
        "/* Generated by tests/support/gen_mean_cases.py from tflite_micro "
        "(the official TFLM interpreter); do not edit. */",
        "#ifndef MEAN_CASES_H", "#define MEAN_CASES_H", "", "#include <stdint.h>", "",
        '#include "tm_tensor.h"', "",
        "typedef struct {", "  const char *name;", "  tm_type type;", "  int in_shape[7];",
        "  int num_axes;", "  int32_t axes[4];", "  int keep_dims;", "  int out_shape[7];",
        "  float in_scale;", "  int32_t in_zp;", "  float out_scale;", "  int32_t out_zp;",
        "  const void *in, *out; /* float32 as bit patterns */", "} mean_case;", "",
        *defs, "", "static const mean_case kMeanCases[] = {", *rows, "};", "", "#endif", ""]))
    print(f"wrote {OUT} ({len(CASES)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
