#!/usr/bin/env python3
"""Single-op 16x8 models (int16 activations, int8 weights) for the int16 kernels' tests.

    .venv/bin/python reference_runtime/tools/gen_int16_models.py OUT_DIR

Writes one .tflite per case below (tests/data/models/int16/ holds the committed output). The
expected outputs are not stored: tests/integration/test_verify.py runs each model through
`tflm-test verify` without a golden file, which compares our runtime on seeded random inputs
with the official TFLM interpreter (tflite_micro) bit for bit. Built with tflite_micro's own
schema (schema_py_generated) and the flatbuffers package; deterministic (fixed seeds).
"""

from __future__ import annotations

import sys
from pathlib import Path

import flatbuffers
import numpy as np
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as fb

T = fb.TensorType
OP = fb.BuiltinOperator
OPTS = fb.BuiltinOptions
_NP = {T.INT8: np.int8, T.INT16: np.int16, T.INT32: np.int32, T.INT64: np.int64,
       T.FLOAT32: np.float32}


class _AlignedBuilder(flatbuffers.Builder):
    """Constant data 16-byte aligned, as TFLM's converter writes it (force_align: 16)."""

    def CreateNumpyVector(self, x):  # noqa: N802 (flatbuffers' name)
        self.StartVector(x.itemsize, x.size, 16)
        self.head = self.head - x.nbytes
        self.Bytes[self.head:self.head + x.nbytes] = x.tobytes()
        self.vectorNumElems = x.size
        return self.EndVector()


class Graph:
    """One subgraph being built: tensors, buffers, one operator."""

    def __init__(self) -> None:
        self.model = fb.ModelT()
        self.model.version = 3
        self.model.buffers = [fb.BufferT()]
        self.model.operatorCodes = []
        self.sub = fb.SubGraphT()
        self.sub.tensors, self.sub.operators, self.sub.inputs, self.sub.outputs = [], [], [], []

    def tensor(self, shape: list[int], ttype: int, scale: list[float] | None = None,
               data: np.ndarray | None = None, qdim: int = 0, zero_point: int = 0) -> int:
        t = fb.TensorT()
        t.shape, t.type, t.name = np.array(shape, np.int32), ttype, f"t{len(self.sub.tensors)}"
        t.buffer = 0
        if data is not None:
            buf = fb.BufferT()
            buf.data = np.frombuffer(data.astype(_NP[ttype]).tobytes(), np.uint8)
            self.model.buffers.append(buf)
            t.buffer = len(self.model.buffers) - 1
        if scale is not None:
            q = fb.QuantizationParametersT()
            q.scale = np.array(scale, np.float32)
            q.zeroPoint = np.full(len(scale), zero_point, np.int64)
            q.quantizedDimension = qdim
            t.quantization = q
        self.sub.tensors.append(t)
        return len(self.sub.tensors) - 1

    def op(self, code: int, inputs: list[int], outputs: list[int], opt_type: int = 0,
           options: object = None) -> None:
        oc = fb.OperatorCodeT()
        oc.builtinCode, oc.deprecatedBuiltinCode, oc.version = code, min(code, 127), 1
        self.model.operatorCodes.append(oc)
        o = fb.OperatorT()
        o.opcodeIndex, o.inputs, o.outputs = 0, inputs, outputs
        o.builtinOptionsType, o.builtinOptions = opt_type, options
        self.sub.operators.append(o)

    def finish(self, inputs: list[int], outputs: list[int]) -> bytes:
        self.sub.inputs, self.sub.outputs = inputs, outputs
        self.model.subgraphs = [self.sub]
        builder = _AlignedBuilder(4096)
        builder.Finish(self.model.Pack(builder), file_identifier=b"TFL3")
        return bytes(builder.Output())


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def binary(code: int, opt_type: int, options: object, shape2: list[int]) -> bytes:
    g = Graph()
    a = g.tensor([1, 2, 3, 8], T.INT16, [0.0005])
    b = g.tensor(shape2, T.INT16, [0.0008])
    out = g.tensor([1, 2, 3, 8], T.INT16, [0.0011 if code == OP.ADD else 0.0002])
    g.op(code, [a, b], [out], opt_type, options)
    return g.finish([a, b], [out])


def add(activation: int) -> bytes:
    o = fb.AddOptionsT()
    o.fusedActivationFunction = activation
    return binary(OP.ADD, OPTS.AddOptions, o, [1, 1, 1, 8])


def mul() -> bytes:
    o = fb.MulOptionsT()
    return binary(OP.MUL, OPTS.MulOptions, o, [1, 2, 3, 8])


def conv(bias_type: int, depthwise: bool) -> bytes:
    r, g = _rng(7), Graph()
    oc = 6
    x = g.tensor([1, 7, 9, 3], T.INT16, [0.0009])
    fshape = [1, 3, 3, oc] if depthwise else [oc, 3, 3, 3]
    w = g.tensor(fshape, T.INT8, list(r.uniform(0.004, 0.02, oc)),
                 r.integers(-127, 128, fshape), qdim=3 if depthwise else 0)
    bias = r.integers(-40000, 40000, oc)
    bt = g.tensor([oc], bias_type, [0.0009 * 0.01] * oc, bias)
    out = g.tensor([1, 4, 5, oc], T.INT16, [0.002])
    if depthwise:
        o = fb.DepthwiseConv2DOptionsT()
        o.depthMultiplier = 2
        code, ot = OP.DEPTHWISE_CONV_2D, OPTS.DepthwiseConv2DOptions
    else:
        o, code, ot = fb.Conv2DOptionsT(), OP.CONV_2D, OPTS.Conv2DOptions
    o.padding, o.strideW, o.strideH = fb.Padding.SAME, 2, 2
    o.dilationWFactor = o.dilationHFactor = 1
    o.fusedActivationFunction = fb.ActivationFunctionType.RELU6 if depthwise else 0
    g.op(code, [x, w, bt], [out], ot, o)
    return g.finish([x], [out])


def fully_connected(bias_type: int) -> bytes:
    r, g = _rng(11), Graph()
    x = g.tensor([2, 20], T.INT16, [0.0007])
    w = g.tensor([5, 20], T.INT8, [0.01], r.integers(-127, 128, [5, 20]))
    bt = g.tensor([5], bias_type, [0.000007], r.integers(-30000, 30000, 5))
    out = g.tensor([2, 5], T.INT16, [0.0015])
    g.op(OP.FULLY_CONNECTED, [x, w, bt], [out], OPTS.FullyConnectedOptions,
         fb.FullyConnectedOptionsT())
    return g.finish([x], [out])


def unary(code: int, in_type: int, in_scale: float | None, out_type: int,
          out_scale: float | None) -> bytes:
    g = Graph()
    x = g.tensor([1, 4, 10], in_type, None if in_scale is None else [in_scale])
    out = g.tensor([1, 4, 10], out_type, None if out_scale is None else [out_scale])
    g.op(code, [x], [out])
    return g.finish([x], [out])


def softmax(in_type: int, in_scale: float, out_scale: float, out_zero_point: int) -> bytes:
    g = Graph()
    x = g.tensor([2, 3, 10], in_type, [in_scale])
    out = g.tensor([2, 3, 10], T.INT16, [out_scale], zero_point=out_zero_point)
    o = fb.SoftmaxOptionsT()
    o.beta = 0.8
    g.op(OP.SOFTMAX, [x], [out], OPTS.SoftmaxOptions, o)
    return g.finish([x], [out])


def average_pool() -> bytes:
    """A 16x8 op TFLM has and this runtime does not: the unsupported-type message's test."""
    g = Graph()
    x = g.tensor([1, 4, 4, 2], T.INT16, [0.001])
    out = g.tensor([1, 2, 2, 2], T.INT16, [0.001])
    o = fb.Pool2DOptionsT()
    o.padding, o.strideW, o.strideH, o.filterWidth, o.filterHeight = fb.Padding.VALID, 2, 2, 2, 2
    g.op(OP.AVERAGE_POOL_2D, [x], [out], OPTS.Pool2DOptions, o)
    return g.finish([x], [out])


MODELS = {
    "add_int16": lambda: add(0),
    "add_int16_relu": lambda: add(fb.ActivationFunctionType.RELU),
    "mul_int16": mul,
    "conv_2d_int16_bias64": lambda: conv(T.INT64, False),
    "conv_2d_int16_bias32": lambda: conv(T.INT32, False),
    "depthwise_conv_2d_int16": lambda: conv(T.INT64, True),
    "fully_connected_int16_bias64": lambda: fully_connected(T.INT64),
    "fully_connected_int16_bias32": lambda: fully_connected(T.INT32),
    "quantize_float32_int16": lambda: unary(OP.QUANTIZE, T.FLOAT32, None, T.INT16, 0.0004),
    "quantize_int16_int8": lambda: unary(OP.QUANTIZE, T.INT16, 0.0004, T.INT8, 0.03),
    "quantize_int16_int16": lambda: unary(OP.QUANTIZE, T.INT16, 0.0004, T.INT16, 0.0007),
    "quantize_int8_int16": lambda: unary(OP.QUANTIZE, T.INT8, 0.03, T.INT16, 0.0004),
    "quantize_int16_int32": lambda: unary(OP.QUANTIZE, T.INT16, 0.0004, T.INT32, 0.00003),
    "dequantize_int16": lambda: unary(OP.DEQUANTIZE, T.INT16, 0.0004, T.FLOAT32, None),
    "softmax_int16": lambda: softmax(T.INT16, 0.0005, 1 / 32768, 0),
    "softmax_int8_int16": lambda: softmax(T.INT8, 0.05, 1 / 65536, -32768),
    # input scale 2^-12 and 2^-11: the power-of-two paths; the others get a multiplier
    "logistic_int16_pot": lambda: unary(OP.LOGISTIC, T.INT16, 2**-12, T.INT16, 2**-15),
    "logistic_int16": lambda: unary(OP.LOGISTIC, T.INT16, 0.0007, T.INT16, 2**-15),
    "tanh_int16_pot": lambda: unary(OP.TANH, T.INT16, 2**-11, T.INT16, 2**-15),
    "tanh_int16": lambda: unary(OP.TANH, T.INT16, 0.0009, T.INT16, 2**-15),
    "unsupported_average_pool_2d_int16": average_pool,
}


def main(out_dir: str) -> None:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    for name, build in MODELS.items():
        (out / f"{name}.tflite").write_bytes(build())


if __name__ == "__main__":
    main(sys.argv[1])
