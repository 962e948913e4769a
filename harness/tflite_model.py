"""Read what verify needs from a .tflite file: operator codes, subgraph 0's tensors,
operators, inputs and outputs. Pure Python (stdlib), bounds-checked: a malformed file raises
MalformedModel naming what is wrong and where, never IndexError or struct.error.

Flatbuffer layout in four lines (https://flatbuffers.dev/internals/):
  root      u32 offset at byte 0 to the Model table; bytes 4..8 are the identifier "TFL3"
  table     i32 at its start: table_pos - vtable_pos; the vtable holds u16 vtable size,
            u16 table size, then one u16 offset per field (0 = absent, use the default)
  reference a u32 at the field, relative to the field's own position (tables, vectors, strings)
  vector    u32 element count, then the elements (references for tables and strings)
Fields read (tensorflow/lite/schema/schema.fbs, positions as in src/tm_model.h):
  Model{operator_codes[1], subgraphs[2], buffers[4]}  Buffer{data[0]}
  OperatorCode{deprecated_builtin_code[0]:byte, custom_code[1], builtin_code[3]:int}
  SubGraph{tensors[0], inputs[1], outputs[2], operators[3]}
  Tensor{shape[0], type[1]:byte, buffer[2]:uint, name[3], quantization[4]}
  QuantizationParameters{scale[2]:[float], zero_point[3]:[long]}
  Operator{opcode_index[0], inputs[1], outputs[2]}
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from .tflite_ops import CUSTOM, op_name

FILE_IDENTIFIER = b"TFL3"

# tflite TensorType -> numpy dtype name (and byte size); the golden JSON uses these names.
DTYPES: dict[int, tuple[str, int]] = {
    0: ("float32", 4), 1: ("float16", 2), 2: ("int32", 4), 3: ("uint8", 1), 4: ("int64", 8),
    5: ("string", 0), 6: ("bool", 1), 7: ("int16", 2), 8: ("complex64", 8), 9: ("int8", 1),
    10: ("float64", 8), 11: ("complex128", 16), 12: ("uint64", 8), 15: ("uint32", 4),
    16: ("uint16", 2), 17: ("int4", 1),
}


class MalformedModel(ValueError):
    """The bytes are not a readable .tflite model; str() says what and where."""


@dataclass(frozen=True)
class TensorInfo:
    index: int
    name: str
    shape: tuple[int, ...]
    dtype: str  # numpy name, e.g. "int8"
    is_const: bool  # backed by model data
    scale: tuple[float, ...] = ()
    zero_point: tuple[int, ...] = ()

    @property
    def elements(self) -> int:
        count = 1
        for dim in self.shape:
            count *= max(dim, 0)
        return count

    @property
    def nbytes(self) -> int:
        return self.elements * dtype_size(self.dtype)


@dataclass(frozen=True)
class OperatorCode:
    builtin_code: int  # max(deprecated_builtin_code, builtin_code), as TFLM does
    custom_code: str = ""

    @property
    def name(self) -> str:
        if self.builtin_code == CUSTOM:
            return f"CUSTOM({self.custom_code})" if self.custom_code else "CUSTOM"
        return op_name(self.builtin_code)


@dataclass(frozen=True)
class OperatorInfo:
    index: int
    code: OperatorCode
    inputs: tuple[int, ...]
    outputs: tuple[int, ...]


@dataclass(frozen=True)
class ModelInfo:
    size: int
    operator_codes: tuple[OperatorCode, ...]
    tensors: tuple[TensorInfo, ...]
    operators: tuple[OperatorInfo, ...]
    inputs: tuple[TensorInfo, ...]
    outputs: tuple[TensorInfo, ...]

    @property
    def used_codes(self) -> tuple[OperatorCode, ...]:
        """Operator codes subgraph 0 actually uses, sorted by builtin code, no duplicates."""
        return tuple(sorted({op.code for op in self.operators},
                            key=lambda c: (c.builtin_code, c.custom_code)))


def dtype_size(dtype: str) -> int:
    """Bytes per element of a numpy dtype name the runtime stores (0 for unknown ones)."""
    return next((size for name, size in DTYPES.values() if name == dtype), 0)


class _Reader:
    """Bounds-checked flatbuffer primitives over one byte string."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def _unpack(self, fmt: str, pos: int, what: str) -> int | float:
        size = struct.calcsize(fmt)
        if pos < 0 or pos + size > len(self.data):
            raise MalformedModel(f"{what} at byte {pos} lies outside the "
                                 f"{len(self.data)}-byte file")
        return struct.unpack_from(fmt, self.data, pos)[0]

    def u32(self, pos: int, what: str) -> int:
        return int(self._unpack("<I", pos, what))

    def ref(self, pos: int, what: str) -> int:
        """Follow the u32 reference stored at pos."""
        return pos + self.u32(pos, what)

    def field(self, table: int, index: int, what: str) -> int | None:
        """Absolute position of a table's field, or None when it is absent."""
        vtable = table - int(self._unpack("<i", table, what))
        vsize = int(self._unpack("<H", vtable, f"{what} vtable"))
        if 4 + 2 * index >= vsize:
            return None
        offset = int(self._unpack("<H", vtable + 4 + 2 * index, f"{what} vtable"))
        return table + offset if offset else None

    def scalar(self, table: int, index: int, fmt: str, default: int | float,
               what: str) -> int | float:
        pos = self.field(table, index, what)
        return default if pos is None else self._unpack(fmt, pos, what)

    def vector(self, table: int, index: int, what: str) -> tuple[int, int]:
        """(position of the first element, count); (0, 0) when absent."""
        pos = self.field(table, index, what)
        if pos is None:
            return 0, 0
        start = self.ref(pos, what)
        count = self.u32(start, f"{what} length")
        if count > len(self.data):
            raise MalformedModel(f"{what}: vector length {count} exceeds the file size")
        return start + 4, count

    def scalars(self, table: int, index: int, fmt: str, what: str) -> tuple:
        start, count = self.vector(table, index, what)
        size = struct.calcsize(fmt)
        return tuple(self._unpack(fmt, start + i * size, what) for i in range(count))

    def tables(self, table: int, index: int, what: str) -> list[int]:
        start, count = self.vector(table, index, what)
        return [self.ref(start + 4 * i, f"{what}[{i}]") for i in range(count)]

    def string(self, table: int, index: int, what: str) -> str:
        start, count = self.vector(table, index, what)
        if start + count > len(self.data):
            raise MalformedModel(f"{what}: string runs past the end of the file")
        return self.data[start:start + count].decode("utf-8", errors="replace")


def _operator_code(r: _Reader, table: int) -> OperatorCode:
    deprecated = int(r.scalar(table, 0, "<b", 0, "OperatorCode.deprecated_builtin_code"))
    builtin = int(r.scalar(table, 3, "<i", 0, "OperatorCode.builtin_code"))
    code = max(deprecated, builtin)
    custom = r.string(table, 1, "OperatorCode.custom_code") if code == CUSTOM else ""
    return OperatorCode(code, custom)


def _tensor(r: _Reader, table: int, index: int, const_buffers: set[int]) -> TensorInfo:
    what = f"tensor {index}"
    ttype = int(r.scalar(table, 1, "<b", 0, what))
    buffer = int(r.scalar(table, 2, "<I", 0, what))
    quant = r.field(table, 4, what)
    scale: tuple = ()
    zero_point: tuple = ()
    if quant is not None:
        qtable = r.ref(quant, what)
        scale = r.scalars(qtable, 2, "<f", f"{what} scale")
        zero_point = r.scalars(qtable, 3, "<q", f"{what} zero_point")
    return TensorInfo(
        index=index, name=r.string(table, 3, f"{what} name"),
        shape=tuple(int(d) for d in r.scalars(table, 0, "<i", f"{what} shape")),
        dtype=DTYPES.get(ttype, (f"type{ttype}", 0))[0], is_const=buffer in const_buffers,
        scale=tuple(float(s) for s in scale), zero_point=tuple(int(z) for z in zero_point))


def _const_buffers(r: _Reader, model: int) -> set[int]:
    """Indices of buffers that hold data (buffer 0 is the empty sentinel)."""
    found = set()
    for i, buf in enumerate(r.tables(model, 4, "Model.buffers")):
        if r.vector(buf, 0, f"buffer {i}")[1] > 0:
            found.add(i)
    return found


def _indices(r: _Reader, table: int, index: int, what: str, limit: int) -> tuple[int, ...]:
    values = tuple(int(v) for v in r.scalars(table, index, "<i", what))
    bad = [v for v in values if not -1 <= v < limit]
    if bad:
        raise MalformedModel(f"{what}: tensor index {bad[0]} out of range (0..{limit - 1})")
    return values


def _operators(r: _Reader, subgraph: int, codes: tuple[OperatorCode, ...],
               limit: int) -> tuple[OperatorInfo, ...]:
    ops = []
    for i, table in enumerate(r.tables(subgraph, 3, "SubGraph.operators")):
        code_index = int(r.scalar(table, 0, "<I", 0, f"operator {i}"))
        if code_index >= len(codes):
            raise MalformedModel(f"operator {i}: opcode_index {code_index} out of range "
                                 f"({len(codes)} operator codes)")
        ops.append(OperatorInfo(i, codes[code_index],
                                _indices(r, table, 1, f"operator {i} inputs", limit),
                                _indices(r, table, 2, f"operator {i} outputs", limit)))
    return tuple(ops)


def parse_model(data: bytes) -> ModelInfo:
    """Decode the parts of a .tflite model that verify uses.

    Args:
        data: the whole .tflite file.
    Returns:
        Operator codes, subgraph 0's tensors and operators, its input and output tensors.
    Raises:
        MalformedModel: not a tflite flatbuffer, or a reference points outside the file.
    """
    if len(data) < 8 or data[4:8] != FILE_IDENTIFIER:
        raise MalformedModel(f"no TFL3 file identifier (got {data[4:8]!r}): not a .tflite model")
    r = _Reader(data)
    model = r.ref(0, "root table")
    codes = tuple(_operator_code(r, t) for t in r.tables(model, 1, "Model.operator_codes"))
    subgraphs = r.tables(model, 2, "Model.subgraphs")
    if not subgraphs:
        raise MalformedModel("the model has no subgraph")
    sg = subgraphs[0]
    const = _const_buffers(r, model)
    tensors = tuple(_tensor(r, t, i, const)
                    for i, t in enumerate(r.tables(sg, 0, "SubGraph.tensors")))
    n = len(tensors)
    inputs = _indices(r, sg, 1, "SubGraph.inputs", n)
    outputs = _indices(r, sg, 2, "SubGraph.outputs", n)
    return ModelInfo(size=len(data), operator_codes=codes, tensors=tensors,
                     operators=_operators(r, sg, codes, n),
                     inputs=tuple(tensors[i] for i in inputs),
                     outputs=tuple(tensors[i] for i in outputs))


def read_model(path: Path) -> tuple[bytes, ModelInfo]:
    """Read and decode a .tflite file.

    Args:
        path: the model file.
    Returns:
        The bytes and their decoding.
    Raises:
        MalformedModel: unreadable or not a valid model.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise MalformedModel(f"cannot read ({exc.strerror})") from exc
    return data, parse_model(data)
