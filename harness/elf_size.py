"""Section sizes of an ELF file, read in Python (no binutils needed), for flash/RAM figures.

flash = every allocated section with file contents (code, constants, .data's load image);
ram   = every allocated writable section (.data, .bss, the reserved stack).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path

from .errors import BadBinary

SHT_NOBITS = 8
SHF_WRITE = 0x1
SHF_ALLOC = 0x2


@dataclass(frozen=True)
class Section:
    name: str
    kind: int  # sh_type
    flags: int
    size: int


@dataclass(frozen=True)
class MemoryUse:
    flash: int
    ram: int


def _headers(data: bytes) -> tuple[str, int, int, int, int]:
    """(endian, shoff, shentsize, shnum, shstrndx) from the ELF header."""
    if data[:4] != b"\x7fELF" or len(data) < 64:
        raise BadBinary("not an ELF file")
    endian = "<" if data[5] == 1 else ">"
    if data[4] == 2:
        shoff, = struct.unpack_from(endian + "Q", data, 0x28)
        shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", data, 0x3A)
    else:
        shoff, = struct.unpack_from(endian + "I", data, 0x20)
        shentsize, shnum, shstrndx = struct.unpack_from(endian + "HHH", data, 0x2E)
    return endian, shoff, shentsize, shnum, shstrndx


def sections(path: Path) -> list[Section]:
    """Every section of an ELF file.

    Args:
        path: the ELF file.
    Returns:
        Its sections in header order.
    Raises:
        BadBinary: unreadable, not an ELF, or section headers outside the file.
    """
    try:
        data = path.read_bytes()
        endian, shoff, entsize, count, strndx = _headers(data)
        is64 = data[4] == 2
        fmt = endian + ("IIQQQQ" if is64 else "IIIIII")  # name type flags addr offset size
        raw = [struct.unpack_from(fmt, data, shoff + i * entsize) for i in range(count)]
        names_at = raw[strndx][4]
    except (OSError, struct.error, IndexError) as exc:
        raise BadBinary(f"{path}: cannot read ELF sections ({exc})") from exc

    def name(offset: int) -> str:
        end = data.find(b"\0", names_at + offset)
        return data[names_at + offset:end].decode("ascii", errors="replace")

    return [Section(name(r[0]), r[1], r[2], r[5]) for r in raw]


def memory_use(path: Path) -> MemoryUse:
    """Flash and RAM bytes of a linked program (see the module docstring).

    Args:
        path: the ELF file.
    Returns:
        Its flash and RAM use.
    Raises:
        BadBinary: not a readable ELF.
    """
    alloc = [s for s in sections(path) if s.flags & SHF_ALLOC]
    flash = sum(s.size for s in alloc if s.kind != SHT_NOBITS)
    ram = sum(s.size for s in alloc if s.flags & SHF_WRITE)
    return MemoryUse(flash=flash, ram=ram)
