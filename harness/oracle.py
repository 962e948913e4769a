"""Inputs and expected outputs when no golden file is given: seeded random inputs from the
model's input details (stdlib only), and expected outputs from the official TFLM
interpreter (the `tflite_micro` PyPI package) when it is importable.

Random values follow the golden files' rules: integers over the dtype's full range; floats
uniform over the input's real range, which is the representable range of the QUANTIZE that
consumes the input, or [-1, 1) when none does.
"""

from __future__ import annotations

import logging
import random
import struct
from collections.abc import Sequence
from pathlib import Path

from .errors import TflmTestError
from .golden import GoldenCase, TensorValue
from .tflite_model import ModelInfo, TensorInfo

log = logging.getLogger(__name__)

RANDOM_CASES = 4
_INT_RANGES = {"int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767),
               "uint16": (0, 65535), "int32": (-2**31, 2**31 - 1), "uint32": (0, 2**32 - 1),
               "int64": (-2**63, 2**63 - 1), "bool": (0, 1)}
_FLOAT_DEFAULT = (-1.0, 1.0)
ORACLE_ARENA = 8 << 20  # tflite_micro's default arena is too small for e.g. simple_add_model


def _float_range(model: ModelInfo, tensor: TensorInfo) -> tuple[float, float]:
    for op in model.operators:
        if op.code.name == "QUANTIZE" and op.inputs[:1] == (tensor.index,) and op.outputs:
            out = model.tensors[op.outputs[0]]
            lo, hi = _INT_RANGES.get(out.dtype, (None, None))
            if out.scale and out.zero_point and lo is not None:
                scale, zp = out.scale[0], out.zero_point[0]
                return (lo - zp) * scale, (hi - zp) * scale
    return _FLOAT_DEFAULT


def _random_tensor(rng: random.Random, model: ModelInfo, tensor: TensorInfo) -> TensorValue:
    n = tensor.elements
    if tensor.dtype in _INT_RANGES:
        lo, hi = _INT_RANGES[tensor.dtype]
        data: tuple = tuple(rng.randint(lo, hi) for _ in range(n))
    elif tensor.dtype == "float32":
        lo_f, hi_f = _float_range(model, tensor)
        # rounded to float32 so the printed value is the exact input
        data = tuple(struct.unpack("<f", struct.pack("<f", rng.uniform(lo_f, hi_f)))[0]
                     for _ in range(n))
    else:
        raise TflmTestError(f"input {tensor.index} ({tensor.name}): cannot make random "
                            f"{tensor.dtype} values")
    return TensorValue(tensor.shape, tensor.dtype, data)


def random_cases(model: ModelInfo, seed: int, count: int = RANDOM_CASES) -> list[GoldenCase]:
    """Seeded random inputs for every model input; no expected outputs.

    Args:
        model: the decoded model.
        seed: the same seed gives the same inputs on every machine.
        count: cases to make.
    Returns:
        Cases random_0..random_<count-1> with outputs None.
    Raises:
        TflmTestError: an input dtype we cannot generate.
    """
    cases = []
    for i in range(count):
        rng = random.Random(f"tflm-test verify {seed} {i}")
        inputs = tuple(_random_tensor(rng, model, t) for t in model.inputs)
        cases.append(GoldenCase(f"random_{i}", inputs, None,
                                source=f"random.Random('tflm-test verify {seed} {i}')"))
    return cases


def oracle_version() -> str | None:
    """'tflite-micro <version>' when the official interpreter is importable, else None."""
    try:
        from importlib.metadata import version

        import tflite_micro  # noqa: F401
    except ImportError:
        return None
    try:
        return f"tflite-micro {version('tflite-micro')}"
    except Exception:  # installed without metadata (a source build)
        return "tflite-micro (unknown version)"


def expected_outputs(model_path: Path, model: ModelInfo,
                     cases: Sequence[GoldenCase]) -> list[GoldenCase]:
    """The cases with outputs computed by tflite_micro, a fresh interpreter per case (as the
    golden files were made).

    Args:
        model_path: the .tflite file.
        model: its decoding (for the number of outputs).
        cases: inputs to run.
    Returns:
        The same cases with outputs filled in.
    Raises:
        TflmTestError: tflite_micro is missing or cannot run the model.
    """
    try:
        import numpy as np
        from tflite_micro import runtime
    except ImportError as exc:
        raise TflmTestError(f"the reference interpreter is not available ({exc})") from exc
    done = []
    for case in cases:
        try:
            interp = runtime.Interpreter.from_file(str(model_path), arena_size=ORACLE_ARENA)
            for i, value in enumerate(case.inputs):
                interp.set_input(np.array(value.data, dtype=value.dtype).reshape(value.shape), i)
            interp.invoke()
            arrays = [interp.get_output(i) for i in range(len(model.outputs))]
        except (RuntimeError, ValueError) as exc:
            raise TflmTestError(f"tflite_micro cannot run {model_path.name}: {exc}") from exc
        outputs = tuple(TensorValue(tuple(a.shape), str(a.dtype), tuple(a.flatten().tolist()))
                        for a in arrays)
        done.append(GoldenCase(case.name, case.inputs, outputs, source=case.source))
    return done
