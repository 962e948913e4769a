"""STRIP_MESSAGES=1 (include/tm_log.h, TM_MSG): the runtime's diagnostics compile to nothing
while every status stays the same. Checked on the real builds: the error-path suite passes
stripped and prints only its own test lines, the same program unstripped prints the
diagnostics, and the stripped micro_speech example still recognises its words on bluepill."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tflm_test import elf

from .conftest import tflm_test

DIAGNOSTIC = "model invalid:"  # the verifier's prefix (src/tm_model.c)


def _build(root: Path, target: str, program: str, strip: bool) -> Path:
    gen = f"gen/{target}{'-stripped' if strip else ''}"
    subprocess.run(["make", "-s", "-C", str(root / "reference_runtime"), "-j2",
                    f"TARGET={target}", f"STRIP_MESSAGES={int(strip)}",
                    f"{gen}/bin/{program}.elf"], check=True, stdin=subprocess.DEVNULL)
    return root / "reference_runtime" / gen / "bin" / f"{program}.elf"


def _run(program: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(program)], capture_output=True, text=True, timeout=120)


def test_stripped_error_paths_keep_their_statuses_and_print_no_diagnostics(root: Path) -> None:
    full = _run(_build(root, "host", "api_errors_test", strip=False))
    stripped_elf = _build(root, "host", "api_errors_test", strip=True)
    stripped = _run(stripped_elf)
    assert full.returncode == 0 and DIAGNOSTIC in full.stderr, full.stderr[-2000:]
    assert stripped.returncode == 0, stripped.stderr[-2000:]
    lines = stripped.stderr.splitlines()
    assert lines[-1] == "~~~ALL TESTS PASSED~~~"
    others = [line for line in lines[:-2] if not line.startswith("Testing ")]
    assert others == [], others
    assert DIAGNOSTIC.encode() not in stripped_elf.read_bytes()


def test_stripped_micro_speech_still_recognises_on_bluepill(root: Path, tmp_path: Path) -> None:
    full = _build(root, "bluepill", "micro_speech_test", strip=False)
    stripped = _build(root, "bluepill", "micro_speech_test", strip=True)
    report = tmp_path / "report.json"
    proc = tflm_test("run", str(stripped), "--target", "bluepill", "--no-cache",
                     "--out", str(tmp_path / "out"), "--json", str(report))
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    (result,) = json.loads(report.read_text())["results"]
    assert result["verdict"] == "PASS"
    assert "heard yes" in Path(result["log"]).read_text()
    assert elf.memory_use(stripped).flash < elf.memory_use(full).flash
