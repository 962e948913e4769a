"""elf: wrong input is refused with one line before anything runs."""

from __future__ import annotations

import os
import struct
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from tflm_test.elf import (EM_ARM, PT_LOAD, Footprint, check_elf, memory_use,
                          symbol_addresses)
from tflm_test.errors import BadBinary
from tflm_test.targets import Target, load_boards

QEMU = load_boards().get("qemu_cortexm3")  # FLASH 0x0-0x3fffff, RAM 0x20000000-0x203fffff
REGIONS = "(FLASH 0x00000000-0x003fffff, RAM 0x20000000-0x203fffff)"


def elf32(segments: list[tuple[int, int, bytes, int]], machine: int = EM_ARM,
          phentsize: int = 32) -> bytes:
    """A little-endian ELF32 executable, one PT_LOAD per (vaddr, paddr, contents, memsz),
    without sections."""
    data_at = 52 + 32 * len(segments)
    header = (b"\x7fELF" + bytes([1, 1, 1]) + bytes(9) +
              struct.pack("<HHIIIIIHHHHHH", 2, machine, 1, 0, 52, 0, 0, 52, phentsize,
                          len(segments), 40, 0, 0))
    phdrs, body = b"", b""
    for vaddr, paddr, contents, memsz in segments:
        phdrs += struct.pack("<IIIIIIII", PT_LOAD, data_at + len(body), vaddr, paddr,
                             len(contents), memsz, 5, 4)
        body += contents
    return header + phdrs + body


# code in flash, .data loaded from flash into RAM, .bss in RAM: what our linker scripts make
GOOD = elf32([(0x0, 0x0, bytes(16), 16), (0x20000000, 0x10, bytes(8), 8),
              (0x20000008, 0x18, b"", 0x100)])


def write(tmp_path: Path, data: bytes, name: str = "x.elf") -> Path:
    (tmp_path / name).write_bytes(data)
    return tmp_path / name


def test_whole_elf_inside_the_memory_map_accepted(tmp_path: Path) -> None:
    info = check_elf(write(tmp_path, GOOD), QEMU)
    assert (info.machine, info.is_64bit, info.machine_name) == (EM_ARM, False, "ARM")


def test_not_an_elf(tmp_path: Path) -> None:
    with pytest.raises(BadBinary, match="x.elf: not an ELF file"):
        check_elf(write(tmp_path, b"hello"), QEMU)


@pytest.mark.parametrize("length,words", [
    (5, "truncated or malformed ELF header"),
    (20, "truncated ELF header (20 of 52 bytes)"),
    (51, "truncated ELF header (51 of 52 bytes)"),
    (52, "the program header table (bytes 0x34-0x93) ends past the end of the file (52 bytes)"),
    (147, "the program header table (bytes 0x34-0x93) ends past the end of the file"),
    (148, "segment 0 (bytes 0x94-0xa3) ends past the end of the file (148 bytes)"),
    (170, "segment 1 (bytes 0xa4-0xab) ends past the end of the file (170 bytes)"),
])
def test_truncated_elf_is_refused(tmp_path: Path, length: int, words: str) -> None:
    with pytest.raises(BadBinary, match="x.elf: ") as err:
        check_elf(write(tmp_path, GOOD[:length]), QEMU)
    assert words in str(err.value)


def test_truncated_section_table_is_refused(tmp_path: Path) -> None:
    data = bytearray(GOOD)
    struct.pack_into("<IIHHHHHH", data, 32, 0x9c, 0, 52, 32, 3, 40, 3, 2)  # e_shoff onwards
    with pytest.raises(BadBinary, match=r"the section header table \(bytes 0x9c-0x113\) ends "
                                        r"past the end of the file \(172 bytes\)"):
        check_elf(write(tmp_path, bytes(data)), QEMU)


def test_segment_loaded_outside_the_board_memory(tmp_path: Path) -> None:
    path = write(tmp_path, elf32([(0x08000000, 0x08000000, bytes(0x1234), 0x1234)]))
    with pytest.raises(BadBinary) as err:
        check_elf(path, QEMU)
    assert str(err.value) == (f"{path}: segment 0 loads at 0x08000000-0x08001233, outside "
                              f"qemu_cortexm3's memory {REGIONS}")


def test_segment_running_outside_the_board_memory(tmp_path: Path) -> None:
    # .bss past the end of RAM: nothing to load, but it runs there
    path = write(tmp_path, elf32([(0x0, 0x0, bytes(16), 16), (0x203ff000, 0x10, b"", 0x2000)]))
    with pytest.raises(BadBinary, match=r"segment 1 runs at 0x203ff000-0x20400fff, outside"):
        check_elf(path, QEMU)


def test_segment_across_two_regions_is_outside(tmp_path: Path) -> None:
    board = replace(QEMU, memory=(QEMU.memory[0], replace(QEMU.memory[0], name="MORE",
                                                          origin=0x400000)))
    path = write(tmp_path, elf32([(0x3ffff0, 0x3ffff0, bytes(32), 32)]))
    with pytest.raises(BadBinary, match="segment 0 loads at 0x003ffff0-0x0040000f, outside"):
        check_elf(path, board)


def test_a_board_without_a_memory_map_checks_no_addresses(tmp_path: Path) -> None:
    anywhere: Target = replace(QEMU, memory=())
    check_elf(write(tmp_path, elf32([(0x90000000, 0x90000000, bytes(4), 4)])), anywhere)


@pytest.mark.parametrize("data,words", [
    (elf32([]), "no loadable segments (not a linked program)"),
    (elf32([(0, 0, bytes(8), 4)]), "segment 0 has more file bytes (8) than memory (4)"),
    (elf32([(0, 0, bytes(8), 8)], phentsize=16), "program header entries of 16 bytes, expected 32"),
])
def test_malformed_elf_is_refused(tmp_path: Path, data: bytes, words: str) -> None:
    with pytest.raises(BadBinary) as err:
        check_elf(write(tmp_path, data), QEMU)
    assert words in str(err.value)


def test_wrong_architecture(tmp_path: Path) -> None:
    bluepill = load_boards().get("bluepill")
    with pytest.raises(BadBinary, match="x86-64 ELF, but target bluepill runs ARM binaries"):
        check_elf(write(tmp_path, elf32([(0, 0, b"", 0)], machine=62)), bluepill)


def test_unreadable(tmp_path: Path) -> None:
    with pytest.raises(BadBinary, match="missing.elf: cannot read"):
        check_elf(tmp_path / "missing.elf", QEMU)


@pytest.mark.parametrize("kind", ["fifo", "directory"])
def test_only_a_regular_file_is_read_and_nothing_blocks(tmp_path: Path, kind: str) -> None:
    path = tmp_path / "x.elf"
    if kind == "fifo":
        os.mkfifo(path)
    else:
        path.mkdir()
    errors: list[BaseException] = []

    def check() -> None:
        try:
            check_elf(path, QEMU)
        except BadBinary as exc:
            errors.append(exc)

    worker = threading.Thread(target=check, daemon=True)  # a blocked open would hang here
    worker.start()
    worker.join(timeout=5)
    assert not worker.is_alive(), "check_elf blocked"
    assert [str(e) for e in errors] == [f"{path}: not a regular file"]


def test_sections_of_a_truncated_elf_are_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(BadBinary, match="cut.elf: truncated ELF header"):
        memory_use(write(tmp_path, GOOD[:20], "cut.elf"))
    with pytest.raises(BadBinary, match="nosec.elf: cannot read ELF sections"):
        memory_use(write(tmp_path, GOOD, "nosec.elf"))
    with pytest.raises(BadBinary, match="text.elf: not an ELF file"):
        memory_use(write(tmp_path, b"hello", "text.elf"))


def test_symbol_addresses_need_a_symbol_table(tmp_path: Path) -> None:
    with pytest.raises(BadBinary, match="no symbol table"):
        symbol_addresses(write(tmp_path, GOOD), ["main"])
    with pytest.raises(BadBinary, match="not an ELF"):
        symbol_addresses(write(tmp_path, b"hello", "text.elf"), ["main"])


@pytest.mark.parametrize("size, reason", [
    (Footprint(40000, 1000, 5000, 65536, 20480), None),
    (Footprint(80234, 1000, 5000, 65536, 20480), "needs 81234 bytes of flash, the board has 65536"),
    (Footprint(4000, 1000, 20000, 65536, 20480), "needs 21000 bytes of RAM, the board has 20480"),
    (Footprint(10**9, 10**9, 10**9), None),  # the host: no limits, never too big
])
def test_a_footprint_that_cannot_fit_says_what_it_needs(size: Footprint, reason: str | None) -> None:
    assert size.too_big() == reason
    assert size.record()["flash"] == size.text + size.data
    assert size.record()["ram"] == size.data + size.bss
