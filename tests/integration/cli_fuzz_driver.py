"""Runs seeded mutants of one model through `tflm-test verify`, many per process (a process
per mutant would spend most of the time starting Python): the CLI's own entry point, its
output captured per mutant. Started as a subprocess by test_cli_fuzz.py, so a signal that
kills it is seen there, with the mutant it was on.

    python cli_fuzz_driver.py MODEL WORK COUNT SEED OUT_DIR [GOLDEN]

Writes WORK/<stem>_<i>.tflite for each mutant and prints one JSON line per mutant, before
({"start": i}) and after ({"i": i, "exit": code, "lines": [...], "traceback": str|null}).
"""

from __future__ import annotations

import io
import json
import random
import sys
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

from tflm_test import cli


def mutant(data: bytes, rng: random.Random) -> bytes:
    """1 to 4 random bytes set to random values, as the issue's 40 mutants were."""
    out = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        out[rng.randrange(len(out))] = rng.randrange(256)
    return bytes(out)


def run_one(args: list[str]) -> tuple[int, list[str], str | None]:
    buf = io.StringIO()
    code, tb = 0, None
    with redirect_stdout(buf), redirect_stderr(buf):
        try:
            cli.cli.main(args, prog_name="tflm-test", standalone_mode=False)
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
        except Exception:  # noqa: BLE001 (any escape is the bug this test looks for)
            code, tb = -1, traceback.format_exc()
    return code, buf.getvalue().splitlines(), tb


def main(model: str, work: str, count: str, seed: str, out_dir: str,
         golden: str | None = None) -> None:
    data, rng = Path(model).read_bytes(), random.Random(int(seed))
    for i in range(int(count)):
        path = Path(work) / f"fuzzcli_{Path(model).stem}_{i}.tflite"
        path.write_bytes(mutant(data, rng))
        print(json.dumps({"start": i}), flush=True)
        args = ["verify", str(path), "--out", out_dir, "--timeout", "20"]
        code, lines, tb = run_one(args + (["--golden", golden] if golden else []))
        print(json.dumps({"i": i, "exit": code, "lines": lines, "traceback": tb}), flush=True)
        path.unlink()


if __name__ == "__main__":
    main(*sys.argv[1:])
