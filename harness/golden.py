"""Golden vectors: the JSON format of shared/models/golden/*.json (described in
tests/data/models/README.md) as frozen dataclasses, and tensor values packed into the
little-endian bytes the targets use.

    {"model": "...", "model_sha256": "...", "interpreter": "...", "labels": [...],
     "arena": {"arena_used_bytes": 7584, ...},
     "cases": [{"name": "random_0", "inputs": [{"shape": [1, 1960], "dtype": "int8",
                "data": [...]}], "outputs": [...], "expected_label": "yes"}]}

Floats are the exact repr of a float32: parsed as double and packed as float32 they give the
golden bits back.
"""

from __future__ import annotations

import json
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


def _tensor(raw: dict[str, Any], where: str) -> TensorValue:
    shape = tuple(int(d) for d in raw["shape"])
    data = tuple(raw["data"])
    count = 1
    for dim in shape:
        count *= dim
    if len(data) != count:
        raise TflmTestError(f"{where}: shape {list(shape)} needs {count} values, has {len(data)}")
    return TensorValue(shape, str(raw["dtype"]), data)


def _case(raw: dict[str, Any], where: str) -> GoldenCase:
    name = str(raw["name"])
    at = f"{where} case {name}"
    return GoldenCase(
        name=name,
        inputs=tuple(_tensor(t, f"{at} input {i}") for i, t in enumerate(raw["inputs"])),
        outputs=tuple(_tensor(t, f"{at} output {i}") for i, t in enumerate(raw["outputs"])),
        expected_label=raw.get("expected_label"), source=str(raw.get("source", "")))


def parse_golden(raw: dict[str, Any], where: str = "golden") -> Golden:
    """Build a Golden from decoded JSON.

    Args:
        raw: the decoded JSON document.
        where: how messages name the source (usually the file path).
    Returns:
        The golden file's cases and facts.
    Raises:
        TflmTestError: a required key is missing or a tensor's data does not match its shape.
    """
    try:
        cases = tuple(_case(c, where) for c in raw["cases"])
        arena = raw.get("arena") or {}
        return Golden(model=str(raw.get("model", "")), model_sha256=raw.get("model_sha256"),
                      interpreter=str(raw.get("interpreter", "")),
                      labels=tuple(raw.get("labels", ())),
                      arena_used_bytes=arena.get("arena_used_bytes"), cases=cases)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise TflmTestError(f"{where}: not a golden vector file ({exc!r})") from exc


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
