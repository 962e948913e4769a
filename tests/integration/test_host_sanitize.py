"""The whole C test suite built with ASan + UBSan (platforms/host_sanitize.yaml) through the
CLI, as CI runs it: any sanitizer report is a CRASH verdict, so exit 0 means none."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import tflm_test


@pytest.mark.skipif(shutil.which("cc") is None, reason="no C compiler (ci/setup installs gcc)")
def test_every_test_passes_under_sanitizers(tmp_path: Path) -> None:
    report = tmp_path / "report.json"
    proc = tflm_test("--target", "host_sanitize", "--out", str(tmp_path / "out"),
                     "--json", str(report), timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    text = report.read_text()
    assert "api_errors_test" in text and "host_sanitize" in text
    assert json.loads(text)  # a well-formed report
