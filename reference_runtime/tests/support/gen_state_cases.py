#!/usr/bin/env python3
"""Generate the state-test models and expectations (tests/state_test.c) with the official TFLM
interpreter: several invokes on one interpreter (variable tensors carry over), then
interpreter.reset() and the first input again.

Usage (from reference_runtime/, with the project venv):
    ../.venv/bin/python tests/support/gen_state_cases.py [MORE_MODELS_DIR]

Writes tests/models/<name>.tflite for the single-op models cut out of shared models (an SVDF
alone needs no other op; the keyword models around it need int16 QUANTIZE/SOFTMAX) and
tests/support/state_cases.{c,h}. Needs tflite_micro (pip) and numpy.
"""
from __future__ import annotations

import sys
from pathlib import Path

import flatbuffers
import numpy as np
from tflite_micro.python.tflite_micro import runtime
from tflite_micro.tensorflow.lite.micro.python import schema_py_generated as schema

HERE = Path(__file__).resolve().parent
DEFAULT_MORE = HERE.parents[2].parent / "shared" / "models" / "more"
INVOKES = 3
SEED = 12
SPAN = 24
OUT_SCALE_FACTOR = float(sys.argv[2]) if len(sys.argv) > 2 else 16.0
# (test model name, source model, operator index to cut out or None for the whole model,
# factor on the cut operator's output scale). The keyword models' weights and biases are
# scrambled, so their SVDF outputs saturate and hardly depend on the input: the cut models
# get a zero bias and a coarser output scale, which keeps most outputs inside int8, where
# they show every arithmetic difference.
MODELS = [("svdf_int16_state", "keyword_scrambled.tflite", 1, OUT_SCALE_FACTOR),
          ("svdf_int8_state", "keyword_scrambled_8bit.tflite", 1, OUT_SCALE_FACTOR),
          ("trained_lstm_int8", "trained_lstm_int8.tflite", None, 1.0)]
CTYPES = {np.dtype("int8"): "int8_t", np.dtype("int16"): "int16_t", np.dtype("float32"): "float"}


def cut_operator(data: bytes, op_index: int, out_scale_factor: float) -> bytes:
    """A model holding only operator op_index of subgraph 0, its tensors and buffers."""
    model = schema.ModelT.InitFromPackedBuf(bytearray(data), 0)
    sg = model.subgraphs[0]
    op = sg.operators[op_index]
    used = [i for i in list(op.inputs) + list(op.outputs) if i >= 0]
    remap = {old: new for new, old in enumerate(dict.fromkeys(used))}
    buffers = [schema.BufferT()]
    tensors = []
    for old in remap:
        t = sg.tensors[old]
        if t.buffer and model.buffers[t.buffer].data is not None:
            buffers.append(model.buffers[t.buffer])
            t.buffer = len(buffers) - 1
        else:
            t.buffer = 0
        tensors.append(t)
    op.inputs = [remap[i] if i >= 0 else -1 for i in op.inputs]
    op.outputs = [remap[i] for i in op.outputs]
    sg.tensors, sg.operators = tensors, [op]
    sg.inputs = [remap[i] for i in op.inputs if i >= 0 and tensors[remap[i]].buffer == 0
                 and not tensors[remap[i]].isVariable]
    sg.outputs = list(op.outputs)
    for t in tensors:
        if t.type == schema.TensorType.INT32 and t.buffer:
            zeros = schema.BufferT()
            zeros.data = np.zeros(len(buffers[t.buffer].data), np.uint8)
            buffers[t.buffer] = zeros
    out_q = tensors[op.outputs[0]].quantization
    out_q.scale = [float(np.float32(x * out_scale_factor)) for x in out_q.scale]
    model.subgraphs, model.buffers = [sg], buffers
    model.operatorCodes = [model.operatorCodes[op.opcodeIndex]]
    op.opcodeIndex = 0
    model.signatureDefs, model.metadata = None, None
    builder = flatbuffers.Builder(len(data))
    builder.Finish(model.Pack(builder), file_identifier=b"TFL3")
    return bytes(builder.Output())


def random_input(details: dict, rng: np.random.Generator) -> np.ndarray:
    """Small values above the zero point: full-range inputs saturate these models' outputs,
    which would hide arithmetic differences."""
    dtype = np.dtype(details["dtype"])
    info = np.iinfo(dtype)
    zp = int(details["quantization_parameters"]["zero_points"][0])
    return rng.integers(zp, min(zp + SPAN, info.max) + 1, size=details["shape"], dtype=dtype)


def run(model: bytes, rng: np.random.Generator) -> tuple[list, list]:
    interp = runtime.Interpreter.from_bytes(model)
    inputs = [random_input(interp.get_input_details(0), rng) for _ in range(INVOKES)]
    outputs = []
    for x in inputs:
        interp.set_input(x, 0)
        interp.invoke()
        outputs.append(interp.get_output(0).copy())
    interp.reset()
    interp.set_input(inputs[0], 0)
    interp.invoke()
    outputs.append(interp.get_output(0).copy())
    return inputs, outputs


def c_array(name: str, a: np.ndarray) -> str:
    vals = [str(int(v)) for v in a.flatten()]
    rows = ",\n  ".join(", ".join(vals[i:i + 20]) for i in range(0, len(vals), 20))
    return f"static const {CTYPES[a.dtype]} {name}[] = {{\n  {rows}\n}};"


def emit(name: str, inputs: list, outputs: list) -> tuple[list[str], str]:
    lines = [c_array(f"{name}_in{i}", x) for i, x in enumerate(inputs)]
    lines += [c_array(f"{name}_out{i}", y) for i, y in enumerate(outputs)]
    ins = ", ".join(f"{name}_in{i}" for i in range(INVOKES))
    outs = ", ".join(f"{name}_out{i}" for i in range(INVOKES + 1))
    entry = (f'  {{"{name}", {name}_model, &{name}_model_len, {inputs[0].nbytes}u, '
             f"{outputs[0].nbytes}u, {{{ins}}}, {{{outs}}}}},")
    return lines, entry


def main(argv: list[str]) -> int:
    more = Path(argv[1]) if len(argv) > 1 else DEFAULT_MORE
    rng = np.random.default_rng(SEED)
    body, entries = [], []
    for name, source, op, factor in MODELS:
        data = (more / source).read_bytes()
        if op is not None:
            data = cut_operator(data, op, factor)
            (HERE.parent / "models" / f"{name}.tflite").write_bytes(data)
        inputs, outputs = run(data, rng)
        lines, entry = emit(name, inputs, outputs)
        body += lines
        entries.append(entry)
    version = getattr(runtime, "__version__", None) or "tflite-micro (pip)"
    src = [f"/* Generated by tests/support/gen_state_cases.py ({version}); do not edit. */",
           '#include "state_cases.h"', '#include "test_models.h"', "", *body, "",
           "const state_case state_cases[] = {", *entries, "};",
           f"const size_t num_state_cases = {len(entries)}u;", ""]
    (HERE / "state_cases.c").write_text("\n".join(src))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
