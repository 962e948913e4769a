"""The project file: how tflm-test builds and finds a project's test binaries.

`tflm-test.toml` at the project's root (or a `[tool.tflm-test]` table in its pyproject.toml),
found upward from the current folder, or named with --project DIR. Keys (docs/project-file.md
has them field by field), for all targets at the top level and per target under
`[target.<name>]`:

    build = ["make", "-j{jobs}", "TARGET={target}", "tests"]   # argv template, no shell
    binaries = "build/{target}/*.elf"                          # glob(s), from the root
    timeout = 30                                               # seconds per binary
    format = "auto"                                            # or micro_test, gtest, unity
    expect_from = "expected.json"                              # cases that must run
    platforms = ["platforms"]                                  # top level only: board folders
    quarantine = "ci/quarantine.toml"                          # top level only: see flaky.py

and `[verify]` for `tflm-test verify` (a runtime with the verify-app contract), `[profile]`
for `tflm-test profile` (the same program built with profiling hooks). Without a
project file, prebuilt binaries still run (`tflm-test run X.elf --target T`) from any folder.
"""

from __future__ import annotations

import glob
import math
import os
import string
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import TflmTestError
from .testlog import Format

PROJECT_FILE = "tflm-test.toml"
PYPROJECT = "pyproject.toml"
AUTO = "auto"  # format: detect it per binary


class BadProject(TflmTestError):
    """The project file is missing, unreadable or not in the expected shape."""


@dataclass(frozen=True)
class TargetSettings:
    """What a project says for one target; None: not said (a default applies)."""

    build: tuple[str, ...] | None = None
    binaries: tuple[str, ...] = ()
    timeout_s: float | None = None
    format: Format | None = None  # None: detect it per binary
    expect_from: Path | None = None

    def over(self, base: TargetSettings) -> TargetSettings:
        """These settings where given, else base's."""
        given = {f.name: getattr(self, f.name) for f in fields(self)
                 if getattr(self, f.name) not in (None, ())}
        return replace(base, **given)


@dataclass(frozen=True)
class VerifySettings:
    """How `tflm-test verify` builds its program with the project's runtime."""

    runtime: Path  # the runtime folder: include/tm_ops.h, kernels/, apps/verify/
    app_dir: str  # where tflm-test writes the program's generated source (template)
    build: tuple[str, ...]  # argv template; {name} {app_dir} {runtime} beside the usual
    elf: str  # where the build puts the program (template, from the root)


@dataclass(frozen=True)
class Project:
    root: Path
    file: Path | None = None  # None: no project file (prebuilt binaries only)
    platforms: tuple[Path, ...] = ()
    defaults: TargetSettings = TargetSettings()
    targets: Mapping[str, TargetSettings] = field(default_factory=dict)
    verify: VerifySettings | None = None
    profile: VerifySettings | None = None  # [profile]: the same program, with profiling hooks
    quarantine: Path | None = None  # failures it lists do not fail the run (flaky.py)

    def settings(self, target: str) -> TargetSettings:
        """The merged settings of one target: its own table over the top level."""
        return self.targets.get(target, TargetSettings()).over(self.defaults)

    def where(self) -> str:
        return str(self.file) if self.file is not None else f"{self.root} (no project file)"


def _fail(where: str, key: str, message: str) -> BadProject:
    return BadProject(f"{where}: {key}: {message}")


def _strings(value: Any, where: str, key: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v
                                                          for v in value):
        raise _fail(where, key, f"expected a non-empty string or list of strings, got {value!r}")
    return tuple(value)


def _argv(value: Any, where: str, key: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise _fail(where, key, "expected a command as a list of strings, e.g. "
                                f'["make", "-j{{jobs}}", "TARGET={{target}}"], got {value!r}')
    return tuple(value)


def _seconds(value: Any, where: str, key: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or value < 0.1:
        raise _fail(where, key, f"expected a finite number of seconds >= 0.1, got {value!r}")
    return float(value)


def parse_format(value: Any, where: str = "--format", key: str = "format") -> Format | None:
    """`auto` (None: detect per binary) or one of the formats.

    Raises:
        BadProject: anything else, naming the choices.
    """
    if value == AUTO:
        return None
    try:
        return Format(value)
    except ValueError:
        known = ", ".join([AUTO, *(str(f) for f in Format)])
        raise _fail(where, key, f"expected one of {known}, got {value!r}") from None


_TARGET_KEYS = {"build", "binaries", "timeout", "format", "expect_from"}
_TOP_KEYS = _TARGET_KEYS | {"platforms", "target", "verify", "profile", "quarantine"}
_VERIFY_KEYS = {"runtime", "app_dir", "build", "elf"}


def _unknown(table: Mapping[str, Any], allowed: set[str], where: str) -> None:
    extra = sorted(set(table) - allowed)
    if extra:
        raise BadProject(f"{where}: unknown key{'s' if len(extra) > 1 else ''} "
                         f"{', '.join(extra)}; known: {', '.join(sorted(allowed))}")


def _target_settings(table: Mapping[str, Any], base: Path, where: str) -> TargetSettings:
    _unknown(table, _TARGET_KEYS, where)
    get = table.get
    return TargetSettings(
        build=_argv(get("build"), where, "build") if "build" in table else None,
        binaries=_strings(get("binaries"), where, "binaries") if "binaries" in table else (),
        timeout_s=_seconds(get("timeout"), where, "timeout") if "timeout" in table else None,
        format=parse_format(get("format"), where) if "format" in table else None,
        expect_from=(base / _strings(get("expect_from"), where, "expect_from")[0]
                     if "expect_from" in table else None))


def _verify_settings(table: Any, base: Path, where: str, name: str = "verify") -> VerifySettings:
    """[verify], or [profile] (the same keys; its templates may also use {kernels})."""
    if not isinstance(table, dict):
        raise _fail(where, name, "expected a table")
    _unknown(table, _VERIFY_KEYS, f"{where} [{name}]")
    missing = sorted(_VERIFY_KEYS - set(table))
    if missing:
        raise _fail(where, f"[{name}]", f"missing {', '.join(missing)}")
    return VerifySettings(runtime=base / _strings(table["runtime"], where, f"{name}.runtime")[0],
                          app_dir=_strings(table["app_dir"], where, f"{name}.app_dir")[0],
                          build=_argv(table["build"], where, f"{name}.build"),
                          elf=_strings(table["elf"], where, f"{name}.elf")[0])


def parse_project(table: Mapping[str, Any], file: Path) -> Project:
    """A Project from a decoded project table (tflm-test.toml, or [tool.tflm-test]).

    Raises:
        BadProject: an unknown key or a value of the wrong kind, naming file and key.
    """
    where, root = str(file), file.parent
    _unknown(table, _TOP_KEYS, where)
    per_target = table.get("target", {})
    if not isinstance(per_target, dict) or not all(isinstance(v, dict)
                                                  for v in per_target.values()):
        raise _fail(where, "target", "expected [target.<name>] tables")
    platforms = _strings(table["platforms"], where, "platforms") if "platforms" in table else ()
    top = {k: v for k, v in table.items() if k in _TARGET_KEYS}
    return Project(
        root=root, file=file, platforms=tuple(root / p for p in platforms),
        defaults=_target_settings(top, root, where),
        targets=MappingProxyType({name: _target_settings(t, root, f"{where} [target.{name}]")
                                  for name, t in per_target.items()}),
        verify=_verify_settings(table["verify"], root, where) if "verify" in table else None,
        profile=(_verify_settings(table["profile"], root, where, "profile")
                 if "profile" in table else None),
        quarantine=(root / _strings(table["quarantine"], where, "quarantine")[0]
                    if "quarantine" in table else None))


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except OSError as exc:
        raise BadProject(f"{path}: cannot read ({exc.strerror or exc})") from exc
    except tomllib.TOMLDecodeError as exc:
        raise BadProject(f"{path}: not valid TOML: {exc}") from exc


def _table_in(folder: Path) -> tuple[Path, Mapping[str, Any]] | None:
    """The project table a folder holds, if any."""
    own = folder / PROJECT_FILE
    if own.is_file():
        return own, _read_toml(own)
    py = folder / PYPROJECT
    if py.is_file():
        table = _read_toml(py).get("tool", {}).get("tflm-test")
        if table is not None:
            if not isinstance(table, dict):
                raise BadProject(f"{py}: [tool.tflm-test] must be a table")
            return py, table
    return None


def find_project(start: Path | None = None, explicit: Path | None = None) -> Project:
    """The project: the one in `explicit` (--project DIR), else the nearest folder up from
    `start` (the current folder) with a project file, else a project without one, rooted
    at `start` (prebuilt binaries still run).

    Raises:
        BadProject: --project names a folder without a project file, or a file is malformed.
    """
    if explicit is not None:
        found = _table_in(explicit.resolve())
        if found is None:
            raise BadProject(f"--project {explicit}: no {PROJECT_FILE} (or [tool.tflm-test] "
                             f"in {PYPROJECT}) there")
        return parse_project(found[1], found[0])
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (found := _table_in(folder)) is not None:
            return parse_project(found[1], found[0])
    return Project(root=here)


def expand(template: Sequence[str], values: Mapping[str, object], where: str) -> list[str]:
    """Fill {placeholders} in each argument ({{ and }} stay literal braces).

    Raises:
        BadProject: a placeholder we do not know, naming the known ones.
    """
    known = ", ".join(f"{{{k}}}" for k in sorted(values))
    out = []
    for arg in template:
        for _, name, _, _ in string.Formatter().parse(arg):
            if name is not None and name not in values:
                raise BadProject(f"{where}: unknown placeholder {{{name}}} in {arg!r}; "
                                 f"known: {known}")
        out.append(arg.format_map(values))
    return out


def find_binaries(root: Path, patterns: Sequence[str]) -> list[Path]:
    """Every file the glob patterns (from root; ** allowed) match, sorted, each once."""
    found = {Path(p) for pattern in patterns
             for p in glob.glob(os.path.join(root, pattern), recursive=True)}
    return sorted(p for p in found if p.is_file())
