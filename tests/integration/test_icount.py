"""The icount plugin on real QEMU and the reference runtime's real test binaries: counts that
repeat exactly, grow with the work done, per case and at marks, and a log the plugin leaves
untouched; a plugin that cannot be built costs the counts only."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tflm_test.elf import symbol_addresses
from tflm_test.errors import BadBinary
from tflm_test.runners.base import RunnerConfig, RunRequest
from tflm_test.runners.qemu import QemuRunner
from tflm_test.targets import load_boards
from tflm_test.testlog import final_line_rule

from .conftest import tflm_test

pytestmark = pytest.mark.skipif(shutil.which("qemu-system-arm") is None,
                                reason="qemu-system-arm not installed")


@pytest.fixture(scope="module")
def built(root: Path) -> dict[str, Path]:
    """target -> the folder of the reference runtime's test binaries for it."""
    folders = {}
    for target in ("qemu_cortexm3", "bluepill"):
        subprocess.run(["make", "-s", "-C", str(root / "reference_runtime"), "-j2",
                        f"TARGET={target}", "tests"], check=True, stdin=subprocess.DEVNULL)
        folders[target] = root / "reference_runtime" / "gen" / target / "bin"
    return folders


@pytest.fixture(scope="module")
def cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One plugin build for the module, in its own cache folder."""
    return tmp_path_factory.mktemp("cache")


def run(tmp_path: Path, name: str, binaries: list[Path], target: str, cache: Path,
        **env: str) -> tuple[subprocess.CompletedProcess[str], dict[str, dict]]:
    report = tmp_path / f"{name}.json"
    proc = tflm_test("run", *map(str, binaries), "--target", target, "--emulator", "qemu",
                     "--json", str(report), "--out", str(tmp_path / name),
                     env={**os.environ, "TFLM_TEST_CACHE": str(cache), **env})
    records = {r["key"]: r for r in json.loads(report.read_text())["results"]}
    return proc, records


@pytest.mark.parametrize("target", ["qemu_cortexm3", "bluepill"])
def test_counts_are_the_same_every_run_and_grow_with_the_work(
        tmp_path: Path, built: dict[str, Path], cache: Path, target: str) -> None:
    binaries = [built[target] / "micro_speech_test.elf", built[target] / "reshape_test.elf"]
    first_proc, first = run(tmp_path, "first", binaries, target, cache)
    _, second = run(tmp_path, "second", binaries, target, cache)
    assert first_proc.returncode == 0, first_proc.stdout + first_proc.stderr
    for key in ("micro_speech_test", "reshape_test"):
        assert first[key]["extras"]["executed_instructions"] == \
            second[key]["extras"]["executed_instructions"]
        assert first[key]["extras"]["emulator_version"].startswith("QEMU emulator version 7.")
        assert [c["instructions"] for c in first[key]["cases"]] == \
            [c["instructions"] for c in second[key]["cases"]]
    speech, reshape = first["micro_speech_test"], first["reshape_test"]
    # Four inferences of a 20 KB model against a handful of small reshape cases (softmax_test
    # builds int16 lookup tables in soft float, no longer small).
    assert speech["extras"]["executed_instructions"] > 10 * reshape["extras"]["executed_instructions"]
    assert f"{speech['extras']['executed_instructions']} instr" in first_proc.stdout


def test_each_case_counts_its_own_work(tmp_path: Path, built: dict[str, Path],
                                       cache: Path) -> None:
    _, records = run(tmp_path, "cases", [built["qemu_cortexm3"] / "micro_speech_test.elf"],
                     "qemu_cortexm3", cache)
    record = records["micro_speech_test"]
    cases = {c["name"]: c["instructions"] for c in record["cases"]}
    inferences = [cases[n] for n in ("RecognizesYes", "RecognizesNo", "RecognizesSilence",
                                     "NoiseIsSilence")]
    # One inference each on the same model: within 1% of each other, and far more than the
    # case that only checks the arena's size.
    assert max(inferences) < 1.01 * min(inferences)
    assert cases["ArenaWithinTflmBudget"] < min(inferences) / 100
    assert sum(cases.values()) < record["extras"]["executed_instructions"]


def test_marks_record_each_arrival_in_order(tmp_path: Path, built: dict[str, Path],
                                            cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TFLM_TEST_CACHE", str(cache))
    board = load_boards().get("qemu_cortexm3")
    binary = built["qemu_cortexm3"] / "micro_speech_test.elf"
    marks = symbol_addresses(binary, ["main", "tm_interp_invoke"])
    runner = QemuRunner(board, board.emulators[0], RunnerConfig())
    outcome = runner.run(RunRequest(binary, tmp_path / "out.log", tmp_path, 30.0,
                                    final_line_rule(), 2.0, marks=marks))
    arrivals = outcome.extras["marks"]
    assert [a for a, _ in arrivals] == [marks[0]] + [marks[1]] * 4  # main, then 4 inferences
    counts = [c for _, c in arrivals]
    assert counts == sorted(counts) and 0 < counts[0]
    assert counts[-1] < outcome.extras["executed_instructions"]


def test_symbol_addresses_agree_with_nm(built: dict[str, Path]) -> None:
    binary = built["bluepill"] / "micro_speech_test.elf"
    nm = subprocess.run(["arm-none-eabi-nm", str(binary)], capture_output=True, text=True,
                        check=True).stdout
    table = {line.split()[2]: int(line.split()[0], 16) for line in nm.splitlines()
             if len(line.split()) == 3}
    names = ["main", "tm_interp_invoke", "tm_port_write_line"]
    assert symbol_addresses(binary, names) == tuple(table[n] & ~1 for n in names)
    with pytest.raises(BadBinary, match="no symbol no_such_function"):
        symbol_addresses(binary, ["main", "no_such_function"])


@pytest.mark.parametrize("cc, note", [
    ("no-such-compiler", "no C compiler (no-such-compiler)"),
    ("false", "building the instruction-count plugin failed (false: exit status 1)"),
])
def test_without_the_plugin_the_log_is_the_same_and_only_the_count_is_missing(
        tmp_path: Path, built: dict[str, Path], cache: Path, cc: str, note: str) -> None:
    binary = built["qemu_cortexm3"] / "micro_speech_test.elf"
    _, counted = run(tmp_path, "counted", [binary], "qemu_cortexm3", cache)
    plain_proc, plain = run(tmp_path, "plain", [binary], "qemu_cortexm3",
                            tmp_path / "empty-cache", CC=cc)
    assert plain_proc.returncode == 0
    assert f"note: qemu_cortexm3: {note}" in plain_proc.stderr
    assert plain_proc.stderr.count("note:") == 1 and "Traceback" not in plain_proc.stderr
    assert "executed_instructions" not in plain["micro_speech_test"]["extras"]
    assert all(c["instructions"] is None for c in plain["micro_speech_test"]["cases"])
    with_plugin = Path(counted["micro_speech_test"]["log"]).read_bytes()
    assert with_plugin == Path(plain["micro_speech_test"]["log"]).read_bytes()
    assert b"icount" not in with_plugin and with_plugin.count(b"\n") == 12
