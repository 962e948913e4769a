"""The whole `tflm-test verify` path on corrupted models (issue 12): seeded mutants of every
shipped model, with and without --golden. Each must end in exit 0, or exit 1 with one
"tflm-test: error:" line (or a report ending in its verdict line), never a traceback, a
signal or another exit code. The mutants run in batches (cli_fuzz_driver.py, one process
per model and mode, two at a time), since a Python start per mutant would take most of the
time; a driver killed by a signal fails the test with the mutant it was on."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "reference_runtime" / "tests" / "models"
GOLDEN = ROOT / "tests" / "data" / "models" / "golden"
DRIVER = Path(__file__).with_name("cli_fuzz_driver.py")
# Per model and mode: 200, so 400 for a model with a golden file, 2,800 in all (about 0.55
# CPU-seconds each). TFLM_TEST_CLI_FUZZ_MUTANTS asks for another count.
MUTANTS = int(os.environ.get("TFLM_TEST_CLI_FUZZ_MUTANTS", "200"))
WORKERS = 2
SEED = 12
# PASS: all 4 cases match   /   FAIL: 1 of 8 cases differ: random_1
_VERDICT = re.compile(r"^(PASS|FAIL|CRASH|TIMEOUT|ERROR): ")


@dataclass(frozen=True)
class Batch:
    model: Path
    golden: Path | None

    @property
    def name(self) -> str:
        return f"{self.model.stem}{' --golden' if self.golden else ''}"


def batches() -> list[Batch]:
    found = []
    for model in sorted(MODELS.glob("*.tflite")):
        golden = GOLDEN / f"{model.stem}.json"
        found.append(Batch(model, None))
        if golden.exists():
            found.append(Batch(model, golden))
    return found


def problem(record: dict[str, object]) -> str | None:
    """Why a mutant's outcome breaks the rule, or None."""
    lines = [ln for ln in record["lines"] if not ln.startswith("note: ")]  # type: ignore[union-attr]
    if record["traceback"] or any("Traceback" in ln for ln in lines):
        return f"traceback: {record['traceback'] or lines}"
    if record["exit"] == 0:
        return None
    if record["exit"] != 1:
        return f"exit {record['exit']}: {lines[-3:]}"
    if len(lines) == 1 and lines[0].startswith("tflm-test: error: "):
        return None
    if lines and _VERDICT.match(lines[-1]):
        return None
    return f"exit 1 without one error line: {lines[-5:]}"


def start(batch: Batch, work: Path, out: Path) -> subprocess.Popen[str]:
    work = work / batch.name.replace(" ", "")  # a folder per batch: mutant names repeat
    work.mkdir()
    argv = [sys.executable, str(DRIVER), str(batch.model), str(work), str(MUTANTS), str(SEED),
            str(out)] + ([str(batch.golden)] if batch.golden else [])
    return subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            cwd=ROOT)


def check(batch: Batch, proc: subprocess.Popen[str]) -> list[str]:
    output, _ = proc.communicate(timeout=900)
    records = [json.loads(ln) for ln in output.splitlines() if ln.startswith("{")]
    done = [r for r in records if "exit" in r]
    failures = [f"{batch.name} mutant {r['i']}: {why}" for r in done if (why := problem(r))]
    if proc.returncode != 0 or len(done) != MUTANTS:
        last = records[-1] if records else {}
        failures.append(f"{batch.name}: driver ended with {proc.returncode} after "
                        f"{len(done)} mutants (last: {last}); tail: {output[-1500:]}")
    return failures


@pytest.mark.skipif(shutil.which("cc") is None, reason="needs a host C compiler")
def test_mutated_models_through_verify_are_one_line_or_a_verdict(tmp_path: Path) -> None:
    pytest.importorskip("tflite_micro")  # the path without --golden runs the oracle
    work, out = tmp_path / "mutants", tmp_path / "out"
    work.mkdir()
    pending, failures = batches(), []
    running: list[tuple[Batch, subprocess.Popen[str]]] = []
    try:
        while pending or running:
            while pending and len(running) < WORKERS:
                batch = pending.pop(0)
                running.append((batch, start(batch, work, out)))
            batch, proc = running.pop(0)
            failures += check(batch, proc)
    finally:
        for _, proc in running:
            proc.kill()
            proc.wait()
        for folder in (ROOT / "reference_runtime" / "gen" / "host").glob("*/verify_fuzzcli_*"):
            shutil.rmtree(folder, ignore_errors=True)
    assert not failures, "\n".join(failures[:20])
