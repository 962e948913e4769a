"""build: a failed build is one line; the toolchain check names the package."""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test.build import check_toolchain, explain_failure
from tflm_test.errors import ToolMissing
from tflm_test.targets import Target, Tool

# Verbatim arm-none-eabi-ld 2.40 output for a bluepill binary that is too big.
OVERFLOW = """\
/usr/lib/gcc/arm-none-eabi/12.2.1/../../../arm-none-eabi/bin/ld: gen/bluepill/bin/big_test.elf section `.bss' will not fit in region `RAM'
/usr/lib/gcc/arm-none-eabi/12.2.1/../../../arm-none-eabi/bin/ld: region `RAM' overflowed by 4056 bytes
collect2: error: ld returned 1 exit status
make: *** [Makefile:60: gen/bluepill/bin/big_test.elf] Error 1
"""


def test_overflow_names_binary_region_and_bytes() -> None:
    assert explain_failure(OVERFLOW, "bluepill") == (
        "big_test.elf does not fit bluepill: region RAM overflowed by 4056 bytes")


def test_compile_error_is_first_error_line() -> None:
    out = ("cc -std=c11 -Wall -Werror -c tests/x_test.c\n"
           "tests/x_test.c:3:1: error: expected ';' before '}' token\nmake: *** Error 1\n")
    assert explain_failure(out, "host") == "tests/x_test.c:3:1: error: expected ';' before '}' token"


def test_missing_compiler_names_package(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("shutil.which", lambda program: None)
    target = Target("bluepill", "", "arm", False,
                    Tool("arm-none-eabi-gcc", "gcc-arm-none-eabi"), (), source=Path("b.yaml"))
    with pytest.raises(ToolMissing, match="install the Debian package gcc-arm-none-eabi"):
        check_toolchain(target, "make", Path("."))


def test_missing_build_program_is_named(tmp_path: Path) -> None:
    target = Target("host", "", "native", True, None, (), source=Path("h.yaml"))
    with pytest.raises(ToolMissing, match="./build.sh not found: the build command for host"):
        check_toolchain(target, "./build.sh", tmp_path)
    script = tmp_path / "build.sh"
    script.write_text("#!/bin/sh\n")
    script.chmod(0o755)
    check_toolchain(target, "./build.sh", tmp_path)  # a path is found from the project root
