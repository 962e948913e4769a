"""Shared pytest setup: the project root and the repo's own test data."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def recorded_logs() -> Path:
    """Verbatim logs captured from real runs (see tests/data/logs/README.md)."""
    return ROOT / "tests" / "data" / "logs"


@pytest.fixture(autouse=True)
def own_result_cache(tmp_path_factory: pytest.TempPathFactory,
                     monkeypatch: pytest.MonkeyPatch) -> Path:
    """Each test its own result cache (never the user's ~/.cache/tflm-test): a test that runs
    a binary must run it, unless it is a test of the cache."""
    folder = tmp_path_factory.mktemp("result-cache")
    monkeypatch.setenv("TFLM_TEST_CACHE_DIR", str(folder))
    return folder
