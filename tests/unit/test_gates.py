"""history, baseline, shard, flaky: the pure logic behind the CI options."""

from __future__ import annotations

import json
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from tflm_test.baseline import (BadLimits, Limit, Metric, compare, from_record, keyed,
                                merge_comparisons, parse_limits, table_lines, to_record)
from tflm_test.flaky import Entry, Quarantine, run_with_retries, suggest
from tflm_test.history import BadReport, parse_report, read_report
from tflm_test.reports.json_report import json_text, report_document, result_record
from tflm_test.results import BinaryResult, CaseResult, Verdict
from tflm_test.shard import BadShard, ShardSpec, merge, plan, split
from tflm_test.testlog import CaseStatus

from .test_reports import results


def test_a_report_reads_back_as_the_results_it_was_written_from(tmp_path: Path) -> None:
    written = [replace(r, tail=(), key=r.name) for r in results()]
    (tmp_path / "r.json").write_text(json_text(written))
    assert read_report(tmp_path / "r.json").results == written


@pytest.mark.parametrize("text, words", [
    ("{", "not valid JSON"), ("[]", "not a tflm-test JSON report"),
    ('{"schema": "tflm-test/results", "version": 3}', "schema version 3"),
    ('{"schema": "tflm-test/results", "results": [{"binary": "x"}]}', r"results\[0\]: missing or malformed .target")])
def test_a_bad_report_is_one_line(tmp_path: Path, text: str, words: str) -> None:
    (tmp_path / "r.json").write_text(text)
    with pytest.raises(BadReport, match=words) as err:
        read_report(tmp_path / "r.json", "--baseline")
    assert str(err.value).startswith("--baseline ") and "\n" not in str(err.value)


def test_limits_parse_over_the_defaults() -> None:
    limits = parse_limits("instructions=0,duration=10%")
    assert limits[Metric.INSTRUCTIONS] == Limit(amount=0)
    assert limits[Metric.DURATION] == Limit(percent=10)
    assert limits[Metric.FLASH] == Limit(percent=1)  # not named: the default
    assert parse_limits("ram=off")[Metric.RAM].off
    for bad in ("speed=1%", "flash=1x", "flash="):
        with pytest.raises(BadLimits):
            parse_limits(bad)


def record(key: str, instructions: int | None = None, flash: int | None = None,
           cases: tuple[tuple[str, int], ...] = ()) -> dict:
    rec = {"target": "t", "key": key, "duration_s": 1.0, "extras": {},
           "cases": [{"name": n, "instructions": i} for n, i in cases]}
    if instructions is not None:
        rec["extras"]["instructions"] = instructions
    if flash is not None:
        rec["footprint"] = {"flash": flash, "ram": 100}
    return rec


def test_compare_gates_growth_lists_shrinkage_and_missing() -> None:
    old = keyed([record("a", 1000, 5000, (("A1", 400), ("A2", 10))), record("b", 1000),
                 record("gone")])
    new = keyed([record("a", 1021, 5000, (("A1", 300),)), record("b", 1020), record("fresh")])
    c = compare(old, new)
    assert [(r.key, r.case, r.metric) for r in c.exceeded] == [("a", None, Metric.INSTRUCTIONS)]
    assert [(r.key, r.case) for r in c.shrank] == [("a", "A1")]
    assert (c.missing, c.missing_cases, c.new) == ((("t", "gone"),), (("t", "a", "A2"),),
                                                   (("t", "fresh"),))
    assert c.unchanged == 4  # flash, ram and both durations: counted, not listed
    lines = table_lines(c, "main.json")
    assert lines[0] == ("baseline main.json: 2 binaries compared; 2 figures grew, 1 shrank, "
                        "4 unchanged")
    assert "gate: t a: instructions 1,000 -> 1,021 (+21 (+2.10%)), over the 2% limit" in lines
    assert "missing case: t a / A2 (in the baseline, not in this run)" in lines
    assert not compare(old, new, parse_limits("instructions=3%")).exceeded
    assert compare(keyed([record("a", flash=100)]), keyed([record("a", flash=101)]),
                   parse_limits("flash=0")).exceeded


def test_the_comparison_reads_back_from_its_report_section() -> None:
    old = keyed([record("a", 1000, 5000, (("A1", 400), ("A2", 10))), record("gone")])
    new = keyed([record("a", 1021, 4000, (("A1", 300),)), record("fresh")])
    c = compare(old, new, parse_limits("flash=off,ram=5"))
    section = json.loads(json.dumps(to_record(c, "main.json")))
    assert from_record(section) == c
    assert section["changes"][0] == {"target": "t", "key": "a", "case": None,
                                     "metric": "instructions", "old": 1000.0, "new": 1021.0,
                                     "limit": "2%", "over_limit": True}
    assert section["limits"] == {"instructions": "2%", "flash": "off", "ram": "5",
                                 "duration": "off"}
    both = merge_comparisons([c, compare(keyed([record("b", 10)]), keyed([record("b", 20)]))])
    assert (both.compared, len(both.exceeded), both.missing) == (2, 2, (("t", "gone"),))


@pytest.mark.parametrize("bad", [[], {"compared": "1", "unchanged": 0},
                                 {"compared": 1, "unchanged": 0, "changes": [{"key": "a"}]},
                                 {"compared": 1, "unchanged": 0, "changes": [
                                     {"target": "t", "key": "a", "metric": "speed", "old": 1,
                                      "new": 2}]},
                                 {"compared": 1, "unchanged": 0, "limits": {"ram": "lots"}}])
def test_a_broken_baseline_section_is_a_bad_report(bad: object) -> None:
    with pytest.raises(BadReport, match="^baseline"):
        from_record(bad)


def test_split_by_duration_is_longest_first_onto_the_least_loaded() -> None:
    keys = [("t", k) for k in "abcdef"]
    weights = dict(zip(keys, (8.0, 1.0, 1.0, 4.0, 4.0, 2.0)))
    shards = split(keys, 2, weights)
    assert [sum(weights[k] for k in s) for s in shards] == [10.0, 10.0]
    assert split(keys, 2, weights) == shards  # deterministic
    assert split(keys, 4) == [[keys[0], keys[4]], [keys[1], keys[5]], [keys[2]], [keys[3]]]
    with pytest.raises(BadShard):
        ShardSpec.parse("0/3")


def shard_report(tmp_path: Path, k: int, count: int, keys: list[str]) -> object:
    planned = [("t", key) for key in keys]
    mine = plan(ShardSpec(k, count), planned, None)
    doc = report_document([BinaryResult(Path(f"/b/{key}.elf"), "t", "r", Verdict.PASS, "", 0.1,
                                        0, None, key=key)
                           for _, key in planned if ("t", key) in mine.mine])
    doc["shard"] = mine.info()
    return parse_report(json.loads(json.dumps(doc)), tmp_path / f"s{k}.json")


def test_merge_needs_every_planned_binary_exactly_once(tmp_path: Path) -> None:
    keys = ["a", "b", "c"]
    one, two = shard_report(tmp_path, 1, 2, keys), shard_report(tmp_path, 2, 2, keys)
    assert [r.name for r in merge([two, one]).results] == keys  # planned order
    with pytest.raises(BadShard, match="in no shard report: t b"):
        merge([one])
    other = shard_report(tmp_path, 2, 2, ["a", "b", "c", "d"])
    with pytest.raises(BadShard, match="another split"):
        merge([one, other])


def attempt_results(*verdicts: Verdict) -> BinaryResult:
    runs = iter(verdicts)
    failed = (CaseResult("C", CaseStatus.FAIL),)
    return run_with_retries(
        lambda n: BinaryResult(Path("/b/x.elf"), "t", "r", (v := next(runs)), "why", 1.0, 0,
                               None, () if v is Verdict.PASS else failed, sha256="ab"),
        retries=len(verdicts) - 1, cancel=threading.Event())


def test_fail_then_pass_is_flaky_and_every_attempt_is_kept() -> None:
    flaky = attempt_results(Verdict.FAIL, Verdict.PASS)
    assert flaky.verdict is Verdict.FLAKY and flaky.duration_s == 2.0
    assert [a.verdict for a in flaky.attempts] == [Verdict.FAIL, Verdict.PASS]
    assert attempt_results(Verdict.PASS).attempts == ()
    assert attempt_results(Verdict.CRASH, Verdict.CRASH).verdict is Verdict.CRASH


def test_quarantine_by_binary_target_and_case() -> None:
    flaky = attempt_results(Verdict.FAIL, Verdict.PASS)
    assert Quarantine(Path("q"), (Entry("x", case="C"),)).mark(flaky).quarantined
    assert not Quarantine(Path("q"), (Entry("x", case="D"),)).mark(flaky).quarantined
    assert not Quarantine(Path("q"), (Entry("x", target="u"),)).mark(flaky).quarantined
    assert Quarantine(Path("q"), (Entry("x.elf"),)).mark(flaky).quarantined


def test_suggest_needs_a_pass_and_a_failure_on_the_same_bytes(tmp_path: Path) -> None:
    passed = BinaryResult(Path("/b/x.elf"), "t", "r", Verdict.PASS, "", 1, 0, None, sha256="ab")
    failed = replace(passed, verdict=Verdict.FAIL, cases=(CaseResult("C", CaseStatus.FAIL),))
    rebuilt = replace(failed, sha256="cd")

    def report(*rs: BinaryResult) -> object:
        return parse_report(report_document(list(rs)), tmp_path / "r.json")

    assert [(s.key, s.cases) for s in suggest([report(passed), report(failed)])] == [
        ("x", ("C",))]
    assert suggest([report(passed), report(rebuilt)]) == []  # other bytes: not flaky
    assert suggest([report(attempt_results(Verdict.FAIL, Verdict.PASS))])  # FLAKY alone


def test_result_records_carry_the_new_keys() -> None:
    rec = result_record(attempt_results(Verdict.FAIL, Verdict.PASS))
    assert (rec["sha256"], rec["cached"], rec["quarantined"]) == ("ab", False, False)
    assert rec["attempts"][0] == {"verdict": "FAIL", "reason": "why", "failed_cases": ["C"]}
