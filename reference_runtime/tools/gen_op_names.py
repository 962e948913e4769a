#!/usr/bin/env python3
"""Generate src/tm_op_names_data.h: the names of tflite BuiltinOperator codes, packed.

Usage: python3 tools/gen_op_names.py [--check]
  (no option)  rewrite src/tm_op_names_data.h
  --check      exit 1 if the committed file differs from what this script generates

Why packed: the names are only printed on error paths, and as plain NUL-separated strings
they were the largest single object of the interpreter core on Cortex-M (1.8 KB).
Every character is one of A-Z, 0-9, '_', so a 5-bit code per character suffices:
  0..25  'A'..'Z'      30  '_'  (so a letter or '_' is 'A' + symbol: 'A' + 30 == '_')
  26     word escape: the next symbol indexes WORDS (0..30)
  27     digit escape: the next symbol is the digit's value      31  end of name
The stream holds WORDS first, then the op names; a word is spelt in characters only (no
word escapes), and each name uses the words that make it shortest. An escape's argument is
never 31, so skipping names only counts end symbols. Symbols are stored least significant
bit first; one zero byte of padding at the end lets the decoder always read two bytes. The
decoder is tm_op_name() in src/tm_op_names.c. Stdlib only.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The names come from the harness's table (one list for the C runtime and the Python tools),
# loaded by path so this script needs no installed package. Codes 162+ (StableHLO ops) are
# not run by micro runtimes; they and negative codes print as the extra last entry.
MICRO_CODES = 162


def builtin_names() -> list[str]:
    spec = importlib.util.spec_from_file_location("tflite_ops", ROOT / "harness" / "tflite_ops.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return list(module.BUILTIN_NAMES[:MICRO_CODES])


NAMES = builtin_names()
UNKNOWN = "UNKNOWN"
MAX_NAME = 32  # TM_OP_NAME_SIZE - 1 in src/tm_kernel.h
LETTERS, UNDERSCORE, WORD, DIGIT, END = 0, 30, 26, 27, 31
# The 31 pieces that shorten the table most, found by a greedy search (each step adding the
# substring of the names that saves the most symbols): 1,133 -> 949 bytes. Any list works;
# a worse one only packs less tightly.
WORDS = ["IDIRECTIONAL_SEQUENCE_", "UNSORTED_SEGMENT_", "HASHTABLE", "REDUCE_",
         "NON_MAX_SUPPRESSION_V", "TRANSPOSE", "_POOL_2D", "EMBEDDING", "_NORMALIZATION", "_TO_",
         "LOGICAL_", "RELU", "GREATER", "_LOOKUP", "CONV_", "SPACE", "EQUAL", "BROADCAST_",
         "_VARIABLE", "FLOOR", "QUANTIZE", "DEPTH", "SLICE", "MAX", "REVERSE_", "BATCH_",
         "RANDOM_", "MATRIX_", "RESIZE_", "SPARSE", "SELECT"]
OUT = Path(__file__).resolve().parents[1] / "src" / "tm_op_names_data.h"


def char_symbols(ch: str) -> list[int]:
    if "A" <= ch <= "Z":
        return [LETTERS + ord(ch) - ord("A")]
    if ch == "_":
        return [UNDERSCORE]
    if "0" <= ch <= "9":
        return [DIGIT, ord(ch) - ord("0")]
    raise ValueError(f"{ch!r} cannot be packed")


def symbols(name: str, words: list[str]) -> list[int]:
    """The fewest symbols that spell name from characters and words, end marker included
    (shortest path over the positions of the name)."""
    best: list[list[int]] = [[] for _ in range(len(name) + 1)]
    for i in range(len(name) - 1, -1, -1):
        best[i] = char_symbols(name[i]) + best[i + 1]
        for k, word in enumerate(words):
            if name.startswith(word, i) and 2 + len(best[i + len(word)]) < len(best[i]):
                best[i] = [WORD, k] + best[i + len(word)]
    return best[0] + [END]


def pack(names: list[str]) -> bytes:
    if len(WORDS) > 31:
        raise ValueError("a word index must stay below the end symbol (31)")
    bits = 0
    nbits = 0
    stream = [symbols(w, []) for w in WORDS]
    for i, name in enumerate(names):
        if not 0 < len(name) <= MAX_NAME:
            raise ValueError(f"name {i} {name!r}: length must be 1..{MAX_NAME}")
        stream.append(symbols(name, WORDS))
    for s in (sym for entry in stream for sym in entry):
        bits |= s << nbits
        nbits += 5
    return bits.to_bytes((nbits + 7) // 8, "little") + b"\0"


def unpack(data: bytes, index: int) -> str:
    """Entry `index` of the stream (words first, then names), as tm_op_name() decodes it:
    render() checks every name with it."""
    bits = int.from_bytes(data, "little")
    sym = (lambda i: (bits >> (5 * i)) & 31)
    i = 0
    for _ in range(index):
        while sym(i) != END:
            i += 1
        i += 1
    out = ""
    while (s := sym(i)) != END:
        if s == WORD:
            out += unpack(data, sym(i + 1))
            i += 2
        elif s == DIGIT:
            out += str(sym(i + 1))
            i += 2
        else:
            out += chr(ord("A") + s)
            i += 1
    return out


def render() -> str:
    names = NAMES + [UNKNOWN]
    data = pack(names)
    for i, name in enumerate(names):
        if unpack(data, len(WORDS) + i) != name:
            raise ValueError(f"name {i} {name!r} does not decode back")
    rows = [", ".join(f"0x{b:02x}" for b in data[i:i + 16]) for i in range(0, len(data), 16)]
    body = ",\n    ".join(rows)
    return (f"/* Generated by tools/gen_op_names.py; do not edit. */\n"
            f"#define TM_OP_NAMES_COUNT {len(NAMES)}\n"
            f"#define TM_OP_NAME_WORDS {len(WORDS)}\n"
            f"static const uint8_t packed_names[{len(data)}] = {{\n    {body}}};\n")


def main(argv: list[str]) -> int:
    text = render()
    if argv[1:] == ["--check"]:
        if OUT.read_text() != text:
            print(f"{OUT} is out of date; run {argv[0]}", file=sys.stderr)
            return 1
        return 0
    if argv[1:]:
        print(__doc__, file=sys.stderr)
        return 2
    OUT.write_text(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
