"""`tflm-test verify` end to end: every test model of the runtime is built into a program,
run on host, qemu_cortexm3 and bluepill (Renode, else QEMU netduino2), and must match the
official TFLM interpreter bit for bit; models a target cannot run get one line and exit 1."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from tflm_test import cli

from .conftest import TFLM_TEST, tflm_test

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "reference_runtime" / "tests" / "models"  # the runtime's test models
DATA = ROOT / "tests" / "data" / "models"  # golden vectors and the unsupported-op model
GOLDEN = DATA / "golden"
TARGETS = ["host", "qemu_cortexm3", "bluepill"]
# Every model with its golden file, except simple_add (its golden file is 718 KB: checked
# against tflite_micro on random inputs instead).
WITH_GOLDEN = sorted(p.stem for p in GOLDEN.glob("*.json"))
NOT_ON_BLUEPILL = {"simple_add_model": "operator 0 (ADD) alone needs 49152 bytes"}
# TFLM's further models with their golden files (shared test data, not shipped: skipped where
# it is absent). Each entry: stem -> how its one "does not fit" line on bluepill starts, or
# None when it runs there too. Every model listed is bit-exact on host and qemu_cortexm3.
MORE = Path(os.environ.get("TFLM_TEST_MORE_MODELS", "/work/shared/models/more"))
MORE_MODELS: dict[str, str | None] = {
    "person_detect": "the model alone takes 300568 bytes, the target has 65536 bytes of flash",
    "add0": None,
    "conv0": None,
    "quantize0": None,
    "leaky_relu0": None,
    "pad0": None,
    "strided_slice0": None,
    "sub0": None,
    "keyword_scrambled": None,
    "keyword_scrambled_8bit": None,
    "transpose_conv0": "flash overflowed by",
    "trained_lstm_int8": None,
    "trained_lstm": "flash overflowed by",
    "micro_speech_lstm": "the model alone takes 124768 bytes, the target has 65536 bytes of flash",
    "dtln_noise_suppression": "the model alone takes 372720 bytes, the target has 65536 bytes of flash",
}
# float32 recurrent models: libm's expf/tanhf differ between glibc and newlib, so off the host
# they are within verify_compare.FLOAT_RECURRENT_ULPS, not bit-exact.
NOT_BIT_EXACT_OFF_HOST = {"trained_lstm"}
needs_more = pytest.mark.skipif(not (MORE / "golden").is_dir(),
                                reason=f"no shared models at {MORE} (TFLM_TEST_MORE_MODELS)")

needs_arm = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="needs arm-none-eabi-gcc and qemu-system-arm (ci/setup installs them)")


def verify(tmp_path: Path, model: Path, *args: str) -> Result:
    return CliRunner().invoke(cli.cli, ["verify", str(model), "--out", str(tmp_path / "out"),
                                        *args])


def exact_cases(result: Result) -> int:
    return sum(1 for ln in result.output.splitlines() if re.match(r"^  \S+\s+bit-exact", ln))


def one_error_line(result: Result) -> str:
    lines = [ln for ln in result.output.splitlines() if not ln.startswith("note: ")]
    assert len(lines) == 1, result.output
    return lines[0]


def skip_without_toolchain(target: str) -> None:
    if target != "host" and (shutil.which("arm-none-eabi-gcc") is None
                             or shutil.which("qemu-system-arm") is None):
        pytest.skip("needs arm-none-eabi-gcc and qemu-system-arm (ci/setup installs them)")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("stem", WITH_GOLDEN)
def test_every_model_is_bit_exact_against_its_golden_file(tmp_path: Path, stem: str,
                                                          target: str) -> None:
    skip_without_toolchain(target)
    json_path = tmp_path / "report.json"
    result = verify(tmp_path, MODELS / f"{stem}.tflite", "--golden", str(GOLDEN / f"{stem}.json"),
                    "--target", target, "--json", str(json_path))
    assert result.exit_code == 0, result.output
    report = json.loads(json_path.read_text())
    assert report["verdict"] == "PASS" and report["cases"]
    assert {c["status"] for c in report["cases"]} == {"bit-exact"}
    arena = report["arena"]
    assert 0 < arena["persistent"] < arena["used"] <= arena["size"]
    # the planner lays out the activations and scratch in as many bytes as TFLM's ("head"),
    # fewer where a depthwise output may overlap the input it consumes (micro_speech's
    # 4,000-byte output starts 2,240 bytes below its 1,960-byte input)
    tflm = json.loads((GOLDEN / f"{stem}.json").read_text())["arena"]
    head = arena["used"] - arena["persistent"]
    overlaps = stem in {"micro_speech_quantized"}
    assert head < tflm["head"] if overlaps else head == tflm["head"]
    assert arena["tflm_persistent"] == tflm["tail"]
    assert report["sizes"]["model"] == (MODELS / f"{stem}.tflite").stat().st_size
    if target == "bluepill":
        assert report["sizes"]["flash"] <= 64 * 1024 and report["sizes"]["ram"] <= 20 * 1024


@needs_more
@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("stem", sorted(MORE_MODELS))
def test_more_models_are_bit_exact_or_do_not_fit(tmp_path: Path, stem: str, target: str) -> None:
    skip_without_toolchain(target)
    result = verify(tmp_path, MORE / f"{stem}.tflite", "--golden",
                    str(MORE / "golden" / f"{stem}.json"), "--target", target)
    too_big = MORE_MODELS[stem] if target == "bluepill" else None
    if too_big is not None:
        assert result.exit_code == 1, result.output
        assert one_error_line(result).startswith(f"tflm-test: error: {stem}.tflite does not "
                                                 f"fit bluepill: {too_big}")
        return
    assert result.exit_code == 0, result.output
    cases = len(json.loads((MORE / "golden" / f"{stem}.json").read_text())["cases"])
    if target == "host" or stem not in NOT_BIT_EXACT_OFF_HOST:
        assert exact_cases(result) == cases


@needs_more
def test_person_detect_labels_its_person_and_no_person_images(tmp_path: Path) -> None:
    result = verify(tmp_path, MORE / "person_detect.tflite", "--golden",
                    str(MORE / "golden" / "person_detect.json"))
    assert result.exit_code == 0, result.output
    labelled = [ln for ln in result.output.splitlines() if "(expected " in ln]
    assert {"person", "notperson"} <= {m[1] for ln in labelled
                                       if (m := re.search(r"expected (\w+)\)", ln))}
    for line in labelled:
        label = re.search(r"label (\w+) \(expected (\w+)\)", line)
        assert label is not None and label[1] == label[2], line


# Single-op 16x8 models from reference_runtime/tools/gen_int16_models.py: our int16 kernels
# against tflite_micro on seeded random inputs (no golden file: the oracle computes them).
INT16 = DATA / "int16"
INT16_MODELS = sorted(p.stem for p in INT16.glob("*.tflite")
                      if not p.stem.startswith("unsupported"))


@pytest.mark.parametrize("target", ["host", "qemu_cortexm3"])
@pytest.mark.parametrize("stem", INT16_MODELS)
def test_int16_kernels_match_tflite_micro(tmp_path: Path, stem: str, target: str) -> None:
    pytest.importorskip("tflite_micro")
    skip_without_toolchain(target)
    result = verify(tmp_path, INT16 / f"{stem}.tflite", "--target", target, "--seed", "5")
    assert result.exit_code == 0, result.output
    assert "tflite-micro" in result.output and exact_cases(result) == 4


def test_an_unsupported_type_names_op_operator_tensor_and_the_supported_types(
        tmp_path: Path) -> None:
    result = verify(tmp_path, INT16 / "unsupported_average_pool_2d_int16.tflite")
    assert result.exit_code == 1
    assert one_error_line(result) == (
        "tflm-test: error: unsupported_average_pool_2d_int16.tflite: the runtime rejected the "
        "model on host: AVERAGE_POOL_2D at operator 0: int16 input is not supported "
        "(float32, int8 are)")


def test_micro_speech_labels_the_real_clips(tmp_path: Path) -> None:
    result = verify(tmp_path, MODELS / "micro_speech_quantized.tflite", "--golden",
                    str(GOLDEN / "micro_speech_quantized.json"))
    assert result.exit_code == 0, result.output
    for clip, label in [("yes", "yes"), ("no", "no"), ("silence", "silence"),
                        ("noise", "silence")]:
        assert f"label {label} (expected {label})" in next(
            ln for ln in result.output.splitlines() if ln.strip().startswith(f"{clip}_1000ms"))


@pytest.mark.parametrize("target", ["host", "qemu_cortexm3"])
def test_simple_add_matches_tflite_micro_on_random_inputs(tmp_path: Path, target: str) -> None:
    pytest.importorskip("tflite_micro")
    skip_without_toolchain(target)
    result = verify(tmp_path, MODELS / "simple_add_model.tflite", "--target", target)
    assert result.exit_code == 0, result.output
    assert "tflite-micro" in result.output and "seed 0" in result.output
    assert exact_cases(result) == 4


@pytest.mark.parametrize("stem", ["hello_world_float", "test_conv_model"])
def test_without_golden_uses_tflite_micro(tmp_path: Path, stem: str) -> None:
    pytest.importorskip("tflite_micro")
    result = verify(tmp_path, MODELS / f"{stem}.tflite", "--seed", "11")
    assert result.exit_code == 0, result.output
    assert exact_cases(result) == 4


@needs_arm
@pytest.mark.parametrize(("stem", "words"), sorted(NOT_ON_BLUEPILL.items()))
def test_model_too_big_for_bluepill_is_one_line_and_exit_1(tmp_path: Path, stem: str,
                                                           words: str) -> None:
    result = verify(tmp_path, MODELS / f"{stem}.tflite", "--target", "bluepill")
    assert result.exit_code == 1
    line = one_error_line(result)
    assert line.startswith(f"tflm-test: error: {stem}.tflite does not fit bluepill")
    assert words in line


@pytest.mark.parametrize("target", TARGETS)
def test_truncated_and_corrupted_models_are_one_line_and_exit_1(tmp_path: Path,
                                                                target: str) -> None:
    skip_without_toolchain(target)
    data = (MODELS / "micro_speech_quantized.tflite").read_bytes()
    (tmp_path / "truncated.tflite").write_bytes(data[:len(data) // 2])
    corrupted = bytearray((MODELS / "hello_world_int8.tflite").read_bytes())
    corrupted[1272:1276] = b"\xff\xff\xff\x7f"  # operator 0's table: caught by the runtime
    (tmp_path / "corrupted.tflite").write_bytes(bytes(corrupted))
    for name in ("truncated", "corrupted"):
        result = verify(tmp_path, tmp_path / f"{name}.tflite", "--target", target)
        assert result.exit_code == 1, result.output
        assert one_error_line(result).startswith(f"tflm-test: error: {name}.tflite")


def test_unsupported_op_is_one_line_and_exit_1(tmp_path: Path) -> None:
    result = verify(tmp_path, DATA / "audio_preprocessor_int8.tflite")
    assert result.exit_code == 1
    assert "unsupported ops" in one_error_line(result)


def test_without_any_reference_outputs_are_printed_and_nothing_passes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tflm_test import oracle

    monkeypatch.setattr(oracle, "oracle_version", lambda: None)
    monkeypatch.setattr("tflm_test.verify.oracle_version", lambda: None)
    result = verify(tmp_path, MODELS / "hello_world_int8.tflite")
    assert result.exit_code == 1
    assert "expected outputs not available" in result.output
    assert result.output.count("unchecked") == 4 and "ERROR: nothing compared" in result.output


def test_smoke_as_a_subprocess(tmp_path: Path) -> None:
    proc = tflm_test("verify", str(MODELS / "hello_world_int8.tflite"), "--golden",
                     str(GOLDEN / "hello_world_int8.json"), "--out", str(tmp_path))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "PASS: all 4 cases match" in proc.stdout


CORRUPTED = DATA / "corrupted"  # models that crash, hang or trip up tflite_micro (README)
ORACLE_FAILURES = {
    "oracle_segfault": "tflite_micro crashed on it (SIGSEGV)",
    "oracle_sigfpe": "tflite_micro crashed on it (SIGFPE)",
    "oracle_hang": "tflite_micro did not finish within 5 s",
    "oracle_struct_error": "tflite_micro cannot run it: struct.error: ",
    "oracle_type_error": "tflite_micro cannot run it: TypeError: bad number",
    "oracle_alloc_failure": "Dynamic tensors are not supported",
}


@pytest.mark.parametrize(("stem", "words"), sorted(ORACLE_FAILURES.items()))
def test_oracle_failures_are_one_line_and_exit_1_within_the_timeout(tmp_path: Path, stem: str,
                                                                    words: str) -> None:
    pytest.importorskip("tflite_micro")
    start = time.monotonic()
    proc = tflm_test("verify", str(CORRUPTED / f"{stem}.tflite"), "--target", "host",
                     "--timeout", "5", "--out", str(tmp_path), timeout=60)
    assert time.monotonic() - start < 5 + 10  # the timeout, plus start-up and the build check
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    (line,) = proc.stderr.splitlines()
    assert line.startswith(f"tflm-test: error: {stem}.tflite: ") and words in line


def _children(pid: int) -> list[int]:
    """Processes whose parent is pid (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            stat = (entry / "stat").read_text()
        except (OSError, ValueError):
            continue
        if entry.name.isdigit() and int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _running(pid: int) -> bool:
    """Alive and not a zombie (an orphan's zombie may wait for a reaper that never comes)."""
    try:
        return "\nState:\tZ" not in Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False


def _start_hanging_oracle(tmp_path: Path) -> tuple[subprocess.Popen[str], int]:
    """The CLI on the model that hangs tflite_micro, once its oracle process runs."""
    # TMPDIR: the oracle's work folder of a SIGKILLed run is left behind; keep it in tmp_path
    cli_proc = subprocess.Popen([TFLM_TEST, "verify", str(CORRUPTED / "oracle_hang.tflite"),
                                 "--timeout", "120", "--out", str(tmp_path)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                env={**os.environ, "TMPDIR": str(tmp_path)})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        oracle = [p for p in _children(cli_proc.pid)
                  if b"oracle_child" in Path(f"/proc/{p}/cmdline").read_bytes()]
        if oracle:
            time.sleep(0.5)  # inside tflite_micro by now
            return cli_proc, oracle[0]
        time.sleep(0.05)
    cli_proc.kill()
    pytest.fail("the oracle process never started")


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_during_a_hanging_oracle_exits_130_and_leaves_no_process(
        tmp_path: Path, sig: signal.Signals) -> None:
    pytest.importorskip("tflite_micro")
    cli_proc, oracle = _start_hanging_oracle(tmp_path)
    group = os.getpgid(oracle)
    assert group == oracle != os.getpgid(cli_proc.pid)  # its own process group
    cli_proc.send_signal(sig)
    _, stderr = cli_proc.communicate(timeout=5)
    assert cli_proc.returncode == 130 and stderr == "tflm-test: interrupted\n"
    assert not _running(oracle)
    with pytest.raises(ProcessLookupError):
        os.killpg(group, 0)


def test_oracle_dies_with_a_killed_tflm_test(tmp_path: Path) -> None:
    pytest.importorskip("tflite_micro")
    cli_proc, oracle = _start_hanging_oracle(tmp_path)
    cli_proc.kill()
    cli_proc.communicate()
    deadline = time.monotonic() + 2
    while _running(oracle) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _running(oracle), "orphaned oracle still running"


def test_concurrent_runs_of_models_with_the_same_file_name_do_not_mix(tmp_path: Path) -> None:
    # Two different models both called model.tflite, each verified twice at once, all
    # writing to one --out folder (as runs from one working directory do).
    stems = ["hello_world_int8", "hello_world_float"] * 2
    runs = []
    for i, stem in enumerate(stems):
        folder = tmp_path / f"run{i}"
        folder.mkdir()
        shutil.copy(MODELS / f"{stem}.tflite", folder / "model.tflite")
        runs.append(subprocess.Popen(
            [TFLM_TEST, "verify", str(folder / "model.tflite"), "--golden",
             str(GOLDEN / f"{stem}.json"), "--out", str(tmp_path / "out")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True))
    for stem, proc in zip(stems, runs):
        stdout, stderr = proc.communicate(timeout=300)
        assert proc.returncode == 0, f"{stem}: {stdout}{stderr}"
        assert "PASS: all 4 cases match" in stdout and stderr == ""


@pytest.mark.parametrize("target", ["host", "qemu_cortexm3"])
def test_case_names_with_c_and_protocol_specials_survive_the_round_trip(tmp_path: Path,
                                                                        target: str) -> None:
    skip_without_toolchain(target)
    raw = json.loads((GOLDEN / "hello_world_int8.json").read_text())
    names = ['q"uote', "tri??=graph", "back\\slash 100%", "ünï cödé"]
    for case, name in zip(raw["cases"], names):
        case["name"] = name
    golden = tmp_path / "names.json"
    golden.write_text(json.dumps(raw))
    result = verify(tmp_path, MODELS / "hello_world_int8.tflite", "--golden", str(golden),
                    "--target", target)
    assert result.exit_code == 0, result.output
    for name in names:
        assert f"  {name:<16} bit-exact" in result.output


def test_a_report_that_cannot_be_written_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    result = verify(tmp_path, MODELS / "hello_world_int8.tflite", "--golden",
                    str(GOLDEN / "hello_world_int8.json"), "--json",
                    str(tmp_path / "file" / "r.json"))
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert result.output.startswith(f"tflm-test: error: {tmp_path / 'file' / 'r.json'}: cannot "
                                    "write the report (")

