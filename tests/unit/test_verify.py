"""verify's pure parts: reading .tflite files, golden files, output parsing and comparison,
the generated program, early rejections. No process is started here."""

from __future__ import annotations

import json
import math
import random
import struct
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from tflm_test import cli
from tflm_test.errors import ModelRejected, TflmTestError
from tflm_test.golden import TensorValue, load_golden, parse_golden
from tflm_test.oracle import _failure, _read_answer, random_cases
from tflm_test.oracle_child import EXIT_UNAVAILABLE
from tflm_test.reports.verify_report import case_line, text_lines, to_dict
from tflm_test.targets import load_boards
from tflm_test.tflite_model import MalformedModel, ModelInfo, parse_model, read_model
from tflm_test.verdict import Verdict
from tflm_test.verify import (CaseReport, Sizes, VerifyReport, reject_on_target, app_name,
                              check_fits, check_io, kernels_for)
from tflm_test.project import VerifySettings
from tflm_test.verify_app import (AppBuild, AppCase, build_source, c_string, first_arena_size,
                                  generate_source,
                                  locked, overflow, program_name, registered_symbol,
                                  supported_kernels)
from tflm_test.verify_compare import (FLOAT_RECURRENT_ULPS, FLOAT_TRANSCENDENTAL_ULPS,
                                      argmax_label, compare, parse_outputs, tolerance_for)

# The operators of each model, as MODELS.md lists them.
MODEL_OPS = {
    "micro_speech_quantized": {"RESHAPE", "DEPTHWISE_CONV_2D", "FULLY_CONNECTED", "SOFTMAX"},
    "hello_world_int8": {"FULLY_CONNECTED"},
    "hello_world_float": {"FULLY_CONNECTED"},
    "simple_add_model": {"ADD"},
    "network_model": {"DEPTHWISE_CONV_2D"},
    "test_conv_model": {"QUANTIZE", "CONV_2D", "MAX_POOL_2D", "RESHAPE", "FULLY_CONNECTED",
                        "DEQUANTIZE"},
}


@pytest.fixture(scope="module")
def models(root: Path) -> Path:
    """The runtime's test models (kept once, for the C tests, the fuzzer and these)."""
    return root / "reference_runtime" / "tests" / "models"


@pytest.fixture(scope="module")
def data(root: Path) -> Path:
    """Golden vectors and the model with TFLM's custom Signal ops."""
    return root / "tests" / "data" / "models"


@pytest.mark.parametrize("stem", sorted(MODEL_OPS))
def test_reads_the_operators_of_every_real_model(models: Path, stem: str) -> None:
    _, info = read_model(models / f"{stem}.tflite")
    assert {c.name for c in info.used_codes} == MODEL_OPS[stem]


def test_reads_inputs_outputs_and_quantisation(models: Path) -> None:
    _, info = read_model(models / "micro_speech_quantized.tflite")
    (inp,), (out,) = info.inputs, info.outputs
    assert (inp.dtype, inp.shape, inp.zero_point) == ("int8", (1, 1960), (-128,))
    assert inp.scale == (pytest.approx(0.101715684),)
    assert (out.dtype, out.shape, out.scale, out.zero_point) == ("int8", (1, 4), (0.00390625,),
                                                                  (-128,))
    assert not inp.is_const and any(t.is_const for t in info.tensors)


def test_custom_ops_are_named_by_their_custom_code(models: Path, data: Path) -> None:
    _, info = read_model(data / "audio_preprocessor_int8.tflite")
    assert "CUSTOM(SignalRfft)" in {c.name for c in info.used_codes}


def _model_with_opcode(deprecated: int, builtin: int) -> bytes:
    """A minimal model: one operator code, one empty subgraph (built with flatbuffers)."""
    flatbuffers = pytest.importorskip("flatbuffers")
    b = flatbuffers.Builder(64)
    b.StartObject(4)  # OperatorCode
    b.PrependInt8Slot(0, deprecated, 0)
    b.PrependInt32Slot(3, builtin, 0)
    code = b.EndObject()
    b.StartObject(5)  # SubGraph, all fields absent
    subgraph = b.EndObject()
    vectors = []
    for item in (code, subgraph):
        b.StartVector(4, 1, 4)
        b.PrependUOffsetTRelative(item)
        vectors.append(b.EndVector())
    b.StartObject(5)  # Model
    b.PrependUOffsetTRelativeSlot(1, vectors[0], 0)
    b.PrependUOffsetTRelativeSlot(2, vectors[1], 0)
    b.Finish(b.EndObject(), file_identifier=b"TFL3")
    return bytes(b.Output())


@pytest.mark.parametrize(("deprecated", "builtin", "expected"),
                         [(4, 0, 4), (127, 150, 150), (9, 9, 9)])
def test_operator_code_is_the_max_of_deprecated_and_builtin(deprecated: int, builtin: int,
                                                            expected: int) -> None:
    info = parse_model(_model_with_opcode(deprecated, builtin))
    assert [c.builtin_code for c in info.operator_codes] == [expected]


def test_rejects_truncated_and_foreign_files(models: Path) -> None:
    data = (models / "micro_speech_quantized.tflite").read_bytes()
    with pytest.raises(MalformedModel, match="outside"):
        parse_model(data[:9000])
    with pytest.raises(MalformedModel, match="TFL3"):
        parse_model(b"hello world, not a model")


def test_corrupted_models_raise_only_malformed_model(models: Path) -> None:
    original = (models / "hello_world_int8.tflite").read_bytes()
    rng = random.Random(7)
    for _ in range(300):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(8, len(data))] = rng.randrange(256)
        try:
            parse_model(bytes(data))
        except MalformedModel:
            pass


def test_golden_file_parses_and_packs_exact_float32_bits(models: Path, data: Path) -> None:
    golden = load_golden(data / "golden" / "hello_world_float.json")
    value = golden.cases[0].inputs[0]
    assert value.dtype == "float32" and len(value.to_bytes()) == 4
    assert struct.unpack("<f", value.to_bytes())[0] == value.data[0]  # the repr is exact
    speech = load_golden(data / "golden" / "micro_speech_quantized.json")
    assert speech.labels == ("silence", "unknown", "yes", "no")
    assert (speech.arena_used_bytes, speech.arena_tail_bytes) == (7584, 1616)
    assert {c.name: c.expected_label for c in speech.cases}["yes_1000ms"] == "yes"


def test_golden_rejects_data_that_does_not_match_its_shape() -> None:
    raw = {"cases": [{"name": "c", "inputs": [{"shape": [2], "dtype": "int8", "data": [1]}],
                      "outputs": []}]}
    with pytest.raises(TflmTestError, match="needs 2 values, has 1"):
        parse_golden(raw)
    with pytest.raises(TflmTestError, match="not a golden vector file"):
        parse_golden({"no": "cases"})


LOG = """\
Testing random_0
verify.arena 1472 17408 944
verify.output 0 9 3
verify.data 0 0 0aff80
Testing random_1
arena too small: need 49664 bytes, have 17408
verify.error prepare TM_ERR_ARENA needed 49664 have 17408
FAIL: prepare failed at apps/verify/verify_main.c:33
1/2 tests passed
~~~SOME TESTS FAILED~~~
"""


def test_parses_outputs_arena_and_errors_per_case() -> None:
    first, second = parse_outputs(LOG.splitlines())
    assert (first.name, first.arena_used, first.arena_size) == ("random_0", 1472, 17408)
    assert first.arena_persistent == 944
    assert second.arena_persistent is None
    assert bytes(first.outputs[0]) == b"\x0a\xff\x80"
    assert second.error == "prepare TM_ERR_ARENA needed 49664 have 17408"
    assert (second.arena_needed, second.arena_have) == (49664, 17408)
    assert second.notes == ["arena too small: need 49664 bytes, have 17408"]


def test_arena_line_without_the_persistent_figure_still_parses() -> None:
    """Another runtime's verify program may print only used and size."""
    (case,) = parse_outputs(["Testing c", "verify.arena 1472 17408"])
    assert (case.arena_used, case.arena_size, case.arena_persistent) == (1472, 17408, None)


def _verify_report(persistent: int | None, tflm_persistent: int | None) -> VerifyReport:
    sizes = Sizes(code=20000, model=18800, inputs=1960, flash=40760, ram=19516,
                  flash_capacity=65536, ram_capacity=20480)
    return VerifyReport(Path("m.tflite"), "bluepill", "qemu netduino2", Verdict.PASS, "",
                        ("FULLY_CONNECTED",), "golden file", (), 6784, 17408, 7584, sizes, 0, (),
                        arena_persistent=persistent, tflm_arena_persistent=tflm_persistent)


def test_verify_report_splits_the_arena_like_tflm_when_both_figures_are_known() -> None:
    report = _verify_report(816, 1616)
    arena_line = next(line for line in text_lines(report) if line.startswith("arena used"))
    assert arena_line == ("arena used: 6784 bytes, 816 persistent (TFLM: 7584 bytes, 1616 "
                          "persistent on 64-bit host) of a 17408-byte arena")
    assert to_dict(report)["arena"] == {"used": 6784, "size": 17408, "persistent": 816,
                                        "tflm_used": 7584, "tflm_persistent": 1616}
    plain = next(line for line in text_lines(_verify_report(None, None))
                 if line.startswith("arena used"))
    assert plain == "arena used: 6784 bytes (TFLM: 7584 bytes on 64-bit host) of a 17408-byte arena"


def test_output_bytes_become_typed_values() -> None:
    raw = bytes.fromhex("0aff80") + struct.pack("<f", 1.5)
    assert TensorValue.from_bytes((3,), "int8", raw[:3]).data == (10, -1, -128)
    assert TensorValue.from_bytes((1,), "float32", raw[3:]).data == (1.5,)


def _t(dtype: str, *data: float) -> TensorValue:
    return TensorValue((len(data),), dtype, tuple(data))


def test_compare_counts_differences_and_max_difference() -> None:
    assert compare(_t("int8", 1, 2, 3), _t("int8", 1, 2, 3)).exact
    diff = compare(_t("int8", 1, 2, 3), _t("int8", 1, -2, 4))
    assert (diff.differing, diff.max_diff, diff.ok) == (2, 4, False)
    size = compare(_t("int8", 1, 2), _t("int8", 1))
    assert size.differing == 2 and math.isinf(size.max_diff)


def test_compare_measures_floats_in_ulps() -> None:
    one_up = struct.unpack("<f", struct.pack("<I", 0x3F800001))[0]  # 1.0 + 1 ULP
    strict = compare(_t("float32", 1.0), _t("float32", one_up))
    assert (strict.max_ulp, strict.ok) == (1, False)
    assert compare(_t("float32", 1.0), _t("float32", one_up), tolerance_ulps=4).ok
    across_zero = compare(_t("float32", 0.0), _t("float32", -0.0))
    assert across_zero.exact  # equal values
    assert compare(_t("float32", math.nan), _t("float32", math.nan)).exact
    assert not compare(_t("float32", 1.0), _t("float32", math.nan), 4).ok


def test_tolerance_only_for_float_outputs_of_transcendental_models() -> None:
    assert tolerance_for(["FULLY_CONNECTED"], ["float32"]) == 0
    assert tolerance_for(["LOGISTIC"], ["int8"]) == 0
    assert tolerance_for(["TANH", "FULLY_CONNECTED"], ["float32"]) == FLOAT_TRANSCENDENTAL_ULPS
    lstm = ["UNIDIRECTIONAL_SEQUENCE_LSTM", "SOFTMAX"]
    assert tolerance_for(lstm, ["float32"]) == FLOAT_RECURRENT_ULPS > FLOAT_TRANSCENDENTAL_ULPS
    assert tolerance_for(lstm, ["int8"]) == 0  # the integer LSTM is bit-exact


def test_argmax_label() -> None:
    labels = ("silence", "unknown", "yes", "no")
    assert argmax_label(_t("int8", -128, -128, 127, -128), labels) == "yes"
    assert argmax_label(_t("int8", 5, 5, 0, 0), labels) == "silence"  # first on ties
    assert argmax_label(_t("int8", 1, 2), labels) is None


def test_supported_kernels_come_from_the_runtime_sources(root: Path) -> None:
    kernels = supported_kernels(root / "reference_runtime")
    assert kernels[9].symbol == "tm_kernel_fully_connected"
    assert kernels[9].enum == "TM_OP_FULLY_CONNECTED"
    # tm_ops.h's TM_KERNEL_FULLY_CONNECTED_INT8: the build's kernel set (KERNELS=...) decides
    assert kernels[9].int8_symbol == "TM_KERNEL_FULLY_CONNECTED_INT8"
    assert kernels[3].int8_symbol == "TM_KERNEL_CONV_2D_INT8"
    assert kernels[27].int8_symbol == "tm_kernel_svdf_int8"  # no such macro: the one kernel
    assert kernels[22].int8_symbol == ""  # RESHAPE: no int8-only registration


def test_int8_registration_only_where_no_float_tensor_is_touched(models: Path,
                                                                 root: Path) -> None:
    _, info = read_model(models / "test_conv_model.tflite")
    symbols = {k.enum: registered_symbol(k, info)
               for k in kernels_for(info, supported_kernels(root / "reference_runtime"), "c.tflite")}
    assert symbols["TM_OP_CONV_2D"] == "TM_KERNEL_CONV_2D_INT8"
    assert symbols["TM_OP_FULLY_CONNECTED"] == "TM_KERNEL_FULLY_CONNECTED_INT8"
    assert symbols["TM_OP_QUANTIZE"] == "tm_kernel_quantize"  # float32 in, no int8 twin
    data, floats = read_model(models / "hello_world_float.tflite")
    kernels = kernels_for(floats, supported_kernels(root / "reference_runtime"), "f.tflite")
    assert registered_symbol(kernels[0], floats) == "tm_kernel_fully_connected"
    text = generate_source(data, "f.tflite", kernels, [AppCase("c", (bytes(4),))], 4096)
    assert "{TM_OP_FULLY_CONNECTED, &tm_kernel_fully_connected}," in text


def test_kernels_for_takes_exactly_the_models_ops(models: Path, root: Path, data: Path) -> None:
    _, info = read_model(models / "micro_speech_quantized.tflite")
    kernels = kernels_for(info, supported_kernels(root / "reference_runtime"), "m.tflite")
    assert [k.enum for k in kernels] == ["TM_OP_DEPTHWISE_CONV_2D", "TM_OP_FULLY_CONNECTED",
                                         "TM_OP_RESHAPE", "TM_OP_SOFTMAX"]
    _, audio = read_model(data / "audio_preprocessor_int8.tflite")
    with pytest.raises(ModelRejected, match=r"^a\.tflite: unsupported ops .*CUSTOM\(SignalRfft\)"):
        kernels_for(audio, supported_kernels(root / "reference_runtime"), "a.tflite")


def test_generated_source_embeds_model_ops_cases_and_arena(models: Path, root: Path) -> None:
    data, info = read_model(models / "hello_world_int8.tflite")
    kernels = kernels_for(info, supported_kernels(root / "reference_runtime"), "hello_world_int8.tflite")
    text = generate_source(data, "hello_world_int8.tflite", kernels,
                           [AppCase("random_0", (b"\xfc",)), AppCase('q"uote', (b"\x01",))], 4096)
    assert text.startswith("/* Generated by tflm-test verify")
    assert ("const unsigned char tm_verify_model[] __attribute__((aligned(16)))" in text)
    assert f"const unsigned int tm_verify_model_len = {len(data)};" in text
    assert "{TM_OP_FULLY_CONNECTED, &TM_KERNEL_FULLY_CONNECTED_INT8}," in text
    assert "tm_verify_num_ops = 1u;" in text and "tm_kernel_add" not in text
    assert '{"random_0", case0_inputs, 1u},' in text and r'"q\042uote"' in text
    assert "uint8_t tm_verify_arena[4096] __attribute__((aligned(16)));" in text


def test_arena_and_overflow_helpers() -> None:
    bluepill = load_boards().get("bluepill")
    host = load_boards().get("host")
    assert first_arena_size(bluepill) % 16 == 0 and first_arena_size(bluepill) < 20 * 1024
    assert first_arena_size(host) == 1 << 20
    assert overflow("x.elf does not fit bluepill: region RAM overflowed by 132 bytes") == ("RAM",
                                                                                          132)
    assert overflow("undefined reference to `foo'") is None
    assert app_name(Path("a/hello-world.v2.tflite")) == "verify_hello_world_v2"


def test_simple_add_is_rejected_for_bluepill_before_building(models: Path) -> None:
    data, info = read_model(models / "simple_add_model.tflite")
    with pytest.raises(ModelRejected, match="does not fit bluepill: operator 0 \\(ADD\\) alone "
                                            "needs 49152 bytes"):
        check_fits(info, len(data), load_boards().get("bluepill"), "s.tflite")
    check_fits(info, len(data), load_boards().get("qemu_cortexm3"), "s.tflite")


def test_a_model_bigger_than_the_flash_is_rejected_with_both_sizes(models: Path) -> None:
    _, info = read_model(models / "hello_world_int8.tflite")
    with pytest.raises(ModelRejected, match="^h.tflite does not fit bluepill: the model alone "
                                            "takes 300568 bytes, the target has 65536 bytes "
                                            "of flash$"):
        check_fits(info, 300568, load_boards().get("bluepill"), "h.tflite")


def test_random_cases_are_seeded_and_in_range(models: Path) -> None:
    _, info = read_model(models / "test_conv_model.tflite")
    first, again = random_cases(info, 3), random_cases(info, 3)
    assert first == again and first != random_cases(info, 4)
    values = first[0].inputs[0].data
    assert len(values) == 256 and all(0.0 <= v <= 1.0 for v in values)  # QUANTIZE's range
    _, speech = read_model(models / "micro_speech_quantized.tflite")
    ints = random_cases(speech, 0)[0].inputs[0].data
    assert min(ints) >= -128 and max(ints) <= 127 and len(set(ints)) > 200


def test_report_lines_and_json() -> None:
    bad = CaseReport("random_1", "mismatch", (compare(_t("int8", 1, 2), _t("int8", 1, 5)),))
    assert case_line(bad) == "  random_1         mismatch: max diff 3, 1 of 2 elements differ"
    good = CaseReport("yes_1000ms", "bit-exact", (compare(_t("int8", 1), _t("int8", 1)),),
                      "yes", "yes")
    assert case_line(good).endswith("bit-exact  label yes (expected yes)")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("bad.tflite", b"\x10\x00\x00\x00XXXX" + bytes(40), "bad.tflite: not a valid .tflite model"),
    ("cut.tflite", None, "cut.tflite: not a valid .tflite model"),
    ("audio.tflite", "audio", "audio.tflite: unsupported ops"),
])
def test_cli_rejects_with_one_line_and_exit_1(tmp_path: Path, models: Path, name: str,
                                              content: bytes | str | None, message: str,
                                              monkeypatch: pytest.MonkeyPatch, root: Path, data: Path) -> None:
    monkeypatch.setenv("TFLM_TEST_PROJECT", str(root))
    if content is None:
        content = (models / "micro_speech_quantized.tflite").read_bytes()[:5000]
    elif content == "audio":
        content = (data / "audio_preprocessor_int8.tflite").read_bytes()
    (tmp_path / name).write_bytes(content)
    result = CliRunner().invoke(cli.cli, ["verify", str(tmp_path / name)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"tflm-test: error: {message}")


def test_c_op_name_table_is_generated_from_the_same_names(root: Path) -> None:
    """reference_runtime/src/tm_op_names_data.h must be what tools/gen_op_names.py makes from
    harness/tflite_ops.py (one list of names for C and Python)."""
    import importlib.util

    script = root / "reference_runtime" / "tools" / "gen_op_names.py"
    spec = importlib.util.spec_from_file_location("gen_op_names", script)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    header = (root / "reference_runtime" / "src" / "tm_op_names_data.h").read_text()
    assert module.render() == header


@pytest.mark.parametrize("path", sorted((Path(__file__).parents[1] / "data" / "models"
                                         / "corrupted").glob("*.tflite")), ids=lambda p: p.stem)
def test_corrupted_models_pass_our_own_check(path: Path, root: Path) -> None:
    """They must reach the oracle, or the tests that crash and hang it test nothing."""
    data, info = read_model(path)
    kernels_for(info, supported_kernels(root / "reference_runtime"), path.name)
    check_fits(info, len(data), load_boards().get("host"), path.name)


ANSWER_OK = {"cases": [[{"shape": [1, 2], "dtype": "int8", "hex": "ff01"}]]}


def test_oracle_answer_becomes_values(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_text(json.dumps(ANSWER_OK))
    assert _read_answer(tmp_path / "a.json", 1, 1) == [(TensorValue((1, 2), "int8", (-1, 1)),)]
    with pytest.raises(ValueError, match="not 2 outputs"):
        _read_answer(tmp_path / "a.json", 1, 2)
    with pytest.raises(ValueError):
        _read_answer(tmp_path / "missing.json", 1, 1)


@pytest.mark.parametrize("answer", [
    "not json", "[]", '{"cases": 3}', '{"cases": [[]]}', '{"cases": [[{"shape": [2]}]]}',
    '{"cases": [[{"shape": [1, 2], "dtype": "int8", "hex": "ff"}]]}',
    '{"cases": [[{"shape": [1], "dtype": "string", "hex": "ff"}]]}',
    '{"cases": [[{"shape": [1], "dtype": "int8", "hex": "zz"}]]}',
    '{"cases": [[{"shape": [1], "dtype": "int8", "hex": 5}]]}',
    '{"cases": [[{"shape": [-1], "dtype": "int8", "hex": ""}]]}',
])
def test_malformed_oracle_answers_are_value_errors(tmp_path: Path, answer: str) -> None:
    (tmp_path / "a.json").write_text(answer)
    with pytest.raises(ValueError):
        _read_answer(tmp_path / "a.json", 1, 1)


@pytest.mark.parametrize(("status", "answer", "log", "message", "code"), [
    (None, "", "", "m.tflite: tflite_micro did not finish within 5 s", 1),
    (-11, "", "", "m.tflite: tflite_micro crashed on it (SIGSEGV)", 1),
    (-99, "", "", "m.tflite: tflite_micro crashed on it (signal 99)", 1),
    (1, '{"error": "RuntimeError: no"}', "Dynamic tensors are not supported\n",
     "m.tflite: tflite_micro cannot run it: RuntimeError: no (TFLM: Dynamic tensors", 1),
    (1, "", "", "m.tflite: tflite_micro exited with status 1: no output", 1),
    (EXIT_UNAVAILABLE, "", "cannot import numpy\n",
     "the reference interpreter is not usable: cannot import numpy", 2),
])
def test_oracle_failures_are_one_line_errors(tmp_path: Path, status: int | None, answer: str,
                                             log: str, message: str, code: int) -> None:
    (tmp_path / "log").write_text(log)
    if answer:
        (tmp_path / "answer").write_text(answer)
    error = _failure(status, tmp_path / "answer", tmp_path / "log", "m.tflite", 5.0)
    assert str(error).startswith(message) and "\n" not in str(error)
    assert error.exit_code == code


def test_cli_oracle_crash_is_one_line_and_exit_1(tmp_path: Path, models: Path, root: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TFLM_TEST_PROJECT", str(root))
    monkeypatch.setattr("tflm_test.verify.oracle_version", lambda: "tflite-micro test")
    monkeypatch.setattr("tflm_test.oracle._run_child", lambda argv, log, timeout: -11)
    result = CliRunner().invoke(cli.cli, ["verify", str(models / "hello_world_int8.tflite"),
                                          "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == ("tflm-test: error: hello_world_int8.tflite: tflite_micro crashed "
                             "on it (SIGSEGV)\n")


def test_program_names_are_keyed_by_the_generated_source() -> None:
    a, b = program_name("verify_model", "int a;"), program_name("verify_model", "int b;")
    assert a.startswith("verify_model_") and a != b
    assert program_name("verify_model", "int a;") == a


def test_build_source_runs_the_projects_command_for_the_keyed_program(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []

    def fake_build(argv: list[str], cwd: Path, target: object) -> str:
        calls.append(list(argv))
        elf = tmp_path / "gen" / "host" / f"{argv[-1].split('=')[1]}.elf"
        elf.parent.mkdir(parents=True, exist_ok=True)
        elf.write_bytes(b"")
        return ""

    monkeypatch.setattr("tflm_test.build.run_build", fake_build)
    settings = VerifySettings(runtime=tmp_path / "rt", app_dir="out/verify/{target}/{name}",
                              build=("make", "APP_DIR={app_dir}", "APP_NAME={name}"),
                              elf="gen/{target}/{name}.elf")
    app = AppBuild(tmp_path, settings, "tflm-test.toml")
    host = load_boards().get("host")
    elf = build_source(app, host, "verify_model", "int a;\n")
    name = program_name("verify_model", "int a;\n")
    app_dir = tmp_path / "out" / "verify" / "host" / name  # as [verify] app_dir says
    assert calls == [["make", f"APP_DIR={app_dir}", f"APP_NAME={name}"]]
    assert elf == tmp_path / "gen" / "host" / f"{name}.elf"
    assert (app_dir / "verify_data.c").read_text() == "int a;\n"


def _locked_append(path: Path, order: list[str]) -> None:
    with locked(path):
        order.append("second")


def test_locked_excludes_another_holder(tmp_path: Path) -> None:
    order: list[str] = []
    with locked(tmp_path / "x.lock"):
        other = threading.Thread(target=_locked_append, args=(tmp_path / "x.lock", order))
        other.start()
        time.sleep(0.2)
        order.append("first")
    other.join(5)
    assert order == ["first", "second"]


def test_case_names_become_c_literals_that_keep_every_byte() -> None:
    assert c_string("random_0") == '"random_0"'
    assert c_string('a\nb"c\\d??=e') == r'"a\012b\042c\134d\077\077=e"'
    assert c_string("é1") == r'"\303\2511"'  # octal: the '1' after it stays a character


GOLDEN_FILE = Path(__file__).parents[1] / "data" / "models" / "golden" / "hello_world_int8.json"


def _golden_edit(edit: Callable[[dict], object]) -> dict:
    raw = json.loads(GOLDEN_FILE.read_text())
    edit(raw)
    return raw


def _first(raw: dict, kind: str = "inputs") -> dict:
    return raw["cases"][0][kind][0]


def _every_output(raw: dict, **changes: object) -> None:
    for case in raw["cases"]:
        case["outputs"][0].update(changes)


# (edit of hello_world_int8.json, exit code, what the one line says)
BAD_GOLDEN = {
    "int8 value out of range": (lambda r: _first(r).update(data=[300]), 2,
                                "case random_0: input 0: value 0 (300) is outside int8's "
                                "range -128..127"),
    "float for an int8": (lambda r: _first(r).update(data=[1.5]), 2,
                          "case random_0: input 0: value 0 (1.5) is not an integer (int8)"),
    "bool for an int8": (lambda r: _first(r).update(data=[True]), 2,
                         "input 0: value 0 (True) is not a number"),
    "string values": (lambda r: _first(r, "outputs").update(data=["yes"]), 2,
                      "case random_0: output 0: value 0 ('yes') is not a number"),
    "string output": (lambda r: _first(r, "outputs").update(dtype="string"), 2,
                      "case random_0: output 0: dtype 'string' is not one of int8"),
    "float32 overflow": (lambda r: _first(r).update(dtype="float32", data=[1e39]), 2,
                         "input 0: value 0 (1e+39) is outside float32's range"),
    "no outputs": (lambda r: [c.update(outputs=[]) for c in r["cases"]], 2,
                   "case random_0: no outputs (nothing to compare)"),
    "duplicate names": (lambda r: r["cases"][1].update(name="random_0"), 2,
                        "case name random_0 is used 2 times"),
    "newline in a name": (lambda r: r["cases"][0].update(name="a\nb"), 2,
                          "case 0: name 'a\\nb' has a control or unprintable character"),
    "name with spaces around": (lambda r: r["cases"][0].update(name=" a"), 2,
                                "case 0: name ' a' starts or ends with white space"),
    "name too long": (lambda r: r["cases"][0].update(name="x" * 248), 2,
                      "case 0: name is longer than 247 bytes"),
    "negative size": (lambda r: _first(r).update(shape=[-1]), 2,
                      "input 0: shape [-1] is not a list of sizes"),
    "labels not a list": (lambda r: r.update(labels="yes"), 2, "labels is not a list of strings"),
    "cases not a list": (lambda r: r.update(cases={}), 2, "not a golden vector file"),
    "a case that is a list": (lambda r: r.update(cases=[[]]), 2, "case 0 is not an object"),
    "no cases": (lambda r: r.update(cases=[]), 2, "no cases"),
    "wrong output dtype": (lambda r: _every_output(r, dtype="int16"), 1,
                           "case random_0: output 0 is int16 [1, 1], the model's output 0 "
                           "(StatefulPartitionedCall:0) is int8 [1, 1]"),
    "wrong output shape": (lambda r: _every_output(r, shape=[1]), 1,
                           "case random_0: output 0 is int8 [1], the model's output 0 "
                           "(StatefulPartitionedCall:0) is int8 [1, 1]"),
    "an output too many": (lambda r: [c["outputs"].append(c["outputs"][0]) for c in r["cases"]],
                           1, "case random_0: 2 outputs, the model has 1"),
    "an input too few": (lambda r: [c.update(inputs=[]) for c in r["cases"]], 1,
                         "case random_0: 0 inputs, the model has 1"),
}


@pytest.mark.parametrize("what", sorted(BAD_GOLDEN))
def test_bad_golden_files_are_one_line_before_anything_is_built(
        tmp_path: Path, models: Path, root: Path, monkeypatch: pytest.MonkeyPatch,
        what: str) -> None:
    edit, code, message = BAD_GOLDEN[what]
    golden = tmp_path / "g.json"
    golden.write_text(json.dumps(_golden_edit(edit)))
    monkeypatch.setenv("TFLM_TEST_PROJECT", str(root))
    result = CliRunner().invoke(cli.cli, ["verify", str(models / "hello_world_int8.tflite"),
                                          "--golden", str(golden), "--out", str(tmp_path)])
    assert (result.exit_code, result.output.count("\n")) == (code, 1), result.output
    assert result.output.startswith(f"tflm-test: error: {golden}: ")
    assert message in result.output


def test_a_golden_file_for_another_model_is_rejected(tmp_path: Path, models: Path, data: Path,
                                                     root: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TFLM_TEST_PROJECT", str(root))
    golden = data / "golden" / "network_model.json"
    result = CliRunner().invoke(cli.cli, ["verify", str(models / "hello_world_int8.tflite"),
                                          "--golden", str(golden), "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output == (f"tflm-test: error: {golden}: case random_0: input 0 is int8 "
                             "[1, 8, 8, 16], the model's input 0 (serving_default_dense_input:0)"
                             " is int8 [1, 1]\n")


@pytest.mark.parametrize(("content", "message"), [
    ("", "cannot read golden vectors"), ("[1, 2]", "top level is not an object"),
    ("\xff", "cannot read golden vectors")])
def test_unreadable_golden_files_are_one_line_and_exit_2(tmp_path: Path, models: Path,
                                                         root: Path, content: str, message: str,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TFLM_TEST_PROJECT", str(root))
    golden = tmp_path / "g.json"
    golden.write_bytes(content.encode("latin-1"))
    result = CliRunner().invoke(cli.cli, ["verify", str(models / "hello_world_int8.tflite"),
                                          "--golden", str(golden), "--out", str(tmp_path)])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert message in result.output


@pytest.mark.parametrize(("tensor", "tflite_type", "words"), [
    (9, 5, "output 0 (StatefulPartitionedCall:0) is a string tensor"),
    (9, 8, "output 0 (StatefulPartitionedCall:0) is a complex64 tensor"),
    (0, 5, "input 0 (serving_default_dense_input:0) is a string tensor")])
def test_models_with_non_numeric_inputs_or_outputs_are_rejected_first(
        tmp_path: Path, models: Path, root: Path, monkeypatch: pytest.MonkeyPatch,
        tensor: int, tflite_type: int, words: str) -> None:
    data = bytearray((models / "hello_world_int8.tflite").read_bytes())
    data[{9: 1398, 0: 2538}[tensor]] = tflite_type  # the Tensor.type byte of that tensor
    (tmp_path / "m.tflite").write_bytes(data)
    assert read_model(tmp_path / "m.tflite")[1].tensors[tensor].dtype in words
    monkeypatch.setenv("TFLM_TEST_PROJECT", str(root))
    result = CliRunner().invoke(cli.cli, ["verify", str(tmp_path / "m.tflite"),
                                          "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert result.output.startswith(f"tflm-test: error: m.tflite: {words}; verify handles int8")
    assert result.output.count("\n") == 1


def test_a_model_without_outputs_is_rejected() -> None:
    with pytest.raises(ModelRejected, match="^m.tflite: the model has no outputs to compare"):
        check_io(ModelInfo(100, (), (), (), (), ()), "m.tflite")


def test_an_out_folder_that_cannot_be_made_is_one_line(tmp_path: Path, models: Path,
                                                       root: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TFLM_TEST_PROJECT", str(root))
    (tmp_path / "file").write_text("")
    result = CliRunner().invoke(cli.cli, ["verify", str(models / "hello_world_int8.tflite"),
                                          "--out", str(tmp_path / "file" / "out")])
    assert result.exit_code == 2
    assert result.output == (f"tflm-test: error: --out {tmp_path / 'file' / 'out'}: cannot "
                             "write there (Not a directory)\n")


def test_a_prepare_failure_is_rejected_with_the_kernels_own_line() -> None:
    log = ["Testing random_0",
           "ADD at operator 0: int16 input 1 is not supported (float32, int8 are)",
           "operator 0 (ADD): prepare failed: TM_ERR_UNSUPPORTED",
           "verify.error prepare TM_ERR_UNSUPPORTED",
           "FAIL: prepare failed at apps/verify/verify_main.c:34", "0/1 tests passed"]
    printed = {c.name: c for c in parse_outputs(log)}
    with pytest.raises(ModelRejected, match="^m.tflite: the runtime rejected the model on host: "
                                            "ADD at operator 0: int16 input 1 is not supported "
                                            r"\(float32, int8 are\)$"):
        reject_on_target(printed, "m.tflite", "host")
