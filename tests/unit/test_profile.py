"""The pure half of `tflm-test profile`: MACs from real models' shapes, per-operator counts
from marks recorded on real QEMU runs (tests/data/profile/), the table and the JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tflm_test import __version__
from tflm_test.profile import (HOOKS, KERNEL_CHOICES, Counts, HookAddresses, KernelRun,
                               KernelSet, ProfileFailed, ProfileReport, op_counts, op_shapes)
from tflm_test.reports.profile_report import SCHEMA, VERSION, text_lines, to_dict
from tflm_test.tflite_model import read_model
from tflm_test.verify import Sizes

ROOT = Path(__file__).resolve().parents[2]
MODELS = ROOT / "reference_runtime" / "tests" / "models"
RECORDED = ROOT / "tests" / "data" / "profile"
MORE = Path("/work/shared/models/more")  # shared test data; those tests skip without it


def _recorded(stem: str, kernels: str) -> tuple[HookAddresses, list[tuple[int, int]]]:
    doc = json.loads((RECORDED / f"{stem}.{kernels}.json").read_text())
    hooks = HookAddresses(*(int(doc["hooks"][name], 16) for name in HOOKS))
    return hooks, [(int(address, 16), count) for address, count in doc["marks"]]


def _counts(stem: str, kernels: str, operators: int) -> Counts:
    return op_counts(_recorded(stem, kernels)[1], _recorded(stem, kernels)[0], operators)


def test_counts_of_micro_speech_are_the_differences_between_its_hooks() -> None:
    ref = _counts("micro_speech_quantized", "reference", 4)
    opt = _counts("micro_speech_quantized", "optimized", 4)
    assert ref.ops == (1573, 8692542, 176430, 3257)  # RESHAPE, DEPTHWISE, FC, SOFTMAX
    assert opt.ops == (1573, 1315542, 88493, 3257)  # same RESHAPE and SOFTMAX kernels
    assert (ref.invoke, opt.invoke) == (8873871, 1408934)
    assert ref.interpreter == opt.interpreter == 69  # the loop, not the kernels
    assert sum(opt.ops) + opt.interpreter == opt.invoke


def test_marks_out_of_order_or_missing_are_one_error() -> None:
    hooks, marks = _recorded("hello_world_int8", "optimized")
    assert op_counts(marks, hooks, 3).ops == (1603, 2920, 376)
    with pytest.raises(ProfileFailed, match=r"reached 7 times, not around one invoke of 3 "
                                            r"operators \(8 times"):
        op_counts(marks[:-1], hooks, 3)  # the invoke never returned
    with pytest.raises(ProfileFailed, match="reached 8 times"):
        op_counts(marks, hooks, 4)  # another model's program
    with pytest.raises(ProfileFailed, match="first: 0x10, op_begin"):
        op_counts([(0x10, 1), *marks[1:]], hooks, 3)
    with pytest.raises(ProfileFailed, match="first: none"):
        op_counts([], hooks, 3)


def test_macs_from_the_shapes_of_each_counted_op() -> None:
    _, speech = read_model(MODELS / "micro_speech_quantized.tflite")
    assert [(o.op, o.macs) for o in op_shapes(speech)] == [
        ("RESHAPE", 0), ("DEPTHWISE_CONV_2D", 25 * 20 * 8 * 10 * 8),
        ("FULLY_CONNECTED", 4 * 4000), ("SOFTMAX", 0)]
    assert op_shapes(speech)[1].inputs == ((1, 49, 40, 1), (1, 10, 8, 8), (8,))
    assert op_shapes(speech)[1].outputs == ((1, 25, 20, 8),)
    _, conv = read_model(MODELS / "test_conv_model.tflite")
    assert [o.macs for o in op_shapes(conv) if o.op == "CONV_2D"] == [14 * 14 * 16 * 3 * 3 * 1,
                                                                       12 * 12 * 32 * 3 * 3 * 16]
    _, lstm = read_model(MODELS / "trained_lstm_int8.tflite")
    # 28 steps x 4 gates x 128 cells x (28 inputs + 128 recurrent)... as the model's shapes say
    step = op_shapes(lstm)[0]
    assert step.op == "UNIDIRECTIONAL_SEQUENCE_LSTM"
    cells, depth = step.inputs[1]
    assert step.macs == 28 * 4 * cells * (depth + cells)


@pytest.mark.skipif(not MORE.is_dir(), reason=f"no shared models at {MORE}")
def test_macs_of_svdf_and_transpose_conv() -> None:
    _, keyword = read_model(MORE / "keyword_scrambled.tflite")
    svdf = op_shapes(keyword)[1]
    assert (svdf.op, svdf.inputs[1], svdf.inputs[2]) == ("SVDF", (64, 96), (64, 8))
    assert svdf.macs == 64 * 96 + 64 * 8
    _, transpose = read_model(MORE / "transpose_conv0.tflite")
    op = op_shapes(transpose)[0]
    out_depth, height, width, _ = op.inputs[1]
    assert op.macs == 1 * 1 * 5 * 64 * out_depth * height * width  # input x filter


def _report(*kernels: KernelSet) -> ProfileReport:
    _, speech = read_model(MODELS / "micro_speech_quantized.tflite")
    sizes = Sizes(code=22168, model=18800, inputs=1960, flash=42928, ram=19516,
                  flash_capacity=65536, ram_capacity=20480)
    runs = tuple(KernelRun(k, _counts("micro_speech_quantized", str(k), 4), 7184, 17408, sizes,
                           Path(f"/out/{k}.elf"), None, 1216) for k in kernels)
    return ProfileReport(Path("m/micro_speech_quantized.tflite"), "bluepill", "qemu netduino2",
                         op_shapes(speech), runs)


def test_table_of_both_sets_shows_each_op_side_by_side_with_the_ratio() -> None:
    lines = text_lines(_report(*KERNEL_CHOICES["both"]))
    assert lines[0] == ("profile micro_speech_quantized.tflite on bluepill (qemu netduino2): "
                        "reference vs optimized kernels, guest instructions of one invoke")
    assert lines[1].split() == ["#", "op", "MACs", "reference", "instr/MAC", "share",
                                "optimized", "instr/MAC", "share", "ratio", "shapes", "(inputs",
                                "->", "outputs)"]
    depthwise = lines[3].split()
    assert depthwise[:10] == ["1", "DEPTHWISE_CONV_2D", "320,000", "8,692,542", "27.16",
                              "98.0%", "1,315,542", "4.11", "93.4%", "6.61x"]
    assert " ".join(depthwise[10:]) == "1x49x40x1, 1x10x8x8, 8 -> 1x25x20x8"
    assert lines[2].split()[3:5] == ["1,573", "-"]  # RESHAPE: no MACs, no per-MAC figure
    assert lines[6].split()[:3] == ["(interpreter)", "0", "69"]
    assert lines[7].split()[:9] == ["invoke", "336,000", "8,873,871", "26.41", "100.0%",
                                    "1,408,934", "4.19", "100.0%", "6.30x"]
    assert lines[8] == ("reference: arena 7,184 of 17,408 bytes (1,216 persistent); flash "
                        "code 22,168 + model "
                        "18,800 + input 1,960 = 42,928 of 65,536 bytes; RAM 19,516 of 20,480 "
                        "bytes")
    assert len(lines) == 10


def test_table_of_one_set_has_no_ratio_column() -> None:
    lines = text_lines(_report(KernelSet.OPTIMIZED))
    assert "ratio" not in lines[1] and "reference" not in lines[1]
    assert lines[3].split()[:6] == ["1", "DEPTHWISE_CONV_2D", "320,000", "1,315,542", "4.11",
                                    "93.4%"]
    assert len(lines) == 9


def test_json_has_every_figure_of_the_table() -> None:
    doc = to_dict(_report(*KERNEL_CHOICES["both"]))
    assert (doc["schema"], doc["version"], doc["tool_version"]) == (SCHEMA, VERSION, __version__)
    assert doc["kernels"] == ["reference", "optimized"]
    depthwise = doc["operators"][1]
    assert depthwise["op"] == "DEPTHWISE_CONV_2D" and depthwise["macs"] == 320000
    assert depthwise["inputs"] == [[1, 49, 40, 1], [1, 10, 8, 8], [8]]
    assert depthwise["instructions"]["optimized"]["count"] == 1315542
    assert depthwise["instructions"]["optimized"]["per_mac"] == pytest.approx(4.111, abs=1e-3)
    assert depthwise["instructions"]["reference"]["share"] == pytest.approx(0.9796, abs=1e-4)
    assert doc["operators"][0]["instructions"]["reference"]["per_mac"] is None
    run = doc["runs"]["optimized"]
    assert run["invoke_instructions"] == 1408934 and run["interpreter_instructions"] == 69
    assert run["arena"] == {"used": 7184, "size": 17408, "persistent": 1216}
    assert run["flash"] == {"code": 22168, "model": 18800, "inputs": 1960, "total": 42928,
                            "limit": 65536}
    assert run["ram"] == {"used": 19516, "limit": 20480}
    assert json.loads(json.dumps(doc)) == doc
