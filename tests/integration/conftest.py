"""Integration tests build real firmware with the real toolchain and run it on real
emulators (installed by ci/setup); nothing here is mocked."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest


FixtureBuilder = Callable[[str], dict[str, Path]]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/integration/" in str(item.fspath):
            item.add_marker(pytest.mark.integration)


@pytest.fixture(scope="session")
def fixture_elfs(root: Path) -> FixtureBuilder:
    """target name -> {fixture name: ELF path}, built once per target per session from
    tests/firmware/ (see reference_runtime/Makefile, goal `fixtures`)."""
    built: dict[str, dict[str, Path]] = {}

    def build(target_name: str) -> dict[str, Path]:
        if target_name not in built:
            subprocess.run(["make", "-s", "-C", str(root / "reference_runtime"), "-j2",
                            f"TARGET={target_name}", "fixtures"], check=True,
                           stdin=subprocess.DEVNULL)
            folder = root / "reference_runtime" / "gen" / target_name / "fixtures"
            built[target_name] = {p.stem: p for p in sorted(folder.glob("*.elf"))}
        return built[target_name]

    return build


# The installed CLI beside this interpreter (the project venv), as a user runs it.
TFLM_TEST = str(Path(sys.executable).parent / "tflm-test")


def tflm_test(*args: str, cwd: Path | None = None, timeout: float = 600,
              env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([TFLM_TEST, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=timeout, env=env)
