"""The follow loop's pure parts: splitting output into lines, linearly and with a cap."""

from __future__ import annotations

from pathlib import Path

from tflm_test.runners.follow import LineSplitter, decode_line, read_lines


def test_lines_split_across_chunks_and_crlf() -> None:
    splitter = LineSplitter()
    assert splitter.feed(b"Test") == []
    assert splitter.feed(b"ing A\r\n1/1 tests") == [b"Testing A\r"]
    assert splitter.feed(b" passed\n\n") == [b"1/1 tests passed", b""]
    assert splitter.flush() is None
    assert decode_line(b"Testing A\r") == "Testing A"


def test_a_line_without_end_holds_no_more_than_the_cap() -> None:
    splitter = LineSplitter(cap=100)
    for _ in range(1000):
        assert splitter.feed(b"y" * 4096) == []
        assert len(splitter._line) <= 100  # memory stays bounded however long the line
    assert splitter.feed(b"tail\nnext") == [b"y" * 100]
    assert splitter.flush() == b"next"


def test_read_lines_gives_what_the_loop_gave(tmp_path: Path) -> None:
    log = tmp_path / "x.log"
    log.write_bytes(b"a\r\n" + b"z" * 50 + b"\n\xff\xfeend")
    assert read_lines(log, cap=10) == ["a", "z" * 10, "\ufffd\ufffdend"]
    assert read_lines(tmp_path / "missing.log") == []
