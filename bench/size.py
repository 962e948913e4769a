#!/usr/bin/env python3
"""Code size on bluepill (Cortex-M3, -Os, newlib-nano, --gc-sections), from the linker map.

Prints the flash bytes of
  - the interpreter core: flatbuffer reader/verifier, arena allocator, planner, interpreter,
    resolver (src/tm_model, tm_arena, tm_planner, tm_interp, tm_ctx, tm_resolver, ...), no kernels
  - the micro_speech application without model data: the micro_speech example with its four
    kernels, minus the model array and the test's feature vectors
beside the 2019 TFLM preview figures and our goals, for the default build and for one with the
runtime's diagnostics compiled out (STRIP_MESSAGES=1). Figures and ratios only: no assertion.

Usage: .venv/bin/python bench/size.py     (builds the example for bluepill first)
"""
from __future__ import annotations

import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNTIME = ROOT / "reference_runtime"
FLASH_OUTPUTS = (".isr_vector", ".text", ".ARM.exidx", ".data")
CORE = {"tm_model", "tm_arena", "tm_planner", "tm_interp", "tm_ctx", "tm_resolver",
        "tm_tensor", "tm_status", "tm_options", "tm_op_names"}
TFLM_2019 = {"core": 16 * 1024, "app": 22 * 1024}  # TFLM preview (2019): interpreter, micro_speech
GOALS = {"core": 8 * 1024, "app": 12 * 1024}

# " .text.tm_interp_init" then "0x080004c0 0x174 gen/bluepill/lib/libtm.a(tm_interp.o)",
# on one line or two
_INPUT = re.compile(
    r"^ (?P<section>\.\S+)\s*\n?\s+0x[0-9a-f]+\s+0x(?P<size>[0-9a-f]+) (?P<obj>\S.*)$", re.M)
_OUTPUT = re.compile(r"^(?P<name>\.\S+)\s+0x[0-9a-f]+\s+0x[0-9a-f]+", re.M)


def category(obj: str, section: str) -> str:
    """Which part of the program an input section belongs to."""
    if "model_data" in obj:
        return "model data"
    if "micro_speech_test.o" in obj:
        return "test data" if re.search(r"_(features|scores)$", section) else "application"
    if m := re.search(r"libtm\.a\((?P<o>\w+)\.o\)", obj):
        name = m["o"]
        if name in CORE:
            return "core"
        return "logging" if name == "tm_log" else "kernels"
    if "targets/" in obj:
        return "port (startup, semihosting)"
    return "libc/libgcc"


def flash_by_category(map_text: str) -> dict[str, int]:
    """Flash bytes per category, from the map's input sections inside flash output sections."""
    starts = [(m.start(), m["name"]) for m in _OUTPUT.finditer(map_text)]
    sizes: dict[str, int] = defaultdict(int)
    for m in _INPUT.finditer(map_text):
        owner = next((name for pos, name in reversed(starts) if pos < m.start()), "")
        if owner in FLASH_OUTPUTS:
            sizes[category(m["obj"], m["section"])] += int(m["size"], 16)
    return dict(sizes)


def sizes_of(gen: str) -> dict[str, int]:
    """Build the example under gen/<gen> (bluepill; "-stripped": STRIP_MESSAGES=1) and read
    its map."""
    strip = "1" if gen.endswith("-stripped") else "0"
    subprocess.run(["make", "-C", str(RUNTIME), "-s", "TARGET=bluepill", f"STRIP_MESSAGES={strip}",
                    f"gen/{gen}/bin/micro_speech_test.elf"], check=True)
    return flash_by_category((RUNTIME / "gen" / gen / "bin" / "micro_speech_test.map").read_text())


def main() -> int:
    builds = {"default": sizes_of("bluepill"), "stripped": sizes_of("bluepill-stripped")}
    sizes = builds["default"]
    print("bluepill flash bytes by part (micro_speech example, -Os):")
    print(f"  {'':<30} {'default':>8} {'stripped':>9}")
    for name, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<30} {size:8d} {builds['stripped'].get(name, 0):9d}")
    print(f"\n{'':<34}{'build':>9}{'ours':>7}{'TFLM 2019':>11}{'ratio':>7}{'goal':>7}{'vs goal':>9}")
    for build, parts in builds.items():
        core = parts.get("core", 0)
        app = sum(v for k, v in parts.items() if k not in ("model data", "test data"))
        for label, key, ours in (("interpreter core (no kernels)", "core", core),
                                 ("micro_speech app, no model data", "app", app)):
            print(f"  {label:<32}{build:>9}{ours:7d}{TFLM_2019[key]:11d}"
                  f"{ours / TFLM_2019[key]:7.2f}{GOALS[key]:7d}{ours / GOALS[key]:9.2f}")
    print("\n(app = everything in flash except the model array and the test's feature vectors:"
          " core, kernels, logging, libc/libgcc, startup, the test itself;\n stripped ="
          " STRIP_MESSAGES=1, the runtime's diagnostics compiled out, as TFLM's"
          " TF_LITE_STRIP_ERROR_STRINGS)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
