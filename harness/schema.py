"""A small validator for yaml documents that names the line of every mistake.

PyYAML's safe_load turns `"false"` into a truthy string and forgets where each value was;
here a document is composed into nodes (which keep their line) and each node is checked
against its expected type before it becomes a Python value. A schema is a tree of checks:
a check takes (node, where) and returns the value or raises SchemaError, `where` being
the key path (`emulators[1].machine`) the message names.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

Check = Callable[[Node, str], Any]

_TAG = "tag:yaml.org,2002:"
_KINDS = {"int": "integer", "bool": "boolean", "float": "number"}


class SchemaError(Exception):
    """One mistake in a document: `line: message` (column given for syntax errors)."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None) -> None:
        super().__init__(message)
        self.message, self.line, self.column = message, line, column


def compose(text: str) -> Node | None:
    """The node tree of one yaml document (None when it is empty).

    Raises:
        SchemaError: a syntax error, with its line and column.
    """
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        message = ", ".join(part for part in (exc.context, exc.problem) if part)
        raise SchemaError(message, line, column) from exc
    except yaml.YAMLError as exc:  # e.g. a control character: the reader has no mark
        raise SchemaError(" ".join(str(exc).split())) from exc


def line_of(node: Node) -> int:
    return node.start_mark.line + 1


def describe(node: Node) -> str:
    """What a node holds, for "expected X, got Y"."""
    if isinstance(node, SequenceNode):
        return "a list"
    if isinstance(node, MappingNode):
        return "a mapping"
    kind = node.tag.removeprefix(_TAG)
    if kind == "null":
        return "nothing"
    shown = node.value if len(node.value) <= 40 else node.value[:37] + "..."
    if kind == "str":
        return f'the string "{shown}"'
    return f"the {_KINDS.get(kind, kind)} {shown}"


def fail(node: Node, where: str, expected: str) -> SchemaError:
    return SchemaError(f"{where}: expected {expected}, got {describe(node)}", line_of(node))


def _scalar(node: Node, where: str, kind: str, expected: str) -> Any:
    if not isinstance(node, ScalarNode) or node.tag != _TAG + kind:
        raise fail(node, where, expected)
    return yaml.constructor.SafeConstructor().construct_object(node)


def string(pattern: str | None = None, expected: str = "a string") -> Check:
    """A string (matching pattern in full, when given)."""
    def check(node: Node, where: str) -> str:
        value = _scalar(node, where, "str", expected)
        if pattern is not None and not re.fullmatch(pattern, value):
            raise fail(node, where, expected)
        return value
    return check


def boolean(node: Node, where: str) -> bool:
    return _scalar(node, where, "bool", "true or false")


def natural(node: Node, where: str) -> int:
    """A non-negative integer (hex allowed: 0x08000000)."""
    value = _scalar(node, where, "int", "a non-negative integer")
    if value < 0:
        raise fail(node, where, "a non-negative integer")
    return value


def one_of(*allowed: str) -> Check:
    return string(f"(?:{'|'.join(map(re.escape, allowed))})", f"one of {', '.join(allowed)}")


def choice(kind: type[StrEnum]) -> Check:
    """One of an enum's values; returns the member."""
    pick = one_of(*kind)
    return lambda node, where: kind(pick(node, where))


def list_of(item: Check, expected: str, non_empty: bool = False) -> Check:
    """A list whose every item passes `item`; returns a tuple."""
    def check(node: Node, where: str) -> tuple[Any, ...]:
        if not isinstance(node, SequenceNode) or (non_empty and not node.value):
            raise fail(node, where, expected)
        return tuple(item(child, f"{where}[{i}]") for i, child in enumerate(node.value))
    return check


_REQUIRED = object()


@dataclass(frozen=True)
class Field:
    """One key of a record: its check, and the value when the key is absent (none: required)."""

    check: Check
    default: Any = _REQUIRED


def entries(node: Node, where: str) -> dict[str, tuple[Node, Node]]:
    """A mapping's entries by key: key -> (key node, value node).

    Raises:
        SchemaError: not a mapping, a key that is not a string, or a key given twice.
    """
    if not isinstance(node, MappingNode):
        raise fail(node, where or "the file", "a mapping")
    found: dict[str, tuple[Node, Node]] = {}
    for key_node, value_node in node.value:
        key = string()(key_node, f"{where or 'the file'}: a key")
        if key in found:
            raise SchemaError(f"{_join(where, key)}: given twice (first on line "
                              f"{line_of(found[key][0])})", line_of(key_node))
        found[key] = (key_node, value_node)
    return found


def _join(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


def record(build: Callable[..., Any], fields: Mapping[str, Field]) -> Check:
    """A mapping with exactly these keys (unknown keys are errors: they are usually typos),
    each checked; returns build(**values)."""
    def check(node: Node, where: str) -> Any:
        found = entries(node, where)
        for key, (key_node, _) in found.items():
            if key not in fields:
                raise SchemaError(f"{_join(where, key)}: unknown key (known: "
                                  f"{', '.join(fields)})", line_of(key_node))
        values = {}
        for key, spec in fields.items():
            if key in found:
                values[key] = spec.check(found[key][1], _join(where, key))
            elif spec.default is _REQUIRED:
                raise SchemaError(f"{_join(where, key)}: required key missing", line_of(node))
            else:
                values[key] = spec.default
        return build(**values)
    return check


def variant(key: str, records: Mapping[str, Check]) -> Check:
    """A mapping whose `key` picks the record that checks it (e.g. the keys of an
    emulator depend on its runner)."""
    pick = one_of(*records)

    def check(node: Node, where: str) -> Any:
        found = entries(node, where)
        if key not in found:
            raise SchemaError(f"{_join(where, key)}: required key missing", line_of(node))
        return records[pick(found[key][1], _join(where, key))](node, where)
    return check
