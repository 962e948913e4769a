"""The HTML report in a real headless Chromium (Debian's chromium, installed by ci/setup):
it opens, its script runs, the matrix is shown, and nothing goes wrong in the console."""

from __future__ import annotations

from pathlib import Path

import pytest

from tflm_test.baseline import compare, keyed, to_record
from tflm_test.reports.html_report import html_text
from tflm_test.results import BinaryResult, CaseResult, Verdict
from tflm_test.testlog import CaseStatus, Failure

from .chromium import CHROMIUM, chromium
from .conftest import FixtureBuilder, tflm_test

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(ci/setup --docker installs Debian's chromium)")

ATTACK = "<script>alert(1)</script>"
FAILURE = Failure("x == 1", "tests/t.c", 17, "0 vs 1")


def results() -> list[BinaryResult]:
    runs = []
    for target in ("host", "bluepill"):
        for key in ("conv_test", "fail_test", ATTACK):
            failed = key == "fail_test"
            cases = (CaseResult("Ok", CaseStatus.PASS, duration_s=0.002),)
            if failed:
                cases += (CaseResult("Bad", CaseStatus.FAIL, (FAILURE,), FAILURE.describe()),)
            extras = {} if target == "host" else {
                "instructions": 123456, "footprint": {"text": 900, "data": 10, "bss": 300,
                                                      "flash": 910, "ram": 310,
                                                      "flash_limit": 65536, "ram_limit": 20480}}
            runs.append(BinaryResult(
                Path(f"/b/{key}.elf"), target, "qemu netduino2",
                Verdict.FAIL if failed else Verdict.PASS, "1 of 2 cases failed" if failed else "",
                0.25, 0, Path(f"/o/{key}.log"), cases, extras,
                tail=("Testing Bad", ATTACK), key=key))
    return runs


def page(tmp_path: Path, text: str) -> str:
    path = tmp_path / "report.html"
    path.write_text(text)
    return path.as_uri()


# What the page shows, read in the page after its script ran.
MATRIX = """({ready: document.documentElement.dataset.ready,
  heads: [...document.querySelectorAll('.matrix thead th')].map(t => t.textContent),
  rows: [...document.querySelectorAll('.matrix tbody tr')].map(
    r => [...r.children].map(c => c.textContent)),
  shown: document.querySelector('.matrix').getBoundingClientRect().height > 0,
  scripts: document.scripts.length})"""


def test_the_page_opens_shows_the_matrix_with_no_console_error(tmp_path: Path) -> None:
    old, new = ({"target": "bluepill", "key": "conv_test", "instructions": n}
                for n in (120000, 123456))
    gate = {"baseline": to_record(compare(keyed([old]), keyed([new])), "main.json")}
    url = page(tmp_path, html_text(results(), info=gate))
    with chromium(tmp_path / "profile") as browser:
        tab = browser.open(url)
        shown = browser.evaluate(tab, MATRIX)
        seen = browser.seen()
    assert shown["ready"] == "1"  # the script ran to its end
    assert shown["heads"] == ["binary", "host", "bluepill"]
    assert shown["rows"] == [["conv_test", "PASS", "PASS"], ["fail_test", "FAIL", "FAIL"],
                             [ATTACK, "PASS", "PASS"]]  # the log's markup shown as text
    assert shown["shown"] and shown["scripts"] == 1
    assert seen.errors == []
    assert seen.requests == [url]  # nothing but the page itself was loaded


def test_matrix_links_open_the_details_and_the_filter_hides_passes(tmp_path: Path) -> None:
    url = page(tmp_path, html_text(results()))
    with chromium(tmp_path / "profile") as browser:
        tab = browser.open(url)
        closed = browser.evaluate(tab, "document.querySelector('.matrix a.v-PASS').hash")
        assert browser.evaluate(tab, f"document.getElementById('{closed[1:]}').open") is False
        browser.evaluate(tab, "document.querySelector('.matrix a.v-PASS').click()")
        assert browser.evaluate(tab, f"document.getElementById('{closed[1:]}').open") is True
        browser.evaluate(tab, "document.getElementById('only-failing').click()")
        visible = browser.evaluate(tab, "[...document.querySelectorAll('.matrix tbody tr')]"
                                        ".filter(r => r.offsetHeight > 0)"
                                        ".map(r => r.firstChild.textContent)")
        assert browser.seen().errors == []
    assert visible == ["fail_test"]


@pytest.mark.parametrize("broken", ["undefinedFunction();", "console.error('boom');"])
def test_the_check_catches_a_page_with_a_script_error(tmp_path: Path, broken: str) -> None:
    text = html_text(results()).replace('"use strict";', f'"use strict";{broken}', 1)
    with chromium(tmp_path / "profile") as browser:
        browser.open(page(tmp_path, text))
        errors = browser.seen().errors
    assert len(errors) == 1 and ("undefinedFunction" in errors[0] or "boom" in errors[0])


def test_a_real_run_writes_the_page_and_report_renders_it_again(
        fixture_elfs: FixtureBuilder, tmp_path: Path) -> None:
    elfs = fixture_elfs("host")
    res = tflm_test("run", str(elfs["pass"]), str(elfs["fail"]), "--target", "host",
                    "--json", "r.json", "--html", "r.html", "--out", "out", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    again = tflm_test("report", "r.json", "--html", "again.html", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    for name in ("r.html", "again.html"):
        with chromium(tmp_path / f"profile-{name}") as browser:
            tab = browser.open((tmp_path / name).as_uri())
            shown = browser.evaluate(tab, MATRIX)
            failures = browser.evaluate(tab, "document.querySelector('#failures').innerText")
            assert browser.seen().errors == []
        assert shown["rows"] == [["pass", "PASS"], ["fail", "FAIL"]]  # in job order
        assert "fail.c:" in failures  # the failing expectation's file:line
