#!/usr/bin/env python3
"""Output without newlines: how fast the follow loop reads it and how much memory a run
holds, for lines of 50, 100 and 200 MB (issue 9: `pending += chunk` took 14.7 s for 50 MB,
62.5 s for 100 MB, and 321 MB of RSS). Prints figures only.

Usage: .venv/bin/python bench/long_lines.py [--sizes 50,100,200]
"""
from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from tflm_test.runners.base import RunRequest
from tflm_test.runners.launch import Command
from tflm_test.runners.process import run_process

WRITER = ("import sys\nchunk = b'x' * 65536\nfor _ in range({n}): sys.stdout.buffer.write(chunk)\n"
          "sys.stdout.buffer.write(b'\\nEND\\n')")


def one(size_mb: int, folder: Path) -> tuple[float, int]:
    request = RunRequest(binary=Path("x"), log_path=folder / f"{size_mb}.log", work_dir=folder,
                         timeout_s=600, stop_on=lambda line: False)
    start = time.monotonic()
    run_process(Command((sys.executable, "-c", WRITER.format(n=size_mb * 16))), request)
    seconds = time.monotonic() - start
    return seconds, request.log_path.stat().st_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200", help="line sizes in MB")
    sizes = [int(s) for s in parser.parse_args().sizes.split(",")]
    print(f"{'line':>8} {'seconds':>8} {'MB/s':>7} {'log bytes':>12}")
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            seconds, logged = one(size, Path(tmp))
            print(f"{size:>6}MB {seconds:8.2f} {size / seconds:7.0f} {logged:>12}")
            Path(tmp, f"{size}.log").unlink()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process (follow loop only; the writer is a child): {peak:.0f} MB")


if __name__ == "__main__":
    main()
