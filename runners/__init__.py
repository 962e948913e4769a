"""Runners: one module per way of running a binary, all behind runners.base.Runner."""

from __future__ import annotations

import importlib

from ..errors import UnknownName
from .base import Runner

# name -> "module:Class", imported lazily so a missing optional dependency only matters when used.
RUNNERS = {
    "host": "host:HostRunner",
    "qemu": "qemu:QemuRunner",
    "renode": "renode:RenodeRunner",
    "docker": "docker:DockerRunner",
}


def load_runner(name: str) -> type[Runner]:
    """The Runner class registered under name.

    Raises:
        UnknownName: name is not in RUNNERS; the message lists the known names.
    """
    if name not in RUNNERS:
        raise UnknownName(f"unknown runner {name!r}; known runners: {', '.join(sorted(RUNNERS))}")
    module, _, cls = RUNNERS[name].partition(":")
    return getattr(importlib.import_module(f"{__name__}.{module}"), cls)
