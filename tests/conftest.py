"""Shared pytest setup: the project root and the repo's own test data."""

from __future__ import annotations

import os
from collections.abc import Iterator
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
def own_result_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Each test its own result cache (never the user's ~/.cache/tflm-test): a test that runs
    a binary must run it, unless it is a test of the cache. Not through monkeypatch: that
    would make every test's monkeypatch outlive the other fixtures' teardowns."""
    folder = tmp_path_factory.mktemp("result-cache")
    before = os.environ.get("TFLM_TEST_CACHE_DIR")
    os.environ["TFLM_TEST_CACHE_DIR"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("TFLM_TEST_CACHE_DIR", None)
    else:
        os.environ["TFLM_TEST_CACHE_DIR"] = before
