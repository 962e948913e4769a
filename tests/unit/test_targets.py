"""targets: the shipped platforms/*.yaml load, and errors are one clear line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test.errors import TflmTestError, UnknownName
from tflm_test.targets import get_target, load_targets


def test_shipped_targets(root: Path) -> None:
    targets = load_targets(root / "platforms")
    assert set(targets) >= {"host", "qemu_cortexm3", "bluepill"}
    bluepill = targets["bluepill"]
    assert [e.runner for e in bluepill.emulators] == ["renode", "qemu"]
    assert bluepill.emulators[0].script == (root / "platforms" / "bluepill.resc").resolve()
    assert bluepill.emulators[1].machine == "netduino2"
    assert not bluepill.can_exit
    assert {m.name: (m.origin, m.length) for m in bluepill.memory} == {
        "FLASH": (0x08000000, 64 * 1024), "RAM": (0x20000000, 20 * 1024)}
    assert targets["qemu_cortexm3"].emulators[0].machine == "mps2-an385"


def test_every_target_has_a_make_target(root: Path) -> None:
    for target in load_targets(root / "platforms").values():
        assert (root / "reference_runtime" / "targets" / target.make_target / "target.mk").is_file()


def test_unknown_target_lists_known(root: Path) -> None:
    with pytest.raises(UnknownName, match=r"unknown target 'nope'; known targets: bluepill, host"):
        get_target("nope", root / "platforms")


def test_adding_a_target_is_data_only(tmp_path: Path) -> None:
    (tmp_path / "mine.yaml").write_text(
        "name: mine\nmake_target: qemu_cortexm3\nelf_machine: arm\ncan_exit: true\n"
        "toolchain: {program: arm-none-eabi-gcc, package: gcc-arm-none-eabi}\n"
        "emulators: [{runner: qemu, machine: lm3s6965evb}]\n")
    assert get_target("mine", tmp_path).emulators[0].machine == "lm3s6965evb"


def test_malformed_yaml_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("name: bad\n")
    with pytest.raises(TflmTestError, match="bad.yaml: not a valid target description"):
        load_targets(tmp_path)
