#!/usr/bin/env python3
"""What the QEMU instruction-count plugin costs: seconds per run of the reference runtime's
test binaries on qemu_cortexm3 (mps2-an385) with and without it, through the QEMU runner
(the same argv, follow loop and marker filter a real run uses). Prints figures only.

Usage: .venv/bin/python bench/icount.py [--rounds N] [BINARY...]
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from tflm_test.runners.base import RunnerConfig, RunRequest
from tflm_test.runners.icount import PluginUnavailable
from tflm_test.runners.qemu import QemuRunner
from tflm_test.targets import load_boards
from tflm_test.testlog import final_line_rule

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ("micro_speech_test", "conv_test", "softmax_test")


def seconds(runner: QemuRunner, binary: Path, work: Path, rounds: int) -> tuple[float, object]:
    times, count = [], None
    for _ in range(rounds):
        start = time.monotonic()
        outcome = runner.run(RunRequest(binary, work / "out.log", work, 60.0,
                                        final_line_rule(), 2.0))
        times.append(time.monotonic() - start)
        count = outcome.extras.get("executed_instructions")
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("binaries", nargs="*", type=Path)
    args = parser.parse_args()
    subprocess.run(["make", "-s", "-C", str(ROOT / "reference_runtime"), "-j2",
                    "TARGET=qemu_cortexm3", "tests"], check=True)
    folder = ROOT / "reference_runtime" / "gen" / "qemu_cortexm3" / "bin"
    binaries = args.binaries or [folder / f"{name}.elf" for name in DEFAULT]
    board = load_boards().get("qemu_cortexm3")
    counted = QemuRunner(board, board.emulators[0], RunnerConfig())
    plain = QemuRunner(board, board.emulators[0], RunnerConfig())
    plain._plugin = PluginUnavailable("off for the comparison")  # noqa: SLF001 (a bench)
    print(f"{'binary':<22} {'plain s':>8} {'plugin s':>9} {'ratio':>6} {'instructions':>13}")
    with tempfile.TemporaryDirectory() as tmp:
        for binary in binaries:
            base, _ = seconds(plain, binary, Path(tmp), args.rounds)
            with_plugin, count = seconds(counted, binary, Path(tmp), args.rounds)
            print(f"{binary.stem:<22} {base:8.3f} {with_plugin:9.3f} {with_plugin / base:6.2f} "
                  f"{count!s:>13}")


if __name__ == "__main__":
    main()
