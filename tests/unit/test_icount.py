"""The icount plugin's Python side: marker stripping and per-line counts, its report, its
-plugin argument, and building it (without starting a compiler)."""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path

import pytest

from tflm_test.runners.base import RunOutcome
from tflm_test.runners.follow import Source, read_lines
from tflm_test.runners.icount import (CountedRun, MarkerSource, PluginUnavailable,
                                      build_plugin, read_report)

TOKEN = "0123456789abcdef"


def marker(count: int, token: str = TOKEN) -> bytes:
    return b"\x1eicount:" + token.encode() + b":" + str(count).encode() + b"\x1f"


class Chunks(Source):
    """Output that arrives in the given pieces, then ends."""

    def __init__(self, chunks: list[bytes]) -> None:
        self.chunks = list(chunks)

    def read(self, wait_s: float) -> bytes | None:
        return self.chunks.pop(0) if self.chunks else None


def drain(source: MarkerSource) -> bytes:
    out = b""
    while (data := source.read(0)) is not None:
        out += data
    return out


STREAM = (marker(10) + b"Testing A\n" + marker(500) + b"heard yes\n" + marker(900)
          + b"Testing B\n" + marker(1200) + b"part " + marker(1300) + b"of a line\n"
          + marker(2000) + b"~~~ALL TESTS PASSED~~~\n" + marker(2010))
CLEAN = (b"Testing A\nheard yes\nTesting B\npart of a line\n~~~ALL TESTS PASSED~~~\n")
COUNTS = (10, 500, 900, 1200, 2000)


def test_markers_are_stripped_and_each_line_gets_the_count_of_its_first_byte() -> None:
    source = MarkerSource(Chunks([STREAM]), TOKEN)
    assert drain(source) == CLEAN
    assert source.line_counts == COUNTS
    assert source.last_count == 2010


@pytest.mark.parametrize("cut", range(1, len(STREAM)))
def test_a_marker_cut_by_a_read_anywhere_changes_nothing(cut: int) -> None:
    source = MarkerSource(Chunks([STREAM[:cut], b"", STREAM[cut:]]), TOKEN)
    assert drain(source) == CLEAN
    assert source.line_counts == COUNTS


def test_one_count_per_line_as_the_follow_loop_splits_them(tmp_path: Path) -> None:
    text = marker(1) + b"a\n\n" + marker(2) + b"b\nc\n" + marker(3) + b"unterminated"
    source = MarkerSource(Chunks([text]), TOKEN)
    log = tmp_path / "out.log"
    log.write_bytes(drain(source))
    assert read_lines(log) == ["a", "", "b", "c", "unterminated"]
    assert source.line_counts == (1, 1, 2, 2, 3)


def test_output_that_only_looks_like_a_marker_is_kept() -> None:
    other = marker(5, token="ffffffffffffffff")  # another run's token
    fake = b"\x1eicount:" + TOKEN.encode() + b":12ab\x1f"  # not a number
    tail = b"\x1eicount:" + TOKEN.encode()[:4]  # a prefix, then the output ends
    source = MarkerSource(Chunks([other + b"x\n" + fake + b"\n", tail]), TOKEN)
    assert drain(source) == other + b"x\n" + fake + b"\n" + tail
    assert source.line_counts == (None, None, None)
    assert source.last_count is None


def test_a_long_unterminated_marker_is_output_not_held_forever() -> None:
    start = b"\x1eicount:" + TOKEN.encode() + b":" + b"1" * 40
    source = MarkerSource(Chunks([start]), TOKEN)
    assert source.read(0) == start


def test_report_lists_marks_in_order_and_the_total(tmp_path: Path) -> None:
    path = tmp_path / "icount.txt"
    path.write_text("mark 0x264 4571\nmark 0xa4c 63537\nmark 0xa4c 8997900\n"
                    "instructions 35747002\n")
    report = read_report(path)
    assert report.instructions == 35747002
    assert report.marks == ((0x264, 4571), (0xA4C, 63537), (0xA4C, 8997900))


def test_a_cut_or_missing_report_gives_what_it_holds(tmp_path: Path) -> None:
    path = tmp_path / "icount.txt"
    path.write_text("mark 0x264 4571\nmark 0xa4c 63")
    assert read_report(path).instructions is None
    assert read_report(path).marks == ((0x264, 4571), (0xA4C, 63))
    assert read_report(tmp_path / "none.txt").instructions is None


def test_plugin_argument_escapes_commas_and_lists_marks_in_hex() -> None:
    run = CountedRun("/c/a,b/icount.so", (0x264, 0x8000A4C))
    assert run.argument() == (f"/c/a,,b/icount.so,out=icount.txt,token={run.token},"
                              "marks=264:8000a4c")
    assert CountedRun("/x.so").token != run.token
    assert "marks=" not in CountedRun("/x.so").argument()


def _outcome(stopped: bool) -> RunOutcome:
    return RunOutcome(exit_code=None if stopped else 0, timed_out=False, stopped=stopped,
                      duration_s=0.1, extras={"hang": None})


@pytest.mark.parametrize("stopped, expected", [(False, 999), (True, 900)])
def test_a_stopped_program_counts_to_its_last_semihosting_call(
        tmp_path: Path, stopped: bool, expected: int) -> None:
    (tmp_path / "icount.txt").write_text("mark 0x10 3\ninstructions 999\n")
    run = CountedRun("/x.so", (0x10,))
    output = marker(5, run.token) + b"Testing A\n" + marker(900, run.token) + b"end\n"
    source = run.wrap(Chunks([output]))
    while source.read(0) is not None:
        pass
    outcome = run.finish(_outcome(stopped), tmp_path)
    assert outcome.extras["executed_instructions"] == expected
    assert outcome.extras["marks"] == ((0x10, 3),)
    assert outcome.line_instructions == (5, 900)
    assert "hang" in outcome.extras


def test_no_compiler_is_one_reason(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CC", "no-such-cc-here")
    with pytest.raises(PluginUnavailable, match=r"no C compiler \(no-such-cc-here\)"):
        build_plugin(tmp_path)


def test_a_built_plugin_is_found_in_the_cache_by_its_source_hash(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = resources.files("tflm_test.runners").joinpath("icount.c").read_bytes()
    built = tmp_path / f"icount-{hashlib.sha256(source).hexdigest()[:16]}.so"
    built.write_bytes(b"built before")
    monkeypatch.setenv("CC", "no-such-cc-here")  # would fail if it tried to build
    assert build_plugin(tmp_path) == built
    monkeypatch.setenv("TFLM_TEST_CACHE", str(tmp_path))
    assert build_plugin() == built
