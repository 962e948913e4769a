"""qemu_monitor: the stacked frame of a spinning fault handler, from verbatim QEMU 7.2 output."""

from __future__ import annotations

from tflm_test.runners.qemu_monitor import StackedFrame, find_frame, registers, words

# `info registers` on netduino2, core spinning in a vendor-style HardFault handler.
INFO_REGISTERS = """\
CPU#0
R00=deadbeef R01=20004dac R02=00000000 R03=00000001
R04=20000000 R05=00000000 R06=00000000 R07=00000000
R08=00000000 R09=00000000 R10=00000000 R11=00000000
R12=20004dac R13=20004fd0 R14=fffffff9 R15=08000040
XPSR=21000003 --C- T handler
FPSCR: 00000000
"""
# `xp /8wx 0x20004fd0` at the same moment.
XP = """\
0000000020004fd0: 0xdeadbeef 0x20004dac 0x00000000 0x00000001
0000000020004fe0: 0x20004dac 0x08000065 0x08000068 0x21000000
"""
BLUEPILL_FLASH = [(0x08000000, 0x10000)]


def test_registers() -> None:
    regs = registers(INFO_REGISTERS)
    assert (regs[13], regs[14], regs[15]) == (0x20004FD0, 0xFFFFFFF9, 0x08000040)


def test_words_skip_the_address_column() -> None:
    assert words(XP) == [0xDEADBEEF, 0x20004DAC, 0, 1, 0x20004DAC, 0x08000065, 0x08000068,
                         0x21000000]


def test_frame_at_sp() -> None:
    assert find_frame(words(XP), BLUEPILL_FLASH) == StackedFrame(pc=0x08000068, lr=0x08000065)


def test_frame_below_a_handler_push() -> None:
    # A handler compiled at -O0 pushes r7 first: the frame starts one word higher.
    assert find_frame([0x20004FF0, *words(XP)], BLUEPILL_FLASH) == StackedFrame(0x08000068,
                                                                               0x08000065)


def test_no_plausible_frame() -> None:
    assert find_frame([0] * 16, BLUEPILL_FLASH) is None
    assert find_frame(words(XP), [(0x0, 0x1000)]) is None  # PC outside code
