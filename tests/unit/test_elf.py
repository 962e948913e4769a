"""elf: wrong input is refused with one line before anything runs."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tflm_test.elf import EM_ARM, check_elf, read_elf_header
from tflm_test.errors import BadBinary


def elf(path: Path, machine: int, cls: int = 1) -> Path:
    path.write_bytes(b"\x7fELF" + bytes([cls, 1, 1]) + bytes(9) + struct.pack("<HH", 2, machine))
    return path


def test_arm_elf_accepted(tmp_path: Path) -> None:
    assert read_elf_header(elf(tmp_path / "a.elf", EM_ARM)).machine == EM_ARM
    check_elf(tmp_path / "a.elf", "arm", "bluepill")


def test_not_an_elf(tmp_path: Path) -> None:
    (tmp_path / "x.elf").write_text("hello")
    with pytest.raises(BadBinary, match="x.elf: not an ELF file"):
        check_elf(tmp_path / "x.elf", "arm", "bluepill")


def test_truncated_elf(tmp_path: Path) -> None:
    (tmp_path / "t.elf").write_bytes(b"\x7fELF\x01")
    with pytest.raises(BadBinary, match="truncated or malformed"):
        read_elf_header(tmp_path / "t.elf")


def test_wrong_architecture(tmp_path: Path) -> None:
    with pytest.raises(BadBinary, match="x86-64 ELF, but target bluepill runs ARM binaries"):
        check_elf(elf(tmp_path / "h.elf", 62, cls=2), "arm", "bluepill")


def test_unreadable(tmp_path: Path) -> None:
    with pytest.raises(BadBinary, match="cannot read"):
        read_elf_header(tmp_path / "missing.elf")


def test_sections_of_a_truncated_elf_are_one_clear_error(tmp_path: Path) -> None:
    from tflm_test.elf import memory_use

    path = elf(tmp_path / "cut.elf", EM_ARM)  # a valid identification, no section table
    with pytest.raises(BadBinary, match="cut.elf: cannot read ELF sections"):
        memory_use(path)
    (tmp_path / "text.elf").write_text("hello")
    with pytest.raises(BadBinary, match="text.elf: not an ELF file"):
        memory_use(tmp_path / "text.elf")
