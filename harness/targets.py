"""Boards as data: yaml files validated at load into frozen dataclasses.

The built-in boards ship inside the package (tflm_test/platforms, the repo's platforms/);
a project's own platform folders add boards or override a built-in one by name. Adding a
board means adding a yaml; no Python names a board. Every file is checked against the
schema below, and a broken file is reported (file, line, key) without hiding the others.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from functools import partial
from importlib import resources
from pathlib import Path
from types import MappingProxyType

from yaml.nodes import Node

from . import schema
from .errors import TflmTestError, UnknownName
from .schema import Field, SchemaError


class ElfMachine(StrEnum):
    ARM = "arm"
    NATIVE = "native"  # whatever this computer runs


class EmulatorKind(StrEnum):
    """The runners a board can name (docker is not one: it wraps qemu or renode)."""

    HOST = "host"
    QEMU = "qemu"
    RENODE = "renode"


@dataclass(frozen=True)
class Tool:
    """A program we run, and the Debian package that installs it."""

    program: str
    package: str


@dataclass(frozen=True)
class EmulatorSpec:
    """One way to run a target's binaries, in the target's order of preference."""

    runner: EmulatorKind  # also a name in runners.RUNNERS
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
    elf_machine: ElfMachine
    can_exit: bool  # False: the binary never exits; stop it on its final line
    toolchain: Tool | None  # None: the project's build brings its own
    emulators: tuple[EmulatorSpec, ...]
    memory: tuple[MemoryRegion, ...] = ()
    source: Path = field(kw_only=True)  # the yaml it was loaded from
    overrides: Path | None = field(default=None, kw_only=True)  # the file it replaced


@dataclass(frozen=True)
class BoardProblem:
    """A board file that failed validation; `name` is the board it would have defined
    (its file name when even that could not be read; None: no board file, e.g. a folder)."""

    file: Path
    message: str
    name: str | None
    line: int | None = None
    column: int | None = None

    def __str__(self) -> str:
        where = "".join(f":{n}" for n in (self.line, self.column) if n is not None)
        return f"{self.file}{where}: {self.message}"


@dataclass(frozen=True)
class Boards:
    """Every loaded board by name, and the files that could not be loaded."""

    targets: Mapping[str, Target]
    problems: tuple[BoardProblem, ...] = ()

    def get(self, name: str) -> Target:
        """The named board.

        Raises:
            UnknownName: no such board; the message lists the known ones.
            TflmTestError: the board's file is broken; the message is its problem.
        """
        if name in self.targets:
            return self.targets[name]
        broken = [p for p in self.problems if p.name == name]
        if broken:
            raise TflmTestError(f"target {name!r} cannot be loaded: {broken[-1]}")
        known = ", ".join(sorted(self.targets)) or "none"
        raise UnknownName(f"unknown target {name!r}; known targets: {known}")


def _script(folder: Path) -> schema.Check:
    """A Renode script beside the board file; returns its absolute path."""
    def check(node: Node, where: str) -> Path:
        path = (folder / schema.string()(node, where)).resolve()
        if not path.is_file():
            raise SchemaError(f"{where}: {node.value} not found in {folder}", schema.line_of(node))
        return path
    return check


def _emulator_schema(folder: Path) -> schema.Check:
    text, runner = schema.string(), Field(schema.choice(EmulatorKind))
    qemu = {"runner": runner, "machine": Field(text), "cpu": Field(text, None),
            "args": Field(schema.list_of(text, "a list of strings"), ())}
    return schema.variant("runner", {
        EmulatorKind.HOST: schema.record(EmulatorSpec, {"runner": runner}),
        EmulatorKind.QEMU: schema.record(EmulatorSpec, qemu),
        EmulatorKind.RENODE: schema.record(EmulatorSpec, {"runner": runner,
                                                          "script": Field(_script(folder))}),
    })


_NAME = schema.string(r"[A-Za-z0-9][A-Za-z0-9_.-]*", "a board name (letters, digits, _ . -)")


def _board_schema(path: Path) -> schema.Check:
    text = schema.string()
    region = schema.record(MemoryRegion, {"name": Field(text), "origin": Field(schema.natural),
                                          "length": Field(schema.natural)})
    return schema.record(partial(Target, source=path), {
        "name": Field(_NAME),
        "description": Field(text, ""),
        "elf_machine": Field(schema.choice(ElfMachine)),
        "can_exit": Field(schema.boolean),
        "toolchain": Field(schema.record(Tool, {"program": Field(text),
                                                "package": Field(text)}), None),
        "emulators": Field(schema.list_of(_emulator_schema(path.parent),
                                          "a non-empty list of emulators", non_empty=True)),
        "memory": Field(schema.list_of(region, "a list of memory regions"), ()),
    })


def builtin_platforms() -> Path:
    """The folder of the boards that ship with tflm-test.

    Returns:
        The package's platforms folder (the repo's platforms/ in an editable install).
    """
    # Always a real folder: both install kinds unpack files, and Renode needs the .resc on disk.
    return Path(str(resources.files(f"{__package__}.platforms")))


@dataclass(frozen=True)
class _Loaded:
    """One board file: the name it declares (line of `name:`), and its board or its problem."""

    path: Path
    name: str
    name_line: int | None
    target: Target | None = None
    problem: BoardProblem | None = None


def _problem(path: Path, exc: SchemaError, name: str) -> BoardProblem:
    return BoardProblem(path, exc.message, name, exc.line, exc.column)


def _declared_name(root: Node | None, path: Path) -> tuple[str, int | None]:
    """The board name a file declares and its line, or the file name when it has none."""
    if root is not None:
        try:
            key_node, value_node = schema.entries(root, "")["name"]
            return _NAME(value_node, "name"), schema.line_of(key_node)
        except (SchemaError, KeyError):
            pass
    return path.stem, None


def _read_board(path: Path) -> _Loaded:
    try:
        root = schema.compose(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeError) as exc:
        return _Loaded(path, path.stem, None,
                       problem=BoardProblem(path, f"cannot read ({exc})", path.stem))
    except SchemaError as exc:
        return _Loaded(path, path.stem, None, problem=_problem(path, exc, path.stem))
    name, line = _declared_name(root, path)
    if root is None:
        empty = BoardProblem(path, "empty file (expected a board description)", name)
        return _Loaded(path, name, line, problem=empty)
    try:
        return _Loaded(path, name, line, target=_board_schema(path)(root, ""))
    except SchemaError as exc:
        return _Loaded(path, name, line, problem=_problem(path, exc, name))


def _duplicate(item: _Loaded, same: list[_Loaded]) -> BoardProblem:
    others = ", ".join(o.path.name for o in same if o is not item)
    return BoardProblem(item.path, f'name: "{item.name}" is also the name in {others} '
                        "(same folder)", item.name, item.name_line)


def _load_folder(folder: Path) -> tuple[list[Target], list[BoardProblem]]:
    """The valid boards of one folder and the problems of the others. Two files naming the
    same board are both problems: which one wins would depend on file names."""
    if not folder.is_dir():
        return [], [BoardProblem(folder, "no such platforms folder", None)]
    loaded = [_read_board(path) for path in sorted(folder.glob("*.yaml"))]
    problems = [item.problem for item in loaded if item.problem is not None]
    by_name: dict[str, list[_Loaded]] = defaultdict(list)
    for item in loaded:
        if item.target is not None:
            by_name[item.name].append(item)
    targets = [t for same in by_name.values() if len(same) == 1 for t in [same[0].target] if t]
    problems += [_duplicate(item, same) for same in by_name.values() if len(same) > 1
                 for item in same]
    return targets, sorted(problems, key=lambda p: str(p.file))


def load_boards(extra_dirs: Sequence[Path] = ()) -> Boards:
    """The built-in boards, then each extra folder's boards, which add boards or override a
    built-in (or an earlier folder's) board of the same name.

    Args:
        extra_dirs: the project's platform folders, in order.
    Returns:
        The boards by name, and every file that failed validation.
    """
    builtin = builtin_platforms()
    # A checkout's own platforms/ is the built-in folder itself: loading it twice would make
    # every board "override" itself.
    folders = [builtin, *(d for d in extra_dirs if d.resolve() != builtin.resolve())]
    targets: dict[str, Target] = {}
    problems: list[BoardProblem] = []
    for folder in folders:
        earlier = dict(targets)
        layer, broken = _load_folder(folder)
        for name in {p.name for p in broken if p.name is not None}:
            # a broken override must not silently fall back to the board it meant to replace
            targets.pop(name, None)
        for target in layer:
            replaced = earlier.get(target.name)
            targets[target.name] = replace(target, overrides=replaced.source if replaced else None)
        problems += broken
    return Boards(MappingProxyType(targets), tuple(problems))


def origin(target: Target) -> str:
    """Where a board came from, for listings: "built-in", or its file and what it overrides.

    Args:
        target: a loaded board.
    Returns:
        E.g. "built-in", or "proj/platforms/bluepill.yaml (overrides built-in)".
    """
    def where(path: Path) -> str:
        return "built-in" if path.parent == builtin_platforms() else str(path)

    replaced = f" (overrides {where(target.overrides)})" if target.overrides else ""
    return where(target.source) + replaced
