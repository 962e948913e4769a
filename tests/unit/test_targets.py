"""targets: built-in boards ship in the package, a project's folders add or override them,
and every board file is validated by type with file, line and key in one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test.errors import TflmTestError, UnknownName
from tflm_test.targets import builtin_platforms, load_boards, origin

BUILTIN = {"bluepill", "host", "host_sanitize", "qemu_cortexm3"}

# A valid board; tests replace one line to make it wrong (the line numbers below count from 1).
BOARD = """\
name: mine
description: a test board
elf_machine: arm
can_exit: true
toolchain: {program: arm-none-eabi-gcc, package: gcc-arm-none-eabi}
memory: [{name: FLASH, origin: 0x0, length: 0x1000}]
emulators:
  - runner: qemu
    machine: lm3s6965evb
    args: []
"""


def board(folder: Path, text: str = BOARD, file: str = "mine.yaml", **lines: str) -> Path:
    """Write a board file; each keyword replaces the line starting with `key:` (any indent)."""
    out = []
    for line in text.splitlines():
        key = line.strip().lstrip("- ").split(":")[0]
        out.append(line[:len(line) - len(line.lstrip(" -"))] + lines[key] if key in lines else line)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / file).write_text("\n".join(out) + "\n")
    return folder / file


def only_problem(folder: Path) -> str:
    """The one problem of a folder holding one broken board; the built-ins still load."""
    boards = load_boards([folder])
    assert set(boards.targets) == BUILTIN
    (problem,) = boards.problems
    return str(problem)


def test_builtin_boards_ship_in_the_package(root: Path) -> None:
    folder = builtin_platforms()
    assert {p.name for p in folder.iterdir()} >= {f"{n}.yaml" for n in BUILTIN} | {"bluepill.resc"}
    boards = load_boards()
    assert (set(boards.targets), boards.problems) == (BUILTIN, ())
    bluepill = boards.get("bluepill")
    assert [e.runner for e in bluepill.emulators] == ["renode", "qemu"]
    assert bluepill.emulators[0].script == (folder / "bluepill.resc").resolve()
    assert bluepill.emulators[1].machine == "netduino2"
    assert not bluepill.can_exit
    assert {m.name: (m.origin, m.length) for m in bluepill.memory} == {
        "FLASH": (0x08000000, 64 * 1024), "RAM": (0x20000000, 20 * 1024)}
    assert (bluepill.source, bluepill.overrides, origin(bluepill)) == (
        folder / "bluepill.yaml", None, "built-in")


def test_every_builtin_board_is_a_make_target(root: Path) -> None:
    # the build passes the board name as TARGET= to the reference runtime's Makefile
    for name in load_boards().targets:
        assert (root / "reference_runtime" / "targets" / name / "target.mk").is_file()


def test_unknown_target_lists_known() -> None:
    with pytest.raises(UnknownName, match=r"unknown target 'nope'; known targets: bluepill, host"):
        load_boards().get("nope")


def test_a_project_folder_adds_a_board(tmp_path: Path) -> None:
    path = board(tmp_path / "platforms")
    boards = load_boards([tmp_path / "platforms"])
    mine = boards.get("mine")
    assert list(boards.targets) == [*sorted(BUILTIN), "mine"]  # built-ins first
    assert (mine.emulators[0].machine, mine.source, mine.overrides) == ("lm3s6965evb", path, None)
    assert origin(mine) == str(path)


def test_a_project_folder_overrides_a_builtin_by_name(tmp_path: Path) -> None:
    path = board(tmp_path, file="my_bluepill.yaml", name="name: bluepill")
    boards = load_boards([tmp_path])
    bluepill = boards.get("bluepill")
    assert bluepill.emulators[0].machine == "lm3s6965evb"
    assert (bluepill.source, bluepill.overrides) == (path, builtin_platforms() / "bluepill.yaml")
    assert origin(bluepill) == f"{path} (overrides built-in)"
    assert list(boards.targets) == sorted(BUILTIN)  # an override keeps the built-in's place


def test_a_later_folder_overrides_an_earlier_one(tmp_path: Path) -> None:
    first = board(tmp_path / "a")
    second = board(tmp_path / "b", machine="machine: netduino2")
    mine = load_boards([tmp_path / "a", tmp_path / "b"]).get("mine")
    assert (mine.emulators[0].machine, mine.source, mine.overrides) == ("netduino2", second, first)
    assert origin(mine) == f"{second} (overrides {first})"


def test_the_builtin_folder_given_again_overrides_nothing() -> None:
    # a checkout's own platforms/ is the package's board folder in an editable install
    boards = load_boards([builtin_platforms()])
    assert all(t.overrides is None for t in boards.targets.values())


def test_a_broken_override_is_an_error_not_the_builtin(tmp_path: Path) -> None:
    path = board(tmp_path, name="name: bluepill", can_exit='can_exit: "false"')
    boards = load_boards([tmp_path])
    assert "bluepill" not in boards.targets and "host" in boards.targets
    with pytest.raises(TflmTestError, match=rf"target 'bluepill' cannot be loaded: {path}:4: "):
        boards.get("bluepill")


def test_a_board_file_that_cannot_be_parsed_is_found_by_its_file_name(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("name: [mine\n")
    with pytest.raises(TflmTestError, match=r"mine.yaml:2:1: "):
        load_boards([tmp_path]).get("mine")


def test_a_missing_project_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    assert only_problem(tmp_path / "nowhere") == f"{tmp_path / 'nowhere'}: no such platforms folder"


# Issue 9, item 10: one test per defect it lists.

def test_quoted_false_is_not_true(tmp_path: Path) -> None:
    board(tmp_path, can_exit='can_exit: "false"')
    assert only_problem(tmp_path) == (
        f'{tmp_path / "mine.yaml"}:4: can_exit: expected true or false, got the string "false"')


def test_string_args_are_not_split_into_characters(tmp_path: Path) -> None:
    board(tmp_path, args='args: "-S"')
    assert only_problem(tmp_path) == (f'{tmp_path / "mine.yaml"}:10: emulators[0].args: '
                                      'expected a list of strings, got the string "-S"')


def test_missing_machine_is_named_at_load(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(BOARD.replace("    machine: lm3s6965evb\n", ""))
    assert only_problem(tmp_path) == (
        f"{tmp_path / 'mine.yaml'}:8: emulators[0].machine: required key missing")


def test_list_machine_is_named_at_load(tmp_path: Path) -> None:
    board(tmp_path, machine="machine: [a, b]")
    assert only_problem(tmp_path) == (
        f"{tmp_path / 'mine.yaml'}:9: emulators[0].machine: expected a string, got a list")


def test_string_origin_is_named_at_load(tmp_path: Path) -> None:
    board(tmp_path, memory='memory: [{name: FLASH, origin: "0x0", length: 4096}]')
    assert only_problem(tmp_path) == (f'{tmp_path / "mine.yaml"}:6: memory[0].origin: expected '
                                      'a non-negative integer, got the string "0x0"')


def test_unknown_elf_machine_is_not_native(tmp_path: Path) -> None:
    board(tmp_path, elf_machine="elf_machine: riscv")
    assert only_problem(tmp_path) == (f'{tmp_path / "mine.yaml"}:3: elf_machine: expected one '
                                      'of arm, native, got the string "riscv"')


def test_duplicate_name_in_one_folder_is_a_problem_for_both_files(tmp_path: Path) -> None:
    first, second = board(tmp_path, file="a.yaml"), board(tmp_path, file="b.yaml")
    boards = load_boards([tmp_path])
    assert [str(p) for p in boards.problems] == [
        f'{first}:1: name: "mine" is also the name in b.yaml (same folder)',
        f'{second}:1: name: "mine" is also the name in a.yaml (same folder)']
    with pytest.raises(TflmTestError, match="is also the name"):
        boards.get("mine")


def test_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    board(tmp_path, can_exit="can_exit: true: false")
    problem = only_problem(tmp_path)
    assert problem == f"{tmp_path / 'mine.yaml'}:4:15: mapping values are not allowed here"
    assert "Mark" not in problem


# The rest of the schema.

@pytest.mark.parametrize("lines,expected", [
    ({"can_exit": "can_exits: true"}, "4: can_exits: unknown key (known: name, description, "
                                      "elf_machine, can_exit, toolchain, emulators, memory)"),
    ({"name": "name: my board"}, '1: name: expected a board name (letters, digits, _ . -), '
                                 'got the string "my board"'),
    ({"description": "description: 3"}, "2: description: expected a string, got the integer 3"),
    ({"toolchain": "toolchain: {program: gcc}"}, "5: toolchain.package: required key missing"),
    ({"toolchain": "toolchain: gcc"}, '5: toolchain: expected a mapping, got the string "gcc"'),
    ({"memory": "memory: [{name: RAM, origin: 0, length: -1}]"},
     "6: memory[0].length: expected a non-negative integer, got the integer -1"),
    ({"runner": "runner: docker"}, '8: emulators[0].runner: expected one of host, qemu, renode, '
                                   'got the string "docker"'),
    ({"runner": "runner: host"}, "9: emulators[0].machine: unknown key (known: runner)"),
    ({"runner": "runner: renode", "machine": "script: nope.resc", "args": "cpu: m3"},
     "10: emulators[0].cpu: unknown key (known: runner, script)"),
    ({"args": "machine: again"}, "10: emulators[0].machine: given twice (first on line 9)"),
])
def test_schema(tmp_path: Path, lines: dict[str, str], expected: str) -> None:
    board(tmp_path, **lines)
    assert only_problem(tmp_path) == f"{tmp_path / 'mine.yaml'}:{expected}"


def test_renode_script_must_exist_beside_the_board(tmp_path: Path) -> None:
    text = BOARD.replace("  - runner: qemu\n    machine: lm3s6965evb\n    args: []\n",
                         "  - runner: renode\n    script: mine.resc\n")
    board(tmp_path, text)
    assert only_problem(tmp_path) == (
        f"{tmp_path / 'mine.yaml'}:9: emulators[0].script: mine.resc not found in {tmp_path}")
    (tmp_path / "mine.resc").write_text("mach create\n")
    assert load_boards([tmp_path]).get("mine").emulators[0].script == tmp_path / "mine.resc"


def test_a_board_runs_somewhere(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(BOARD.split("emulators:")[0] + "emulators: []\n")
    assert only_problem(tmp_path) == (f"{tmp_path / 'mine.yaml'}:7: emulators: expected a "
                                      "non-empty list of emulators, got a list")


def test_host_needs_no_emulator_keys_and_toolchain_is_optional(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text("name: mine\nelf_machine: native\ncan_exit: true\n"
                                        "emulators: [{runner: host}]\n")
    mine = load_boards([tmp_path]).get("mine")
    assert (mine.toolchain, mine.memory, mine.description) == (None, (), "")


@pytest.mark.parametrize("text,expected", [
    ("", ": empty file (expected a board description)"),
    ("- a\n- b\n", ":1: the file: expected a mapping, got a list"),
    ("name: a\n---\nname: b\n", ":2:1: expected a single document in the stream, "
                                 "but found another document"),
])
def test_files_that_are_not_one_board(tmp_path: Path, text: str, expected: str) -> None:
    (tmp_path / "mine.yaml").write_text(text)
    assert only_problem(tmp_path) == f"{tmp_path / 'mine.yaml'}{expected}"
