"""Golden vectors: the JSON format of shared/models/golden/*.json (described in
tests/data/models/README.md) as frozen dataclasses, and tensor values packed into the
little-endian bytes the targets use.

    {"model": "...", "model_sha256": "...", "interpreter": "...", "labels": [...],
     "arena": {"arena_used_bytes": 7584, ...},
     "cases": [{"name": "random_0", "inputs": [{"shape": [1, 1960], "dtype": "int8",
                "data": [...]}], "outputs": [...], "expected_label": "yes"}]}

Floats are the exact repr of a float32: parsed as double and packed as float32 they give the
golden bits back.

Two kinds of bad golden file, two exit codes:
  malformed (TflmTestError, exit 2: fix the file): parse_golden rejects anything that is not
    this format: wrong types, a value that is not a number of its dtype or outside its range,
    data that does not fill its shape, a case without outputs, duplicate case names, and
    names that cannot travel through the target's "Testing <name>" line.
  not for this model (ModelRejected, exit 1, like a model the target cannot run): a
    well-formed file whose input or output count, dtype or shape differs from the model's
    (checked by verify before anything is built).
Every message is one line naming the file, the case and the tensor.
"""

from __future__ import annotations

import json
import math
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import TflmTestError

# numpy dtype name -> struct format of one little-endian element
FORMATS: dict[str, str] = {
    "int8": "b", "uint8": "B", "int16": "h", "uint16": "H", "int32": "i", "uint32": "I",
    "int64": "q", "uint64": "Q", "float16": "e", "float32": "f", "float64": "d", "bool": "?",
}
INT_RANGES: dict[str, tuple[int, int]] = {
    "int8": (-128, 127), "uint8": (0, 255), "int16": (-32768, 32767), "uint16": (0, 65535),
    "int32": (-2**31, 2**31 - 1), "uint32": (0, 2**32 - 1), "int64": (-2**63, 2**63 - 1),
    "uint64": (0, 2**64 - 1), "bool": (0, 1)}
# TM_LOG_LINE_MAX (256, include/tm_log.h) minus "Testing " and the terminating NUL
MAX_CASE_NAME_BYTES = 256 - len("Testing ") - 1


@dataclass(frozen=True)
class TensorValue:
    shape: tuple[int, ...]
    dtype: str
    data: tuple[int | float, ...]  # flattened, row-major

    def to_bytes(self) -> bytes:
        """The values as the target stores them (little-endian, packed).

        Raises:
            TflmTestError: a dtype without a known element format.
        """
        if self.dtype not in FORMATS:
            raise TflmTestError(f"tensors of dtype {self.dtype} are not supported")
        return struct.pack(f"<{len(self.data)}{FORMATS[self.dtype]}", *self.data)

    @classmethod
    def from_bytes(cls, shape: tuple[int, ...], dtype: str, raw: bytes) -> TensorValue:
        """Unpack little-endian bytes (as a target printed them) into values."""
        fmt = FORMATS[dtype]
        count = len(raw) // struct.calcsize(fmt)
        used = raw[:count * struct.calcsize(fmt)]
        return cls(shape, dtype, struct.unpack(f"<{count}{fmt}", used))


@dataclass(frozen=True)
class GoldenCase:
    name: str
    inputs: tuple[TensorValue, ...]
    outputs: tuple[TensorValue, ...] | None  # None: no expected outputs known
    expected_label: str | None = None
    source: str = ""


@dataclass(frozen=True)
class Golden:
    model: str
    model_sha256: str | None
    interpreter: str
    labels: tuple[str, ...]
    arena_used_bytes: int | None  # what TFLM reported, for comparison
    cases: tuple[GoldenCase, ...]
    arena_tail_bytes: int | None = None  # of those, TFLM's persistent part


def value_problem(value: Any, dtype: str) -> str | None:
    """Why a JSON value cannot be an element of a dtype tensor, or None when it can.

    Integer dtypes take integers within their range (bool: true/false or 0/1); float dtypes
    take any number the dtype can hold (NaN and infinities included).
    """
    if dtype == "bool":
        ok = isinstance(value, bool) or (type(value) is int and value in (0, 1))
        return None if ok else "is not a bool (true, false, 0 or 1)"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return "is not a number"
    if dtype in INT_RANGES:
        lo, hi = INT_RANGES[dtype]
        if not isinstance(value, int):
            return f"is not an integer ({dtype})"
        return None if lo <= value <= hi else f"is outside {dtype}'s range {lo}..{hi}"
    try:
        struct.pack(f"<{FORMATS[dtype]}", value)
    except (OverflowError, struct.error):
        return f"is outside {dtype}'s range"
    return None


def _tensor(raw: Any, where: str) -> TensorValue:
    if not isinstance(raw, dict):
        raise TflmTestError(f"{where}: not a tensor object")
    shape, dtype, data = raw.get("shape"), raw.get("dtype"), raw.get("data")
    if not isinstance(shape, list) or not all(type(d) is int and d >= 0 for d in shape):
        raise TflmTestError(f"{where}: shape {shape!r} is not a list of sizes")
    if not isinstance(dtype, str) or dtype not in FORMATS:
        raise TflmTestError(f"{where}: dtype {dtype!r} is not one of {', '.join(FORMATS)}")
    if not isinstance(data, list):
        raise TflmTestError(f"{where}: data is not a list")
    if len(data) != math.prod(shape):
        raise TflmTestError(f"{where}: shape {shape} needs {math.prod(shape)} values, "
                            f"has {len(data)}")
    for i, value in enumerate(data):
        if (problem := value_problem(value, dtype)) is not None:
            raise TflmTestError(f"{where}: value {i} ({value!r}) {problem}")
    return TensorValue(tuple(shape), dtype, tuple(data))


def _tensors(raw: Any, where: str, kind: str) -> tuple[TensorValue, ...]:
    if not isinstance(raw, list):
        raise TflmTestError(f"{where}: {kind}s is not a list")
    return tuple(_tensor(t, f"{where}: {kind} {i}") for i, t in enumerate(raw))


def case_name_problem(name: Any) -> str | None:
    """Why a case name cannot be used, or None.

    The name is printed by the target as "Testing <name>" and read back from that line
    (verify_compare), so it must be one printable line without surrounding white space
    that fits one tm_log line.
    """
    if not isinstance(name, str) or not name:
        return f"name {name!r} is not a non-empty string"
    if not name.isprintable():
        return f"name {name!r} has a control or unprintable character"
    if name.strip() != name:
        return f"name {name!r} starts or ends with white space"
    if len(name.encode()) > MAX_CASE_NAME_BYTES:
        return f"name is longer than {MAX_CASE_NAME_BYTES} bytes"
    return None


def _case(raw: Any, where: str, index: int) -> GoldenCase:
    if not isinstance(raw, dict):
        raise TflmTestError(f"{where}: case {index} is not an object")
    if (problem := case_name_problem(raw.get("name"))) is not None:
        raise TflmTestError(f"{where}: case {index}: {problem}")
    at = f"{where}: case {raw['name']}"
    inputs = _tensors(raw.get("inputs"), at, "input")
    outputs = _tensors(raw.get("outputs"), at, "output")
    if not outputs:
        raise TflmTestError(f"{at}: no outputs (nothing to compare)")
    label = raw.get("expected_label")
    if label is not None and not isinstance(label, str):
        raise TflmTestError(f"{at}: expected_label {label!r} is not a string")
    return GoldenCase(name=raw["name"], inputs=inputs, outputs=outputs, expected_label=label,
                      source=str(raw.get("source", "")))


def _optional(raw: dict[str, Any], key: str, kind: type, where: str) -> Any:
    value = raw.get(key)
    if value is not None and (not isinstance(value, kind) or isinstance(value, bool)):
        raise TflmTestError(f"{where}: {key} {value!r} is not a {kind.__name__}")
    return value


def parse_golden(raw: Any, where: str = "golden") -> Golden:
    """Build a Golden from decoded JSON, checking everything a run relies on.

    Args:
        raw: the decoded JSON document.
        where: how messages name the source (usually the file path).
    Returns:
        The golden file's cases and facts.
    Raises:
        TflmTestError: not in the golden format; the message names the case and tensor.
    """
    if not isinstance(raw, dict) or not isinstance(raw.get("cases"), list):
        raise TflmTestError(f"{where}: not a golden vector file (no \"cases\" list)")
    if not raw["cases"]:
        raise TflmTestError(f"{where}: no cases")
    cases = tuple(_case(c, where, i) for i, c in enumerate(raw["cases"]))
    names = [c.name for c in cases]
    if dup := next((n for n in names if names.count(n) > 1), None):
        raise TflmTestError(f"{where}: case name {dup} is used {names.count(dup)} times")
    labels = raw.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise TflmTestError(f"{where}: labels is not a list of strings")
    arena = _optional(raw, "arena", dict, where) or {}
    return Golden(model=str(raw.get("model", "")),
                  model_sha256=_optional(raw, "model_sha256", str, where),
                  interpreter=str(raw.get("interpreter", "")), labels=tuple(labels),
                  arena_used_bytes=_optional(arena, "arena_used_bytes", int, where),
                  cases=cases, arena_tail_bytes=_optional(arena, "tail", int, where))


def load_golden(path: Path) -> Golden:
    """Read and parse a golden JSON file.

    Args:
        path: the JSON file.
    Returns:
        Its cases.
    Raises:
        TflmTestError: unreadable, not JSON, or not in the golden format.
    """
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise TflmTestError(f"{path}: cannot read golden vectors ({exc})") from exc
    if not isinstance(raw, dict):
        raise TflmTestError(f"{path}: not a golden vector file (top level is not an object)")
    return parse_golden(raw, str(path))
