"""Reading a faulted Cortex-M core through QEMU's QMP socket.

When firmware faults into a handler that only spins (as most vendor start-up files do),
nothing is printed: the faulting PC is in the exception frame the core pushed on the stack.
While QEMU is still running we read SP and EXC_RETURN with `info registers` and the frame
with `xp`, through QMP's human-monitor-command (clean text, no terminal echo).
"""

from __future__ import annotations

import json
import os
import re
import socket
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

# R12=20004dac R13=20004fd0 R14=fffffff9 R15=08000040
_REGISTER = re.compile(r"R(?P<n>\d\d)=(?P<value>[0-9a-f]{8})")
# 0000000020004fd0: 0xdeadbeef 0x20004dac 0x00000000 0x00000001
_WORDS = re.compile(r"0x([0-9a-f]{8})\b")
_FRAME_WORDS = 8  # r0-r3, r12, lr, pc, xpsr
_SEARCH_WORDS = 8  # how far above SP a handler's own pushes may have moved the frame
_XPSR_THUMB = 1 << 24
_SUN_PATH_MAX = 100  # sockaddr_un.sun_path holds 108 bytes on Linux; stay clear of it


def connect_unix(sock: socket.socket, path: Path) -> None:
    """Connect to a unix socket whose path may be longer than sockaddr_un allows: through
    a descriptor of its folder (/proc/self/fd/N/name), which is always short."""
    if len(os.fsencode(path)) < _SUN_PATH_MAX:
        sock.connect(str(path))
        return
    folder = os.open(path.parent, os.O_PATH)
    try:
        sock.connect(f"/proc/self/fd/{folder}/{path.name}")
    finally:
        os.close(folder)


@dataclass(frozen=True)
class StackedFrame:
    pc: int
    lr: int


class Qmp:
    """A minimal QMP client: one connection, synchronous commands."""

    def __init__(self, path: Path, timeout_s: float = 1.0) -> None:
        self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._sock.settimeout(timeout_s)
        connect_unix(self._sock, path)
        self._buffer = b""
        self._read()  # greeting
        self._execute({"execute": "qmp_capabilities"})

    def close(self) -> None:
        self._sock.close()

    def _read(self) -> dict:
        while b"\n" not in self._buffer:
            chunk = self._sock.recv(65536)
            if not chunk:
                raise ConnectionError("QMP socket closed")
            self._buffer += chunk
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _execute(self, command: dict) -> object:
        self._sock.sendall(json.dumps(command).encode() + b"\n")
        while True:
            reply = self._read()
            if "return" in reply or "error" in reply:  # skip asynchronous events
                return reply.get("return")

    def hmp(self, command_line: str) -> str:
        result = self._execute({"execute": "human-monitor-command",
                                "arguments": {"command-line": command_line}})
        return str(result or "")


def registers(text: str) -> dict[int, int]:
    """`info registers` output -> {register number: value}."""
    return {int(m["n"]): int(m["value"], 16) for m in _REGISTER.finditer(text)}


def words(text: str) -> list[int]:
    """`xp /Nwx addr` output -> the words, in address order."""
    return [int(w, 16) for line in text.splitlines() for w in _WORDS.findall(line.split(":", 1)[-1])]


def find_frame(stack: Sequence[int], code: Sequence[tuple[int, int]]) -> StackedFrame | None:
    """The first plausible exception frame in the words above SP: xPSR with the Thumb bit
    and a PC inside a code region (origin, length). None when nothing fits."""
    for i in range(len(stack) - _FRAME_WORDS + 1):
        pc, xpsr = stack[i + 6], stack[i + 7]
        if xpsr & _XPSR_THUMB and any(o <= pc < o + n for o, n in code):
            return StackedFrame(pc=pc, lr=stack[i + 5])
    return None


def read_stacked_frame(qmp_path: Path, code: Sequence[tuple[int, int]]) -> StackedFrame | None:
    """The frame the core pushed on entry to the current exception, or None when it cannot
    be read (QEMU already gone, frame on the process stack, nothing plausible)."""
    try:
        qmp = Qmp(qmp_path)
    except (OSError, ValueError):
        return None
    try:
        regs = registers(qmp.hmp("info registers"))
        exc_return = regs.get(14, 0)
        if exc_return >> 4 != 0x0FFFFFFF or exc_return & 0x4:  # not in a handler, or PSP frame
            return None
        count = _FRAME_WORDS + _SEARCH_WORDS
        return find_frame(words(qmp.hmp(f"xp /{count}wx 0x{regs[13]:x}")), code)
    except (OSError, ValueError, KeyError):
        return None
    finally:
        qmp.close()
