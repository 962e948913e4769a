"""pipeline: a broken board file is reported without stopping the other boards."""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test import pipeline
from tflm_test.errors import BadBinary


def test_run_notes_each_broken_board_file_and_checks_binaries_against_the_board(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    boards_dir = tmp_path / "platforms"
    boards_dir.mkdir()
    (boards_dir / "bad.yaml").write_text("name: bad\nelf_machine: riscv\n")
    (tmp_path / "tflm-test.toml").write_text('platforms = ["platforms"]\n')
    junk = tmp_path / "junk.elf"
    junk.write_text("not firmware\n")
    notices: list[str] = []
    config = pipeline.RunConfig(targets=("qemu_cortexm3",),
                                options=pipeline.RunOptions(project=tmp_path))
    with pytest.raises(BadBinary, match="junk.elf: not an ELF file"):
        pipeline.run(config, (junk,), pipeline.Events(notice=notices.append))
    assert notices == [f"board file skipped: {boards_dir / 'bad.yaml'}:2: elf_machine: expected "
                       'one of arm, native, got the string "riscv"']
