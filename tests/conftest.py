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
