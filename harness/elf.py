"""Just enough ELF reading to reject wrong input early and to report sizes (no binutils).

check_elf refuses, before anything starts, what an emulator would misread: a file that is
not regular (reading a FIFO blocks forever), a truncated ELF (QEMU then loads it as a raw
image and the run ends in a TIMEOUT or a lockup), the wrong architecture, and segments
outside the board's memory map (another board's ELF: a register dump instead of a reason).

flash = every allocated section with file contents (code, constants, .data's load image);
ram   = every allocated writable section (.data, .bss, the reserved stack).
"""

from __future__ import annotations

import platform
import stat
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .errors import BadBinary
from .targets import ElfMachine, MemoryRegion, Target

EM_ARM = 40
PT_LOAD = 1
_NATIVE = {"x86_64": 62, "amd64": 62, "aarch64": 183, "arm64": 183, "i686": 3, "armv7l": 40}
_NAMES = {3: "x86", 40: "ARM", 62: "x86-64", 183: "AArch64", 243: "RISC-V"}

# After e_ident: type machine version entry phoff shoff flags ehsize phentsize phnum
# shentsize shnum shstrndx, by is_64bit.
_HEADER = {False: "HHIIIIIHHHHHH", True: "HHIQQQIHHHHHH"}
# 32-bit: type offset vaddr paddr filesz memsz flags align; 64-bit moves flags second.
_PHDR = {False: "IIIIIIII", True: "IIQQQQQQ"}
# A section header: name type flags addr offset size link info addralign entsize.
_SHDR = {False: "IIIIIIIIII", True: "IIQQQQIIQQ"}
_SHDR_SIZE = {False: 40, True: 64}


@dataclass(frozen=True)
class ElfInfo:
    machine: int
    is_64bit: bool

    @property
    def machine_name(self) -> str:
        return _NAMES.get(self.machine, f"machine {self.machine}")


@dataclass(frozen=True)
class _Header:
    endian: str  # struct byte-order prefix
    info: ElfInfo
    phoff: int
    phentsize: int
    phnum: int
    shoff: int
    shentsize: int
    shnum: int
    shstrndx: int


@dataclass(frozen=True)
class Segment:
    """A PT_LOAD program header: file bytes copied to paddr, run at vaddr."""

    index: int  # in the program header table, as readelf -l counts
    vaddr: int
    paddr: int
    filesz: int
    memsz: int


def _read(path: Path) -> bytes:
    """The whole file; anything but a regular file is refused before it is opened (opening
    a FIFO for reading waits for a writer forever)."""
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            raise BadBinary(f"{path}: not a regular file")
        return path.read_bytes()
    except OSError as exc:
        raise BadBinary(f"{path}: cannot read ({exc.strerror})") from exc


def _header(data: bytes, path: Path) -> _Header:
    if data[:4] != b"\x7fELF":
        raise BadBinary(f"{path}: not an ELF file")
    if len(data) < 6 or data[4] not in (1, 2) or data[5] not in (1, 2):
        raise BadBinary(f"{path}: truncated or malformed ELF header")
    is_64bit, endian = data[4] == 2, "<" if data[5] == 1 else ">"
    fmt = endian + _HEADER[is_64bit]
    if len(data) < 16 + struct.calcsize(fmt):
        raise BadBinary(f"{path}: truncated ELF header ({len(data)} of "
                        f"{16 + struct.calcsize(fmt)} bytes)")
    (_, machine, _, _, phoff, shoff, _, _, phentsize, phnum, shentsize, shnum,
     shstrndx) = struct.unpack_from(fmt, data, 16)
    return _Header(endian, ElfInfo(machine, is_64bit), phoff, phentsize, phnum,
                   shoff, shentsize, shnum, shstrndx)


def _bytes(offset: int, size: int) -> str:
    return f"0x{offset:x}-0x{offset + size - 1:x}"


def _check_table(data: bytes, path: Path, what: str, offset: int, entsize: int, count: int,
                 need: int) -> None:
    """Raise BadBinary unless `count` entries of `entsize` >= `need` bytes fit in the file."""
    if count == 0:
        return
    if entsize < need:
        raise BadBinary(f"{path}: malformed ELF: {what} entries of {entsize} bytes, "
                        f"expected {need}")
    if offset + count * entsize > len(data):
        raise BadBinary(f"{path}: truncated ELF: the {what} table (bytes "
                        f"{_bytes(offset, count * entsize)}) ends past the end of the file "
                        f"({len(data)} bytes)")


def _segments(data: bytes, header: _Header, path: Path) -> list[Segment]:
    """The loadable segments, each checked to lie inside the file."""
    is_64bit = header.info.is_64bit
    fmt = header.endian + _PHDR[is_64bit]
    _check_table(data, path, "program header", header.phoff, header.phentsize, header.phnum,
                 struct.calcsize(fmt))
    loads = []
    for i in range(header.phnum):
        raw = struct.unpack_from(fmt, data, header.phoff + i * header.phentsize)
        kind, offset, vaddr, paddr, filesz, memsz = (raw[0], *raw[2:7]) if is_64bit else raw[:6]
        if kind != PT_LOAD:
            continue
        if offset + filesz > len(data):
            raise BadBinary(f"{path}: truncated ELF: segment {i} (bytes "
                            f"{_bytes(offset, filesz)}) ends past the end of the file "
                            f"({len(data)} bytes)")
        if filesz > memsz:
            raise BadBinary(f"{path}: malformed ELF: segment {i} has more file bytes "
                            f"({filesz}) than memory ({memsz})")
        loads.append(Segment(i, vaddr, paddr, filesz, memsz))
    if not loads:
        raise BadBinary(f"{path}: no loadable segments (not a linked program)")
    return loads


def _span(start: int, size: int) -> str:
    return f"0x{start:08x}-0x{start + size - 1:08x}"


def _inside(start: int, size: int, regions: tuple[MemoryRegion, ...]) -> bool:
    return any(r.origin <= start and start + size <= r.origin + r.length for r in regions)


def _check_memory(segments: list[Segment], target: Target, path: Path) -> None:
    """Each segment's load image and run image inside one region of the board's map."""
    regions = ", ".join(f"{r.name} {_span(r.origin, r.length)}" for r in target.memory)
    for seg in segments:
        for verb, start, size in (("loads", seg.paddr, seg.filesz), ("runs", seg.vaddr, seg.memsz)):
            if size and not _inside(start, size, target.memory):
                raise BadBinary(f"{path}: segment {seg.index} {verb} at {_span(start, size)}, "
                                f"outside {target.name}'s memory ({regions})")


def _fits(path: Path, target: Target) -> bool:
    """False only for an ELF whose sections show it too big for the board."""
    try:
        return footprint(path, target).too_big() is None
    except BadBinary:  # no section table: the segments alone are checked
        return True


def expected_machine(elf_machine: str) -> int:
    """e_machine a target expects: 'arm', or 'native' for this computer."""
    if elf_machine == ElfMachine.ARM:
        return EM_ARM
    return _NATIVE.get(platform.machine().lower(), -1)


def check_elf(path: Path, target: Target) -> ElfInfo:
    """Check that path is a whole ELF the target can run, before anything starts.

    Args:
        path: the binary.
        target: the board it is meant for (its elf_machine and, when given, memory map;
            one too big for the board is left to its TOO_BIG verdict, which says more than
            where its segments fall).
    Returns:
        Its class and machine.
    Raises:
        BadBinary: not a regular readable file, not an ELF, truncated or malformed, another
            architecture, or a loadable segment outside the board's memory.
    """
    data = _read(path)
    header = _header(data, path)
    want = expected_machine(target.elf_machine)
    if header.info.machine != want:
        raise BadBinary(f"{path}: {header.info.machine_name} ELF, but target {target.name} "
                        f"runs {_NAMES.get(want, target.elf_machine)} binaries")
    segments = _segments(data, header, path)
    _check_table(data, path, "section header", header.shoff, header.shentsize, header.shnum,
                 _SHDR_SIZE[header.info.is_64bit])
    if target.memory and _fits(path, target):
        _check_memory(segments, target, path)
    return header.info


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


@dataclass(frozen=True)
class Footprint:
    """A binary's sizes against its board: text (code and constants), data (initialised
    variables: stored in flash, copied to RAM), bss (zeroed RAM, the stack); flash = text +
    data, ram = data + bss. A limit is None where the board names no such memory (host)."""

    text: int
    data: int
    bss: int
    flash_limit: int | None = None
    ram_limit: int | None = None

    @property
    def flash(self) -> int:
        return self.text + self.data

    @property
    def ram(self) -> int:
        return self.data + self.bss

    def too_big(self) -> str | None:
        """Why it cannot fit the board, e.g. 'needs 81234 bytes of flash, the board has
        65536'; None when it fits (or the board has no limits)."""
        for what, need, limit in (("flash", self.flash, self.flash_limit),
                                  ("RAM", self.ram, self.ram_limit)):
            if limit is not None and need > limit:
                return f"needs {need} bytes of {what}, the board has {limit}"
        return None

    def record(self) -> dict[str, int | None]:
        """For the reports: every figure by name."""
        return {"text": self.text, "data": self.data, "bss": self.bss, "flash": self.flash,
                "ram": self.ram, "flash_limit": self.flash_limit, "ram_limit": self.ram_limit}


def _section_table(path: Path) -> tuple[bytes, _Header, list[tuple[int, ...]]]:
    """The file, its header and every raw section header (fields as in _SHDR)."""
    data = _read(path)
    header = _header(data, path)
    is_64bit = header.info.is_64bit
    _check_table(data, path, "section header", header.shoff, header.shentsize, header.shnum,
                 _SHDR_SIZE[is_64bit])
    fmt = header.endian + _SHDR[is_64bit]
    raw = [struct.unpack_from(fmt, data, header.shoff + i * header.shentsize)
           for i in range(header.shnum)]
    return data, header, raw


def _string(data: bytes, table: tuple[int, ...], offset: int) -> str:
    """A NUL-terminated name in a string table section."""
    start = table[4] + offset
    return data[start:data.find(b"\0", start)].decode("ascii", errors="replace")


def sections(path: Path) -> list[Section]:
    """Every section of an ELF file.

    Args:
        path: the ELF file.
    Returns:
        Its sections in header order.
    Raises:
        BadBinary: unreadable, not an ELF, or section headers outside the file.
    """
    data, header, raw = _section_table(path)
    if header.shstrndx >= len(raw):
        raise BadBinary(f"{path}: cannot read ELF sections (no section name table)")
    names = raw[header.shstrndx]
    return [Section(_string(data, names, r[0]), r[1], r[2], r[5]) for r in raw]


SHT_SYMTAB = 2
# A symbol: 32-bit name value size info other shndx; 64-bit name info other shndx value size.
_SYM = {False: "IIIBBH", True: "IBBHQQ"}


def _symbols(path: Path) -> dict[str, int]:
    """Every named symbol's value, from .symtab."""
    data, header, raw = _section_table(path)
    tables = [r for r in raw if r[1] == SHT_SYMTAB]
    if not tables or tables[0][6] >= len(raw):
        raise BadBinary(f"{path}: no symbol table (stripped?)")
    table, names = tables[0], raw[tables[0][6]]
    fmt = header.endian + _SYM[header.info.is_64bit]
    size = struct.calcsize(fmt)
    if table[4] + table[5] > len(data):
        raise BadBinary(f"{path}: truncated ELF: the symbol table ends past the end of the file")
    found: dict[str, int] = {}
    for offset in range(table[4], table[4] + table[5] - size + 1, size):
        sym = struct.unpack_from(fmt, data, offset)
        name, value = (sym[0], sym[4]) if header.info.is_64bit else sym[:2]
        if name:
            found.setdefault(_string(data, names, name), value)
    return found


def symbol_addresses(path: Path, names: Sequence[str]) -> tuple[int, ...]:
    """Where the named functions start, for RunRequest.marks: the Thumb bit (bit 0 of an
    Arm function symbol) is cleared, so each is the address execution reaches.

    Args:
        path: the ELF file.
        names: symbol names, e.g. ("main", "tm_interp_invoke").
    Returns:
        Their addresses, in the order of names.
    Raises:
        BadBinary: not a readable ELF, no symbol table, or a name it does not define.
    """
    symbols = _symbols(path)
    if missing := [n for n in names if n not in symbols]:
        raise BadBinary(f"{path}: no symbol {', '.join(missing)}")
    return tuple(symbols[n] & ~1 for n in names)


def _limit(target: Target, name: str) -> int | None:
    lengths = [r.length for r in target.memory if r.name == name]
    return sum(lengths) if lengths else None


def footprint(path: Path, target: Target) -> Footprint:
    """text/data/bss of a linked program against the target's FLASH and RAM regions.

    Args:
        path: the ELF file.
        target: its board (its memory map gives the limits; none for the host).
    Returns:
        Its footprint.
    Raises:
        BadBinary: not a readable ELF.
    """
    alloc = [s for s in sections(path) if s.flags & SHF_ALLOC]
    text = sum(s.size for s in alloc if s.kind != SHT_NOBITS and not s.flags & SHF_WRITE)
    data = sum(s.size for s in alloc if s.kind != SHT_NOBITS and s.flags & SHF_WRITE)
    bss = sum(s.size for s in alloc if s.kind == SHT_NOBITS and s.flags & SHF_WRITE)
    return Footprint(text, data, bss, _limit(target, "FLASH"), _limit(target, "RAM"))


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
