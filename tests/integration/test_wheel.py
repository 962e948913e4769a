"""tflm-test as a user installs it: a wheel built from this tree, installed into a fresh venv
outside the checkout (no editable install, no source tree), runs prebuilt binaries, lists
its built-in boards and tests the sample project from the project's own folder."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT
from .conftest import FixtureBuilder

SAMPLE = ROOT / "tests" / "sample_project"

pytestmark = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="needs arm-none-eabi-gcc and qemu-system-arm (ci/setup installs both)")


def _clean_env() -> dict[str, str]:
    """Our environment without anything that points back at this checkout or its venv."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "VIRTUAL_ENV", "TFLM_TEST_PROJECT")}
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep)
                                  if not p.startswith(str(ROOT)))
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The tflm-test command of a fresh venv that has only the wheel (and its dependencies)."""
    where = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w",
                    str(where / "dist"), str(ROOT)], check=True, env=_clean_env(), cwd=where)
    wheel = next((where / "dist").glob("tflm_test-*.whl"))
    subprocess.run([sys.executable, "-m", "venv", str(where / "venv")], check=True)
    subprocess.run([str(where / "venv" / "bin" / "pip"), "install", "-q", str(wheel)],
                   check=True, env=_clean_env(), cwd=where)
    return where / "venv" / "bin" / "tflm-test"


def _run(tflm_test: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(tflm_test), *args], capture_output=True, text=True, cwd=cwd,
                          env=_clean_env(), timeout=600)


def test_the_installed_package_is_not_the_checkout(installed: Path, tmp_path: Path) -> None:
    python = installed.parent / "python"
    where = subprocess.run([str(python), "-c", "import tflm_test; print(tflm_test.__file__)"],
                           capture_output=True, text=True, cwd=tmp_path, env=_clean_env(),
                           check=True).stdout.strip()
    assert "site-packages" in where and not where.startswith(str(ROOT))


def test_builtin_boards_come_from_the_package(installed: Path, tmp_path: Path) -> None:
    proc = _run(installed, "targets", cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    boards = [ln.split()[0] for ln in proc.stdout.splitlines() if not ln.startswith(" ")]
    assert boards == ["bluepill", "host", "host_sanitize", "qemu_cortexm3"]
    assert proc.stdout.count("from      built-in") == 4


def test_run_a_prebuilt_binary_from_any_folder(installed: Path, tmp_path: Path,
                                               fixture_elfs: FixtureBuilder) -> None:
    elfs = fixture_elfs("qemu_cortexm3")
    report = tmp_path / "r.json"
    proc = _run(installed, "run", str(elfs["pass"]), str(elfs["fail"]), "--target",
                "qemu_cortexm3", "--json", str(report), cwd=tmp_path)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    verdicts = {r["key"]: r["verdict"] for r in json.loads(report.read_text())["results"]}
    assert verdicts == {"pass": "PASS", "fail": "FAIL"}


def test_the_sample_project_through_the_installed_wheel(installed: Path, tmp_path: Path) -> None:
    project = tmp_path / "sample"
    shutil.copytree(SAMPLE, project, ignore=shutil.ignore_patterns("build"))
    expected = json.loads((project / "expected.json").read_text())
    for target in ("qemu_cortexm3", "bluepill"):
        report = tmp_path / f"{target}.json"
        proc = _run(installed, "--target", target, "-j", "2", "--json", str(report), cwd=project)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        judged = {r["key"]: {"verdict": r["verdict"], "format": r["format"],
                             "cases": {c["name"]: c["status"] for c in r["cases"]}}
                  for r in json.loads(report.read_text())["results"]}
        assert judged == expected[target]
