"""Just enough ELF reading to reject wrong input early and to report sizes (no binutils).

flash = every allocated section with file contents (code, constants, .data's load image);
ram   = every allocated writable section (.data, .bss, the reserved stack).
"""

from __future__ import annotations

import platform
import struct
from dataclasses import dataclass
from pathlib import Path

from .errors import BadBinary

EM_ARM = 40
_NATIVE = {"x86_64": 62, "amd64": 62, "aarch64": 183, "arm64": 183, "i686": 3, "armv7l": 40}
_NAMES = {3: "x86", 40: "ARM", 62: "x86-64", 183: "AArch64", 243: "RISC-V"}


@dataclass(frozen=True)
class ElfInfo:
    machine: int
    is_64bit: bool

    @property
    def machine_name(self) -> str:
        return _NAMES.get(self.machine, f"machine {self.machine}")


def _ident(head: bytes, path: Path) -> tuple[str, bool]:
    """(struct byte-order prefix, is 64-bit) from the first 20 bytes of an ELF file."""
    if head[:4] != b"\x7fELF":
        raise BadBinary(f"{path}: not an ELF file")
    if len(head) < 20 or head[4] not in (1, 2) or head[5] not in (1, 2):
        raise BadBinary(f"{path}: truncated or malformed ELF header")
    return ("<" if head[5] == 1 else ">"), head[4] == 2


def _read(path: Path, size: int = -1) -> bytes:
    try:
        with path.open("rb") as fh:
            return fh.read(size)
    except OSError as exc:
        raise BadBinary(f"{path}: cannot read ({exc.strerror})") from exc


def read_elf_header(path: Path) -> ElfInfo:
    """Class and machine of an ELF file.

    Raises:
        BadBinary: unreadable, not an ELF, or truncated.
    """
    head = _read(path, 20)
    endian, is_64bit = _ident(head, path)
    (machine,) = struct.unpack(endian + "H", head[18:20])
    return ElfInfo(machine=machine, is_64bit=is_64bit)


def expected_machine(elf_machine: str) -> int:
    """e_machine a target expects: 'arm', or 'native' for this computer."""
    if elf_machine == "arm":
        return EM_ARM
    return _NATIVE.get(platform.machine().lower(), -1)


def check_elf(path: Path, elf_machine: str, target: str) -> ElfInfo:
    """Raise BadBinary unless path is an ELF the target can run."""
    info = read_elf_header(path)
    want = expected_machine(elf_machine)
    if info.machine != want:
        raise BadBinary(f"{path}: {info.machine_name} ELF, but target {target} runs "
                        f"{_NAMES.get(want, elf_machine)} binaries")
    return info


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


def _section_table(data: bytes, path: Path) -> tuple[str, int, int, int, int]:
    """(endian, shoff, shentsize, shnum, shstrndx) from the ELF header."""
    endian, is_64bit = _ident(data[:20], path)
    if is_64bit:
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
    data = _read(path)
    try:
        endian, shoff, entsize, count, strndx = _section_table(data, path)
        fmt = endian + ("IIQQQQ" if data[4] == 2 else "IIIIII")  # name type flags addr offset size
        raw = [struct.unpack_from(fmt, data, shoff + i * entsize) for i in range(count)]
        names_at = raw[strndx][4]
    except (struct.error, IndexError) as exc:
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
