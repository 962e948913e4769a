"""A short fuzz pass, as CI runs it: the libFuzzer target and the seeded mutation driver
(reference_runtime/fuzz/) on the shipped models, both under ASan + UBSan. Any sanitizer report
or crash fails; every tm_status is a fine outcome. The long runs are bench/fuzz.py."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

# ==1234==ERROR: AddressSanitizer: heap-buffer-overflow on address ...
# ==1234== ERROR: libFuzzer: deadly signal
# kernels/add.c:30:19: runtime error: signed integer overflow: ...
# fuzz_model: arena guard damaged after operator 2 (ADD): tensor 3
# (anchored: libFuzzer's dictionary output may quote these strings mid-line)
_REPORT = re.compile(r"^==\d+== ?ERROR: .*|^\S+:\d+:\d+: runtime error: .*"
                     r"|^fuzz_model: arena guard damaged.*", re.M)
# histogram: TM_OK=812 TM_ERR_ARG=0 ...
_HISTOGRAM = re.compile(r"^histogram:((?: TM_\w+=\d+)+)$", re.M)

needs_clang = pytest.mark.skipif(shutil.which("clang") is None,
                                 reason="clang not installed (ci/setup installs it)")


def runtime(root: Path) -> Path:
    return root / "reference_runtime"


def build_fuzzers(root: Path) -> Path:
    """make fuzz; returns gen/fuzz."""
    proc = subprocess.run(["make", "-C", str(runtime(root)), "-j2", "fuzz"], capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    return runtime(root) / "gen" / "fuzz"


def seeds(root: Path) -> list[str]:
    return sorted(str(p) for p in (runtime(root) / "tests" / "models").glob("*.tflite"))


def assert_clean(proc: subprocess.CompletedProcess[str]) -> None:
    output = proc.stdout + proc.stderr
    report = _REPORT.search(output)
    assert report is None and proc.returncode == 0, (
        f"exit {proc.returncode}; {report[0] if report else 'no report'}; "
        f"last output: {output[-3000:]}")


@needs_clang
def test_libfuzzer_short_pass(root: Path, tmp_path: Path) -> None:
    fuzz = build_fuzzers(root)
    corpus = tmp_path / "corpus"  # new inputs go here: the seed folder stays untouched
    corpus.mkdir()
    proc = subprocess.run([str(fuzz / "fuzz_model"), "-runs=3000", "-seed=1",
                           f"-artifact_prefix={tmp_path}/", str(corpus),
                           str(runtime(root) / "tests" / "models")],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert_clean(proc)
    assert "Done 3000 runs" in proc.stderr


@needs_clang
def test_mutation_driver_short_pass(root: Path, tmp_path: Path) -> None:
    fuzz = build_fuzzers(root)
    proc = subprocess.run([str(fuzz / "mutate_models"), "-seed=1", "2000", *seeds(root)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert_clean(proc)
    m = _HISTOGRAM.search(proc.stdout)
    assert m is not None, proc.stdout
    counts = {k: int(v) for k, v in (kv.split("=") for kv in m[1].split())}
    assert sum(counts.values()) == 2000
    assert counts["TM_OK"] >= len(seeds(root))  # at least the unmutated seeds run
    assert counts["TM_ERR_MODEL"] > 0  # and the mutations reach the verifier


# Inputs the fuzzers found, kept as regression cases (reference_runtime/fuzz/regressions/).
REGRESSIONS = sorted((Path(__file__).resolve().parents[2] / "reference_runtime" / "fuzz" /
                      "regressions").glob("*.tflite"))
# Still open (reported to the kernel owners; see fuzz/README.md). strict: once fixed, the
# XPASS fails this test until the entry is removed, so the case becomes a plain regression.
OPEN: dict[str, str] = {}  # regressions still failing: stem -> where (none open)


def regression_params() -> list[object]:
    return [pytest.param(p, id=p.stem, marks=[pytest.mark.xfail(strict=True, reason=OPEN[p.stem])]
                         if p.stem in OPEN else []) for p in REGRESSIONS]


@needs_clang
@pytest.mark.parametrize("case", regression_params())
def test_fuzz_regression(root: Path, tmp_path: Path, case: Path) -> None:
    fuzz = build_fuzzers(root)
    proc = subprocess.run([str(fuzz / "mutate_models"), "-repro", str(case)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert_clean(proc)
