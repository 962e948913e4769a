"""Just enough ELF reading to reject wrong input early and to report sizes."""

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


def read_elf_header(path: Path) -> ElfInfo:
    """Class and machine of an ELF file.

    Raises:
        BadBinary: unreadable, not an ELF, or truncated.
    """
    try:
        with path.open("rb") as fh:
            head = fh.read(20)
    except OSError as exc:
        raise BadBinary(f"{path}: cannot read ({exc.strerror})") from exc
    if head[:4] != b"\x7fELF":
        raise BadBinary(f"{path}: not an ELF file")
    if len(head) < 20 or head[4] not in (1, 2) or head[5] not in (1, 2):
        raise BadBinary(f"{path}: truncated or malformed ELF header")
    endian = "<" if head[5] == 1 else ">"
    (machine,) = struct.unpack(endian + "H", head[18:20])
    return ElfInfo(machine=machine, is_64bit=head[4] == 2)


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
