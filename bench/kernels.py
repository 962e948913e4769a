#!/usr/bin/env python3
"""Guest instructions per micro_speech Invoke on Cortex-M3, reference vs optimised kernels.

Builds examples/micro_speech for each target twice (make KERNELS=reference and
KERNELS=optimized), runs each on QEMU with its translation and execution log
(-d in_asm,exec,nochain: every executed block and the instructions in it) and counts the
instructions executed inside tm_interp_invoke, per operator: a function belongs to the
kernel file it was linked from (the linker map says which), and the shared helpers it calls
(fixed-point, window walk) are charged to the kernel that called them. Functions are told
apart by address, not name: several kernel files have a static invoke(). The example runs four
clips, each one Invoke; figures are per Invoke. Prints figures and ratios only, no assertion.

This is QEMU's own tracing, not a plugin: it needs nothing but qemu-system-arm.

Usage: .venv/bin/python bench/kernels.py [--target qemu_cortexm3] [--target bluepill]
"""
from __future__ import annotations

import argparse
import bisect
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "reference_runtime"
MACHINES = {"qemu_cortexm3": "mps2-an385", "bluepill": "netduino2"}
SETS = ("reference", "optimized")
INVOKES = 4  # clips in examples/micro_speech/micro_speech_test.c
GOAL = 1_500_000
# Files whose functions serve every kernel: charged to the kernel that called them.
SHARED = {"tm_quant", "tm_window", "tm_conv_common", "tm_kernel_util", "tm_binary",
          "tm_ctx", "tm_tensor", "memcpy", "memset"}
_MAP_TEXT = re.compile(r"^ \.text\.(?P<fn>\S+)\s*\n?\s+0x(?P<addr>[0-9a-f]+)"
                       r"\s+0x(?P<size>[0-9a-f]+) (?P<obj>\S+)$", re.M)
_LINKED = "Linker script and memory map"  # the map's part after the discarded sections
_OBJ = re.compile(r"(?:\((?P<member>\w+)\.o\)|/(?P<file>\w+)\.o)$")
_TRACE = re.compile(r"^Trace \d+: \S+ \[[0-9a-f]+/(?P<pc>[0-9a-f]+)/[^\]]*\] (?P<fn>\S*)")
_INSN = re.compile(r"^0x(?P<pc>[0-9a-f]{8}):\s")
# Kernel objects: kernels/<op>.c and kernels/optimized/<op>_int8.c.
_KERNELS = {"depthwise_conv_2d", "conv_2d", "fully_connected", "softmax", "reshape", "add",
            "mul", "pooling", "quantize", "dequantize", "activations", "logistic", "tanh"}


def build(target: str, kernels: str) -> Path:
    """make the example for one target and kernel set; returns its ELF."""
    subprocess.run(["make", "-s", "-C", str(RUNTIME), "-j2", f"TARGET={target}",
                    f"KERNELS={kernels}", "tests"], check=True, stdout=subprocess.DEVNULL)
    folder = target if kernels == "optimized" else f"{target}-{kernels}"
    return RUNTIME / "gen" / folder / "bin" / "micro_speech_test.elf"


def owners(map_text: str) -> list[tuple[int, int, str]]:
    """(start, end, object file stem) of every linked function, by address."""
    result = []
    for m in _MAP_TEXT.finditer(map_text, map_text.find(_LINKED)):
        o = _OBJ.search(m["obj"])
        if o:
            start = int(m["addr"], 16)
            result.append((start, start + int(m["size"], 16), o["member"] or o["file"]))
    return sorted(result)


def owner_at(owner: list[tuple[int, int, str]], pc: int, fn: str) -> str:
    """The object file of the function at pc (fn, QEMU's name for it, when none)."""
    i = bisect.bisect_right(owner, (pc, float("inf"), "")) - 1
    return owner[i][2] if i >= 0 and owner[i][0] <= pc < owner[i][1] else fn


def op_of(obj: str) -> str | None:
    name = obj.removesuffix("_int8")
    return name.upper() if name in _KERNELS else None


def trace(elf: Path, machine: str, log: Path) -> None:
    """Runs elf under QEMU until its last test line (bluepill programs never exit)."""
    with subprocess.Popen(["qemu-system-arm", "-M", machine, "-cpu", "cortex-m3", "-nographic",
                           "-monitor", "none", "-semihosting-config", "enable=on,target=native",
                           "-kernel", str(elf), "-d", "in_asm,exec,nochain", "-D", str(log)],
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as qemu:
        try:
            for line in qemu.stdout:
                if "TESTS PASSED~~~" in line or "TESTS FAILED~~~" in line:
                    break
        finally:
            qemu.kill()


def per_op(log: Path, owner: list[tuple[int, int, str]]) -> Counter:
    """Instructions inside tm_interp_invoke, per operator ("interpreter" for the rest)."""
    sizes: dict[int, int] = {}
    counts: Counter = Counter()
    block, n, inside, current = None, 0, False, "interpreter"
    with log.open(errors="replace") as f:
        for line in f:
            if line.startswith("IN:"):
                block, n = None, 0
            elif m := _INSN.match(line):
                block = int(m["pc"], 16) if block is None else block
                n += 1
                sizes[block] = n
            elif m := _TRACE.match(line):
                fn = m["fn"]
                if fn == "tm_interp_invoke":
                    inside = True
                    current = "interpreter"
                elif fn == "classify":
                    inside = False
                if not inside:
                    continue
                obj = owner_at(owner, int(m["pc"], 16), fn)
                op = op_of(obj)
                if op is not None:
                    current = op
                elif obj not in SHARED:
                    current = "interpreter"
                counts[current] += sizes.get(int(m["pc"], 16), 0)
    return counts


def measure(target: str, kernels: str) -> Counter:
    elf = build(target, kernels)
    owner = owners(elf.with_suffix(".map").read_text())
    with tempfile.TemporaryDirectory() as tmp:
        log = Path(tmp) / "exec.log"
        trace(elf, MACHINES[target], log)
        return per_op(log, owner)


def report(target: str) -> None:
    ref, opt = (measure(target, k) for k in SETS)
    print(f"{target}: guest instructions per micro_speech Invoke (mean of {INVOKES})")
    print(f"  {'op':20} {'reference':>12} {'optimized':>12} {'ratio':>7}")
    for op in sorted(set(ref) | set(opt), key=lambda o: -ref.get(o, 0)):
        r, o = ref.get(op, 0) / INVOKES, opt.get(op, 0) / INVOKES
        print(f"  {op:20} {r:12,.0f} {o:12,.0f} {r / o if o else 0:6.2f}x")
    r, o = sum(ref.values()) / INVOKES, sum(opt.values()) / INVOKES
    print(f"  {'total':20} {r:12,.0f} {o:12,.0f} {r / o if o else 0:6.2f}x"
          f"   (goal <= {GOAL:,}: {'met' if o <= GOAL else 'not met'})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", action="append", choices=sorted(MACHINES))
    for target in parser.parse_args().target or sorted(MACHINES, reverse=True):
        report(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
