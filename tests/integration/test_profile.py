"""`tflm-test profile` end to end through the installed CLI: the profiling program is built
with the real toolchain, run on QEMU with the instruction-count plugin, and its per-operator
counts must add up to the invoke they were measured in."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from .conftest import tflm_test

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "reference_runtime" / "tests" / "models"

needs_arm = pytest.mark.skipif(
    shutil.which("arm-none-eabi-gcc") is None or shutil.which("qemu-system-arm") is None,
    reason="needs arm-none-eabi-gcc and qemu-system-arm (ci/setup installs them)")


def _errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("note: ")]


@needs_arm
def test_micro_speech_per_op_counts_add_up_and_depthwise_dominates(tmp_path: Path) -> None:
    report = tmp_path / "profile.json"
    done = tflm_test("profile", str(MODELS / "micro_speech_quantized.tflite"), "--target",
                     "qemu_cortexm3", "--kernels", "both", "--json", str(report),
                     "--out", str(tmp_path / "out"), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    doc = json.loads(report.read_text())
    ops = doc["operators"]
    assert [o["op"] for o in ops] == ["RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED",
                                      "SOFTMAX"]
    for kernels in ("reference", "optimized"):
        run = doc["runs"][kernels]
        counts = [o["instructions"][kernels]["count"] for o in ops]
        assert all(c > 0 for c in counts)
        assert sum(counts) + run["interpreter_instructions"] == run["invoke_instructions"]
        # The hooks bracket the kernels tightly: the interpreter's loop is a few dozen
        # instructions of the millions in the invoke.
        assert 0 < run["interpreter_instructions"] < run["invoke_instructions"] // 1000
        depthwise = ops[1]["instructions"][kernels]
        assert depthwise["share"] > 0.9 and depthwise["count"] == max(counts)
        # at least the depthwise output, which overlaps the input it consumes
        assert run["arena"]["used"] - run["arena"]["persistent"] >= 4000
    ref, opt = (ops[1]["instructions"][k]["count"] for k in ("reference", "optimized"))
    assert ref > 4 * opt  # the optimised depthwise kernel is the point of the other set
    assert ops[0]["instructions"]["reference"]["count"] == ops[0]["instructions"]["optimized"]["count"]
    lines = done.stdout.splitlines()
    assert lines[0].startswith("profile micro_speech_quantized.tflite on qemu_cortexm3 (qemu")
    assert lines[3].split()[:3] == ["1", "DEPTHWISE_CONV_2D", "320,000"]
    assert lines[3].split()[9] == f"{ref / opt:.2f}x"


@needs_arm
def test_one_kernel_set_by_default_and_the_same_figures(tmp_path: Path) -> None:
    done = tflm_test("profile", str(MODELS / "hello_world_int8.tflite"), "--target",
                     "qemu_cortexm3", "--out", str(tmp_path), cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert "optimized kernels" in done.stdout.splitlines()[0]
    rows = [line.split() for line in done.stdout.splitlines()[2:5]]
    assert [r[1] for r in rows] == ["FULLY_CONNECTED"] * 3
    assert [r[2] for r in rows] == ["16", "256", "16"]


@pytest.mark.parametrize("args, code, message", [
    (["hello_world_int8.tflite", "--target", "host"], 2,
     "tflm-test: error: profile needs an emulated target: host runs programs natively, with "
     "no instruction counter (try --target qemu_cortexm3)"),
    (["hello_world_int8.tflite", "--target", "nosuch"], 2,
     "tflm-test: error: unknown target 'nosuch'; known targets: "),
    (["simple_add_model.tflite", "--target", "bluepill"], 1,
     "tflm-test: error: simple_add_model.tflite does not fit bluepill: operator 0 (ADD) alone "
     "needs 49152 bytes of activations, the target has 20480 bytes of RAM"),
])
def test_errors_are_one_line_and_an_exit_code(tmp_path: Path, args: list[str], code: int,
                                              message: str) -> None:
    done = tflm_test("profile", str(MODELS / args[0]), *args[1:], "--out", str(tmp_path),
                     cwd=ROOT)
    assert done.returncode == code
    assert len(_errors(done.stderr)) == 1 and _errors(done.stderr)[0].startswith(message)
    assert done.stdout == ""


def test_a_file_that_is_no_model_is_one_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tflite"
    bad.write_bytes(b"\x10\x00\x00\x00TFL3" + b"\xff" * 8)
    done = tflm_test("profile", str(bad), "--target", "qemu_cortexm3", "--out",
                     str(tmp_path / "out"), cwd=ROOT)
    assert done.returncode == 1
    assert _errors(done.stderr) == [_errors(done.stderr)[0]]
    assert _errors(done.stderr)[0].startswith("tflm-test: error: bad.tflite: not a valid "
                                              ".tflite model: ")


def test_a_project_without_a_profile_table_and_an_unwritable_json(tmp_path: Path) -> None:
    (tmp_path / "tflm-test.toml").write_text('build = ["true"]\nbinaries = "x.elf"\n')
    model = str(MODELS / "hello_world_int8.tflite")
    done = tflm_test("profile", model, "--target", "qemu_cortexm3", "--project",
                     str(tmp_path), "--out", str(tmp_path / "out"), cwd=ROOT)
    assert done.returncode == 2
    assert _errors(done.stderr) == [f"tflm-test: error: {tmp_path / 'tflm-test.toml'}: no "
                                    "[profile] table says how to build a profiling program "
                                    "with the project's runtime (docs/project-file.md)"]
    (tmp_path / "file").write_text("a file where a folder should be")
    done = tflm_test("profile", model, "--target", "qemu_cortexm3", "--json",
                     str(tmp_path / "file" / "p.json"), "--out", str(tmp_path / "out"),
                     cwd=ROOT)
    assert done.returncode == 2
    assert len(_errors(done.stderr)) == 1
    assert _errors(done.stderr)[0].startswith(f"tflm-test: error: --json {tmp_path}/file/p.json: "
                                              "cannot write there (")


@needs_arm
def test_a_profile_build_without_the_hooks_is_one_line(tmp_path: Path) -> None:
    runtime = ROOT / "reference_runtime"  # its verify build: no PROFILE=1, so no hooks
    (tmp_path / "tflm-test.toml").write_text(f'''
[profile]
runtime = "{runtime}"
app_dir = "{{runtime}}/gen/{{target}}/apps/{{name}}"
build = ["make", "-C", "{{runtime}}", "-j{{jobs}}", "TARGET={{target}}", "app",
         "APP_NAME={{name}}", "APP_DIR={{app_dir}}", "APP_SRCS=apps/verify/verify_main.c"]
elf = "{{runtime}}/gen/{{target}}/bin/apps/{{name}}.elf"
''')
    done = tflm_test("profile", str(MODELS / "hello_world_int8.tflite"), "--target",
                     "qemu_cortexm3", "--project", str(tmp_path), "--out", str(tmp_path / "out"),
                     cwd=ROOT)
    assert done.returncode == 2
    [line] = _errors(done.stderr)
    assert line.startswith("tflm-test: error: ") and line.endswith(
        ": no symbol tm_profile_invoke_begin, tm_profile_op_begin, tm_profile_op_end, "
        "tm_profile_invoke_end: the [profile] build must define TM_PROFILE (the runtime's "
        "profiling hooks, include/tm_profile.h)")
