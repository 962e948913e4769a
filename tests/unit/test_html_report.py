"""HTML report: escaping, self-containment, sections shown only with their data, the
mechanism that keeps the page true during a run, and rendering JSON reports."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from tflm_test import cli
from tflm_test.errors import TflmTestError
from tflm_test.reports import RunStatus
from tflm_test.reports.files import ReportFiles
from tflm_test.baseline import compare, keyed, to_record
from tflm_test.reports.html_report import html_from_documents, html_from_files, html_text
from tflm_test.reports.json_report import json_text, report_document
from tflm_test.results import BinaryResult, CaseResult, Verdict
from tflm_test.testlog import CaseStatus, Failure

ATTACK = "<script>alert(1)</script>"
FAILURE = Failure("x == 1", "tests/t.c", 17, "0 vs 1")


def against(target: str, key: str, old: dict, new: dict) -> dict:
    """The "baseline" section the gate writes when one binary's figures went old -> new."""
    records = [{"target": target, "key": key, **figures} for figures in (old, new)]
    return {"baseline": to_record(compare(keyed(records[:1]), keyed(records[1:])), "main.json")}


def result(key: str, target: str, verdict: Verdict = Verdict.PASS,
           **extra: object) -> BinaryResult:
    cases = (CaseResult("Ok", CaseStatus.PASS, duration_s=0.002),)
    if verdict is not Verdict.PASS:
        cases += (CaseResult(f"Bad{ATTACK}", CaseStatus.FAIL, (FAILURE,), FAILURE.describe()),)
    return BinaryResult(Path(f"/b/{key}.elf"), target, "qemu mps2-an385", verdict,
                        "" if verdict is Verdict.PASS else "1 of 2 cases failed", 0.5, 0,
                        Path(f"/o/{target}/{key}/output.log"), cases, dict(extra),
                        tail=("Testing Bad", ATTACK, "bell\x07"), key=key)


class Page(HTMLParser):
    """The parts of a page the tests look at: ids, links, section ids, script bodies."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.scripts = 0
        self.cells: list[tuple[str, str]] = []  # (href, text) of matrix cells
        self._cell: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.append(str(a["id"]))
        for name in ("href", "src", "action"):
            if a.get(name) is not None:
                self.links.append(str(a[name]))
        self.scripts += tag == "script"
        if tag == "a" and "cell" in (a.get("class") or ""):
            self._cell = str(a["href"])

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self.cells.append((self._cell, data))
            self._cell = None


def test_log_text_and_names_are_shown_as_text_never_as_markup() -> None:
    text = html_text([result(ATTACK, "host", Verdict.FAIL)])
    page = Page(text)
    assert page.scripts == 1  # ours; the log's line did not become a tag
    assert text.count("&lt;script&gt;alert(1)&lt;/script&gt;") >= 3  # tail, key, case name
    assert "\x07" not in text
    assert "tests/t.c:17" in text


def test_the_page_needs_no_network() -> None:
    text = html_text([result("a", "host", Verdict.FAIL, instructions=5,
                             footprint={"flash": 10, "flash_limit": 100})],
                     info=against("host", "a", {"footprint": {"flash": 9}},
                                  {"footprint": {"flash": 10}}))
    assert re.search(r"https?:|//[a-z]", text, re.I) is None
    assert all(link.startswith("#") for link in Page(text).links)
    assert "default-src 'none'" in text  # and the browser is told to load nothing


def test_the_matrix_has_one_cell_per_binary_and_target_linking_to_its_details() -> None:
    runs = [result("a", "host"), result("a", "bluepill", Verdict.CRASH), result("b", "host")]
    page = Page(html_text(runs))
    assert [text for _, text in page.cells] == ["PASS", "CRASH", "PASS"]
    assert all(href[1:] in page.ids for href, _ in page.cells)
    assert 'class="none"' in html_text(runs)  # b never ran on bluepill


def test_sections_of_absent_data_are_hidden() -> None:
    plain = Page(html_text([result("a", "host")])).ids
    assert "matrix" in plain and "durations" in plain
    assert not {"failures", "instructions", "footprint", "baseline"} & set(plain)
    full = html_text([result("a", "bluepill", Verdict.FAIL, instructions=1234,
                             footprint={"text": 1, "data": 2, "bss": 3, "flash": 3000,
                                        "ram": 30000, "flash_limit": 65536,
                                        "ram_limit": 20480})],
                     info=against("bluepill", "a", {"instructions": 1000},
                                  {"instructions": 1234}))
    assert {"failures", "instructions", "footprint", "baseline"} <= set(Page(full).ids)
    assert "1,234" in full and "+234 (+23.40%) (over the 2% limit)" in full
    assert 'class="fill over"' in full  # 30000 B of RAM on a 20480 B board


def test_the_header_says_whether_the_baseline_gate_passed() -> None:
    """Every binary can pass while the gate fails the run: the header says which."""
    runs = [result("a", "bluepill", instructions=1234)]
    over = html_text(runs, info=against("bluepill", "a", {"instructions": 1000},
                                        {"instructions": 1234}))
    assert re.search(r'id="gate"><a href="#baseline">baseline gate failed: 1 figure over the '
                     r'limit<', over)
    within = html_text(runs, info=against("bluepill", "a", {"instructions": 1230},
                                          {"instructions": 1234}))
    assert 'id="gate">baseline gate passed<' in within
    assert "gate" not in Page(html_text(runs)).ids


def test_new_verdicts_and_the_cached_flag_are_shown() -> None:
    doc = report_document([result("a", "bluepill")])
    doc["results"][0].update(verdict="TOO_BIG", cached=True)
    text = html_from_documents([doc])
    assert 'class="cell v-TOO_BIG"' in text and "cached" in text


@pytest.mark.parametrize("status", list(RunStatus))
def test_the_run_status_is_shown_and_a_running_page_reloads(status: RunStatus) -> None:
    text = html_text([result("a", "host")], status)
    assert f'id="run-status">{status}<' in text
    assert ('http-equiv="refresh"' in text) is (status is RunStatus.RUNNING)


def test_report_files_keep_the_page_true_during_the_run(tmp_path: Path) -> None:
    page = tmp_path / "r.html"
    page.write_text("an old page that passed")
    reports = ReportFiles(html=page)
    reports.start()
    assert 'id="run-status">running<' in page.read_text()
    reports.add(result("a", "host", Verdict.FAIL))
    assert 'id="failures"' in page.read_text()
    reports.finish([result("a", "host", Verdict.FAIL)], RunStatus.INTERRUPTED)
    assert 'id="run-status">interrupted<' in page.read_text()


def test_shard_reports_render_as_one_page(tmp_path: Path) -> None:
    one, two = tmp_path / "1.json", tmp_path / "2.json"
    one.write_text(json_text([result("a", "host")]))
    two.write_text(json_text([result("b", "host", Verdict.FAIL)], RunStatus.RUNNING))
    text = html_from_files([one, two])
    assert [t for _, t in Page(text).cells] == ["PASS", "FAIL"]
    assert 'id="run-status">running<' in text  # one shard still runs: the whole is not done
    assert str(two) in text


def test_reports_that_are_not_reports_are_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{}")
    with pytest.raises(TflmTestError, match="bad.json: not a tflm-test JSON report"):
        html_from_files([bad])
    doc = json.loads(json_text([result("a", "host")]))
    doc["results"][0]["duration_s"] = "slow"
    bad.write_text(json.dumps(doc))
    with pytest.raises(TflmTestError, match=r"bad.json: results\[0\]: .*'slow'"):
        html_from_files([bad])
    doc["results"][0].update(duration_s=1, footprint=[1, 2])
    bad.write_text(json.dumps(doc))
    with pytest.raises(TflmTestError, match=r"bad.json: results\[0\]"):
        html_from_files([bad])


def test_report_command_writes_the_page_or_says_why_not(tmp_path: Path) -> None:
    src = tmp_path / "r.json"
    src.write_text(json_text([result("a", "host")]))
    ok = CliRunner().invoke(cli.cli, ["report", str(src), "--html", str(tmp_path / "r.html")])
    assert ok.exit_code == 0, ok.output
    assert "<table" in (tmp_path / "r.html").read_text()
    (tmp_path / "file").write_text("")
    bad = CliRunner().invoke(cli.cli, ["report", str(src), "--html",
                                       str(tmp_path / "file" / "r.html")])
    assert bad.exit_code == 2 and bad.output.count("\n") == 1
    assert "--html" in bad.output and "cannot write" in bad.output
