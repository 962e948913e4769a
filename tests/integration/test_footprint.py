"""Footprint per binary from the real ELFs, against the board's memory, before anything runs:
a binary that cannot fit is TOO_BIG and no emulator starts for it."""

from __future__ import annotations

import json
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from .conftest import FixtureBuilder, tflm_test

pytestmark = pytest.mark.skipif(shutil.which("qemu-system-arm") is None,
                                reason="qemu-system-arm not installed")

# The mps2-an385 board with 32 KB of flash and RAM: micro_speech_test (48 KB) cannot fit.
SMALL_BOARD = """\
name: small_m3
description: MPS2-AN385 with 32 KB of flash and RAM
elf_machine: arm
can_exit: true
toolchain: {program: arm-none-eabi-gcc, package: gcc-arm-none-eabi}
memory:
  - {name: FLASH, origin: 0x00000000, length: 0x8000}
  - {name: RAM, origin: 0x20000000, length: 0x8000}
emulators:
  - runner: qemu
    machine: mps2-an385
    cpu: cortex-m3
"""


def size(elf: Path) -> dict[str, int]:
    """text, data, bss as binutils' size says."""
    out = subprocess.run(["arm-none-eabi-size", str(elf)], capture_output=True, text=True,
                         check=True).stdout.splitlines()[1].split()
    return {"text": int(out[0]), "data": int(out[1]), "bss": int(out[2])}


def test_a_binary_too_big_for_the_board_never_runs(tmp_path: Path, root: Path) -> None:
    subprocess.run(["make", "-s", "-C", str(root / "reference_runtime"), "-j2",
                    "TARGET=qemu_cortexm3", "tests"], check=True, stdin=subprocess.DEVNULL)
    bins = root / "reference_runtime" / "gen" / "qemu_cortexm3" / "bin"
    (tmp_path / "platforms").mkdir()
    (tmp_path / "platforms" / "small_m3.yaml").write_text(SMALL_BOARD)
    (tmp_path / "tflm-test.toml").write_text('platforms = ["platforms"]\n')
    big, small = bins / "micro_speech_test.elf", bins / "softmax_test.elf"
    proc = tflm_test("run", str(big), str(small), "--target", "small_m3", "--json", "r.json",
                     "--junit", "r.xml", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    records = {r["key"]: r for r in json.loads((tmp_path / "r.json").read_text())["results"]}
    too_big, fits = records["micro_speech_test"], records["softmax_test"]
    flash = sum(size(big)[k] for k in ("text", "data"))
    assert too_big["verdict"] == "TOO_BIG"
    assert too_big["reason"] == f"needs {flash} bytes of flash, the board has 32768"
    assert too_big["log"] is None and too_big["cases"] == []
    assert not (tmp_path / "out" / "small_m3" / "micro_speech_test" / "output.log").exists()
    assert fits["verdict"] == "PASS"  # the same board runs what fits
    for record, elf in ((too_big, big), (fits, small)):
        expected = size(elf)
        assert record["footprint"] == {**expected, "flash": expected["text"] + expected["data"],
                                       "ram": expected["data"] + expected["bss"],
                                       "flash_limit": 32768, "ram_limit": 32768}
    assert "TOO_BIG  small_m3" in proc.stdout and "1 passed, 1 failed" in proc.stdout
    suite = ET.parse(tmp_path / "r.xml").getroot().find("testsuite")
    assert suite is not None and suite.get("failures") == "1"
    props = {p.get("name"): p.get("value") for p in suite.iter("property")}
    assert props["footprint.flash"] == str(flash) and props["verdict"] == "TOO_BIG"


def test_the_host_has_no_limits(tmp_path: Path, fixture_elfs: FixtureBuilder) -> None:
    elf = fixture_elfs("host")["pass"]
    proc = tflm_test("run", str(elf), "--target", "host", "--json", str(tmp_path / "r.json"),
                     "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    (record,) = json.loads((tmp_path / "r.json").read_text())["results"]
    assert record["footprint"]["flash_limit"] is None and record["footprint"]["ram_limit"] is None
    assert record["footprint"]["text"] > 0
