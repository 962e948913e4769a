"""Inputs and expected outputs when no golden file is given: seeded random inputs from the
model's input details (stdlib only), and expected outputs from the official TFLM
interpreter (the `tflite_micro` PyPI package) when it is installed, run in a child process
(oracle_child) so that a model which crashes or hangs it costs that process, not tflm-test.

Random values follow the golden files' rules: integers over the dtype's full range; floats
uniform over the input's real range, which is the representable range of the QUANTIZE that
consumes the input, or [-1, 1) when none does.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import math
import random
import signal
import struct
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from .errors import OracleFailed, TflmTestError
from .golden import FORMATS, INT_RANGES, GoldenCase, TensorValue
from .oracle_child import EXIT_UNAVAILABLE
from .runners.process import spawn, stop_process
from .tflite_model import ModelInfo, TensorInfo

log = logging.getLogger(__name__)

RANDOM_CASES = 4
_FLOAT_DEFAULT = (-1.0, 1.0)
ORACLE_ARENA = 8 << 20  # tflite_micro's default arena is too small for e.g. simple_add_model
ORACLE_MODULE = "tflm_test.oracle_child"


def _float_range(model: ModelInfo, tensor: TensorInfo) -> tuple[float, float]:
    for op in model.operators:
        if op.code.name == "QUANTIZE" and op.inputs[:1] == (tensor.index,) and op.outputs:
            out = model.tensors[op.outputs[0]]
            lo, hi = INT_RANGES.get(out.dtype, (None, None))
            if out.scale and out.zero_point and lo is not None:
                scale, zp = out.scale[0], out.zero_point[0]
                return (lo - zp) * scale, (hi - zp) * scale
    return _FLOAT_DEFAULT


def _random_tensor(rng: random.Random, model: ModelInfo, tensor: TensorInfo) -> TensorValue:
    n = tensor.elements
    if tensor.dtype in INT_RANGES:
        lo, hi = INT_RANGES[tensor.dtype]
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
    """'tflite-micro <version>' when the official interpreter is installed, else None.

    Only looked up, never imported: tflite_micro runs in oracle_child's process.
    """
    if importlib.util.find_spec("tflite_micro") is None:
        return None
    try:
        return f"tflite-micro {metadata.version('tflite-micro')}"
    except metadata.PackageNotFoundError:  # installed without metadata (a source build)
        return "tflite-micro (unknown version)"


def _json_tensor(value: TensorValue) -> dict[str, Any]:
    return {"shape": list(value.shape), "dtype": value.dtype, "hex": value.to_bytes().hex()}


def _run_child(argv: list[str], log_path: Path, timeout_s: float) -> int | None:
    """Run argv in its own process group, tied to our life (runners.process.spawn), output
    to log_path.

    Returns:
        Its exit status (negative: the signal that killed it), or None when it was still
        running after timeout_s. Whatever happens, Ctrl-C (KeyboardInterrupt) included, the
        child's group is stopped before this returns or raises.
    """
    with log_path.open("wb") as out:
        proc = spawn(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)
    try:
        return proc.wait(timeout=timeout_s)
    except subprocess.TimeoutExpired:
        return None
    finally:
        stop_process(proc)


def _answer_tensor(raw: Any) -> TensorValue:
    shape, dtype = tuple(raw["shape"]), raw["dtype"]
    if dtype not in FORMATS or not all(isinstance(d, int) and d >= 0 for d in shape):
        raise ValueError(f"tensor {shape} {dtype!r}")
    data = bytes.fromhex(raw["hex"])
    value = TensorValue.from_bytes(shape, dtype, data)
    if len(value.to_bytes()) != len(data) or len(value.data) != math.prod(shape):
        raise ValueError(f"{len(data)} bytes for a {dtype} tensor of shape {list(shape)}")
    return value


def _read_answer(path: Path, cases: int, outputs: int) -> list[tuple[TensorValue, ...]]:
    """The outputs of every case from oracle_child's ANSWER.

    Raises:
        ValueError: missing, not JSON, or not one tensor per output per case.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if len(raw["cases"]) != cases or any(len(c) != outputs for c in raw["cases"]):
            raise ValueError(f"not {outputs} outputs for each of {cases} cases")
        return [tuple(_answer_tensor(t) for t in case) for case in raw["cases"]]
    except (OSError, KeyError, TypeError, AttributeError) as exc:
        raise ValueError(repr(exc)) from exc


def _failure(status: int | None, answer: Path, log_path: Path, name: str,
             timeout_s: float) -> TflmTestError:
    """The one-line error for an oracle_child that did not answer."""
    if status is None:
        return OracleFailed(f"{name}: tflite_micro did not finish within {timeout_s:g} s "
                            "(--timeout); stopped it")
    if status < 0:
        return OracleFailed(f"{name}: tflite_micro crashed on it ({_signal_name(-status)})")
    if status == EXIT_UNAVAILABLE:
        return TflmTestError(f"the reference interpreter is not usable: "
                             f"{_last_line(log_path) or f'exit status {status}'}")
    said = _last_line(log_path)
    try:
        why = str(json.loads(answer.read_text(encoding="utf-8"))["error"])
    except (OSError, ValueError, KeyError, TypeError):
        return OracleFailed(f"{name}: tflite_micro exited with status {status}: "
                            f"{said or 'no output'}")
    # TFLM prints its own reason (e.g. "Dynamic tensors are not supported") before raising
    return OracleFailed(f"{name}: tflite_micro cannot run it: {why}"
                        + (f" (TFLM: {said})" if said else ""))


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _last_line(path: Path) -> str:
    """The last non-blank line of a log, at most 200 characters ('' when there is none)."""
    lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
    return next((ln.strip()[:200] for ln in reversed(lines) if ln.strip()), "")


def expected_outputs(data: bytes, model: ModelInfo, cases: Sequence[GoldenCase], name: str,
                     timeout_s: float) -> list[GoldenCase]:
    """The cases with outputs computed by tflite_micro in a child process (oracle_child).

    Args:
        data: the .tflite bytes verify checked (the oracle runs exactly these).
        model: their decoding (for the number of outputs).
        cases: inputs to run.
        name: the model's file name, for messages.
        timeout_s: wall-clock limit for all cases together.
    Returns:
        The same cases with outputs filled in.
    Raises:
        OracleFailed: tflite_micro crashed, hung, failed or answered nonsense (exit 1).
        TflmTestError: tflite_micro or numpy cannot be imported.
    """
    with tempfile.TemporaryDirectory(prefix="tflm-test-oracle-") as tmp:
        work = Path(tmp)
        (work / "model.tflite").write_bytes(data)
        request = {"model": str(work / "model.tflite"), "arena": ORACLE_ARENA,
                   "outputs": len(model.outputs),
                   "cases": [{"inputs": [_json_tensor(v) for v in c.inputs]} for c in cases]}
        (work / "request.json").write_text(json.dumps(request), encoding="utf-8")
        answer, log_path = work / "answer.json", work / "oracle.log"
        argv = [sys.executable, "-m", ORACLE_MODULE, str(work / "request.json"), str(answer)]
        status = _run_child(argv, log_path, timeout_s)
        if status != 0:
            raise _failure(status, answer, log_path, name, timeout_s)
        try:
            outputs = _read_answer(answer, len(cases), len(model.outputs))
        except ValueError as exc:
            raise OracleFailed(f"{name}: tflite_micro's answer is malformed ({exc})") from exc
    return [GoldenCase(c.name, c.inputs, out, source=c.source) for c, out in zip(cases, outputs)]
