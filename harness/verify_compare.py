"""Pure parts of verify: read the on-target program's output lines (the protocol is at the top
of reference_runtime/apps/verify/verify_main.c) and compare outputs with expected values.

Tolerance: integer outputs must match exactly. Float outputs must match bit for bit too,
since TFLM's reference kernels for our ops are sequences of IEEE float32 +, * and compares
that C evaluates the same way everywhere (built with -ffp-contract=off, no fused
multiply-add). The exception is a model with a float transcendental op (expf, tanhf, logf...):
libm results (glibc on host, newlib on Cortex-M, whatever TFLM was built with) may differ in
the last bit or two, so those models get FLOAT_TRANSCENDENTAL_ULPS. A recurrent op
(UNIDIRECTIONAL_SEQUENCE_LSTM: expf and tanhf on every gate of every time step) feeds each
step's libm differences into the next, so they grow with the sequence and a softmax after
it magnifies them in relative terms: trained_lstm (28 steps) differs by up to 81 ULP between
glibc and newlib (qemu_cortexm3). Those models get FLOAT_RECURRENT_ULPS, a relative error
of 3e-5, still far below anything that changes a result.
"""

from __future__ import annotations

import math
import re
import struct
from collections.abc import Iterable
from dataclasses import dataclass, field

from .golden import TensorValue

FLOAT_TRANSCENDENTAL_ULPS = 4
FLOAT_RECURRENT_ULPS = 256
# Float kernels that call libm transcendentals once per time step, feeding state forward.
RECURRENT_OPS = frozenset({"UNIDIRECTIONAL_SEQUENCE_LSTM", "BIDIRECTIONAL_SEQUENCE_LSTM",
                           "LSTM", "UNIDIRECTIONAL_SEQUENCE_RNN", "BIDIRECTIONAL_SEQUENCE_RNN"})
# Float kernels whose reference implementation calls libm transcendentals.
TRANSCENDENTAL_OPS = frozenset({
    "LOGISTIC", "TANH", "SOFTMAX", "LOG_SOFTMAX", "EXP", "LOG", "SIN", "COS", "SQRT", "RSQRT",
    "POW", "ELU", "GELU", "HARD_SWISH", "L2_NORMALIZATION", "LOCAL_RESPONSE_NORMALIZATION"})
FLOAT_DTYPES = frozenset({"float16", "float32", "float64"})

# Testing random_0
_CASE = re.compile(r"^Testing (?P<name>\S.*?)\s*$")
# verify.arena 7216 17408 1248   (used, size, persistent; a runtime may leave out the last)
_ARENA = re.compile(r"^verify\.arena (?P<used>\d+) (?P<size>\d+)(?: (?P<persistent>\d+))?\s*$")
# verify.output 0 9 4
_OUTPUT = re.compile(r"^verify\.output (?P<index>\d+) (?P<type>-?\d+) (?P<bytes>\d+)\s*$")
# verify.data 0 32 80ff7f01
_DATA = re.compile(r"^verify\.data (?P<index>\d+) (?P<offset>\d+) (?P<hex>[0-9a-f]*)\s*$")
# verify.error prepare TM_ERR_ARENA needed 49664 have 17408
_ERROR = re.compile(r"^verify\.error (?P<text>.*?)\s*$")
# FAIL: prepare failed at apps/verify/verify_main.c:31   /   3/4 tests passed   /   ~~~ALL...
_NOT_A_NOTE = re.compile(r" failed at \S+:\d+| tests passed\s*$|^~~~")
_NEEDED = re.compile(r"needed (?P<needed>\d+) have (?P<have>\d+)")


@dataclass
class CaseOutput:
    """What the program printed for one case."""

    name: str
    outputs: dict[int, bytearray] = field(default_factory=dict)
    arena_used: int | None = None
    arena_size: int | None = None
    arena_persistent: int | None = None  # of arena_used: TFLM's "tail"
    error: str | None = None  # the verify.error text, e.g. "init TM_ERR_MODEL"
    arena_needed: int | None = None  # set with a TM_ERR_ARENA error
    arena_have: int | None = None
    notes: list[str] = field(default_factory=list)  # the runtime's own lines, e.g. why it failed


def _data(case: CaseOutput, index: int, offset: int, hex_text: str) -> None:
    buf = case.outputs.setdefault(index, bytearray())
    chunk = bytes.fromhex(hex_text)
    if len(buf) < offset + len(chunk):
        buf.extend(b"\0" * (offset + len(chunk) - len(buf)))
    buf[offset:offset + len(chunk)] = chunk


def parse_outputs(lines: Iterable[str]) -> list[CaseOutput]:
    """Every case the program started, with what it printed (pure; ignores other lines).

    Args:
        lines: the program's log.
    Returns:
        One CaseOutput per "Testing" line, in order.
    """
    cases: list[CaseOutput] = []
    for raw in lines:
        line = raw.rstrip("\r\n")
        if m := _CASE.match(line):
            cases.append(CaseOutput(m["name"]))
        elif not cases:
            continue
        elif m := _ARENA.match(line):
            cases[-1].arena_used, cases[-1].arena_size = int(m["used"]), int(m["size"])
            if m["persistent"] is not None:
                cases[-1].arena_persistent = int(m["persistent"])
        elif m := _OUTPUT.match(line):
            cases[-1].outputs[int(m["index"])] = bytearray(int(m["bytes"]))
        elif m := _DATA.match(line):
            _data(cases[-1], int(m["index"]), int(m["offset"]), m["hex"])
        elif m := _ERROR.match(line):
            cases[-1].error = m["text"]
            if n := _NEEDED.search(m["text"]):
                cases[-1].arena_needed, cases[-1].arena_have = int(n["needed"]), int(n["have"])
        elif line.strip() and not _NOT_A_NOTE.search(line):
            cases[-1].notes.append(line.strip())
    return cases


@dataclass(frozen=True)
class Comparison:
    elements: int
    differing: int
    max_diff: float  # largest |actual - expected| in value units (integer steps for ints)
    max_ulp: int = 0  # floats: largest distance in units in the last place
    tolerance_ulps: int = 0

    @property
    def exact(self) -> bool:
        return self.differing == 0

    @property
    def ok(self) -> bool:
        return self.exact or (self.tolerance_ulps > 0 and self.max_ulp <= self.tolerance_ulps
                              and math.isfinite(self.max_diff))


_ORDER_FMT = {"float16": ("<e", "<h", 15), "float32": ("<f", "<i", 31),
              "float64": ("<d", "<q", 63)}


def _ordered(value: float, dtype: str) -> int:
    """The float's bits as an integer that counts ULPs monotonically across zero."""
    ffmt, ifmt, sign_bit = _ORDER_FMT[dtype]
    bits = struct.unpack(ifmt, struct.pack(ffmt, value))[0]
    return bits if bits >= 0 else -(bits & ((1 << sign_bit) - 1))


def _difference(a: float, b: float, dtype: str) -> tuple[float, int]:
    """(|a - b|, ULP distance); identical bits (NaN included) are (0, 0)."""
    if dtype not in FLOAT_DTYPES:
        return abs(a - b), 0
    if math.isnan(a) or math.isnan(b):
        return (0.0, 0) if math.isnan(a) and math.isnan(b) else (math.inf, 1 << 62)
    if a == b:
        return 0.0, 0
    return abs(a - b), abs(_ordered(a, dtype) - _ordered(b, dtype))


def compare(expected: TensorValue, actual: TensorValue, tolerance_ulps: int = 0) -> Comparison:
    """Element-wise comparison of two tensors of the same dtype.

    Args:
        expected: the reference values.
        actual: what the target produced.
        tolerance_ulps: float elements may differ by this many ULPs (0: bit-exact).
    Returns:
        Counts and the largest differences; a size mismatch counts every element as
        differing, with an infinite max_diff.
    """
    n = len(expected.data)
    if len(actual.data) != n:
        return Comparison(max(n, len(actual.data)), max(n, len(actual.data)), math.inf, 0,
                          tolerance_ulps)
    differing, max_diff, max_ulp = 0, 0.0, 0
    for a, e in zip(actual.data, expected.data):
        diff, ulp = _difference(a, e, expected.dtype)
        if diff or ulp:
            differing += 1
            max_diff, max_ulp = max(max_diff, diff), max(max_ulp, ulp)
    return Comparison(n, differing, max_diff, max_ulp, tolerance_ulps)


def tolerance_for(op_names: Iterable[str], output_dtypes: Iterable[str]) -> int:
    """ULPs allowed on float outputs: 0 unless a float transcendental (or recurrent) op is in
    the model."""
    if not any(d in FLOAT_DTYPES for d in output_dtypes):
        return 0
    ops = set(op_names)
    if RECURRENT_OPS & ops:
        return FLOAT_RECURRENT_ULPS
    return FLOAT_TRANSCENDENTAL_ULPS if TRANSCENDENTAL_OPS & ops else 0


def argmax_label(value: TensorValue, labels: tuple[str, ...]) -> str | None:
    """The label of the largest element (first on ties), or None without labels."""
    if not labels or not value.data or len(value.data) != len(labels):
        return None
    best = max(range(len(value.data)), key=lambda i: (value.data[i], -i))
    return labels[best]
