"""Targets as data: platforms/*.yaml loaded into frozen dataclasses.

Adding a target means adding a yaml (and its make target in reference_runtime/targets/);
no Python names a target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import TflmTestError, UnknownName


@dataclass(frozen=True)
class Tool:
    """A program we run, and the Debian package that installs it."""

    program: str
    package: str


@dataclass(frozen=True)
class EmulatorSpec:
    """One way to run a target's binaries, in the target's order of preference."""

    runner: str  # a name in runners.RUNNERS
    machine: str | None = None  # qemu -M
    cpu: str | None = None  # qemu -cpu
    args: tuple[str, ...] = ()  # extra emulator arguments
    script: Path | None = None  # renode .resc, absolute


@dataclass(frozen=True)
class MemoryRegion:
    name: str
    origin: int
    length: int


@dataclass(frozen=True)
class Target:
    name: str
    description: str
    make_target: str
    elf_machine: str  # "arm" or "native"
    can_exit: bool  # False: the binary never exits; stop it on its final line
    toolchain: Tool
    emulators: tuple[EmulatorSpec, ...]
    memory: tuple[MemoryRegion, ...] = field(default=())


def _emulator(raw: dict[str, Any], platforms_dir: Path) -> EmulatorSpec:
    script = raw.get("script")
    return EmulatorSpec(
        runner=str(raw["runner"]),
        machine=raw.get("machine"),
        cpu=raw.get("cpu"),
        args=tuple(str(a) for a in raw.get("args", ())),
        script=(platforms_dir / script).resolve() if script else None,
    )


def parse_target(raw: dict[str, Any], platforms_dir: Path) -> Target:
    """Build a Target from one yaml document; KeyError/TypeError mean a malformed file."""
    return Target(
        name=str(raw["name"]),
        description=str(raw.get("description", "")),
        make_target=str(raw["make_target"]),
        elf_machine=str(raw["elf_machine"]),
        can_exit=bool(raw["can_exit"]),
        toolchain=Tool(**raw["toolchain"]),
        emulators=tuple(_emulator(e, platforms_dir) for e in raw["emulators"]),
        memory=tuple(MemoryRegion(**m) for m in raw.get("memory", ())),
    )


def load_targets(platforms_dir: Path) -> dict[str, Target]:
    """Every platforms/*.yaml, by target name.

    Raises:
        TflmTestError: a yaml file is unreadable or misses a required key.
    """
    targets: dict[str, Target] = {}
    for path in sorted(platforms_dir.glob("*.yaml")):
        try:
            target = parse_target(yaml.safe_load(path.read_text()), platforms_dir)
        except (OSError, yaml.YAMLError, KeyError, TypeError, AttributeError) as exc:
            raise TflmTestError(f"{path}: not a valid target description ({exc!r})") from exc
        targets[target.name] = target
    return targets


def get_target(name: str, platforms_dir: Path) -> Target:
    """The named target.

    Raises:
        UnknownName: no platforms/<name>.yaml; the message lists the known targets.
    """
    targets = load_targets(platforms_dir)
    if name not in targets:
        known = ", ".join(sorted(targets)) or "none"
        raise UnknownName(f"unknown target {name!r}; known targets: {known}")
    return targets[name]
