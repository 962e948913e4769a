"""Unit tests start no processes: Popen is replaced by a stub that fails loudly."""

from __future__ import annotations

import subprocess

import pytest


class _NoProcesses:
    def __init__(self, *args: object, **kwargs: object) -> None:
        raise AssertionError(f"unit tests must not start processes: {args!r}")


@pytest.fixture(autouse=True)
def no_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(subprocess, "Popen", _NoProcesses)
