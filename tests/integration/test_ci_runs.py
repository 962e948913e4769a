"""CI-grade runs through the CLI on real binaries: the baseline gate, the result cache,
--retries with a real flaky fixture, the quarantine, shards and their merge."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .conftest import FixtureBuilder, tflm_test

pytestmark = pytest.mark.skipif(shutil.which("qemu-system-arm") is None,
                                reason="qemu-system-arm is not installed")


def records(report: Path) -> dict[str, dict]:
    return {r["key"]: r for r in json.loads(report.read_text())["results"]}


def spin_binary(root: Path, folder: Path, iterations: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    out = folder / "spin.elf"
    subprocess.run(["cc", "-O1", f"-DSPIN={iterations}L", "-o", str(out),
                    str(root / "tests" / "data" / "spin" / "spin.c")], check=True)
    return out


def test_the_gate_catches_a_binary_that_really_does_more(root: Path, tmp_path: Path) -> None:
    before = spin_binary(root, tmp_path / "v1", 1000)
    proc = tflm_test("run", str(before), "--target", "host", "--json", str(tmp_path / "a.json"),
                     "--out", str(tmp_path / "o1"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    after = spin_binary(root, tmp_path / "v2", 400_000_000)  # about a second of work more
    proc = tflm_test("run", str(after), "--target", "host", "--json", str(tmp_path / "b.json"),
                     "--out", str(tmp_path / "o2"), "--baseline", str(tmp_path / "a.json"),
                     "--max-increase", "duration=100%")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "1 passed, 0 failed" in proc.stdout  # the test passes; the gate fails the run
    assert "gate: host spin: duration" in proc.stdout and "over the 100% limit" in proc.stdout
    # The same table without running; in reverse it shrank, and nothing fails.
    compare = tflm_test("compare", str(tmp_path / "a.json"), str(tmp_path / "b.json"),
                        "--max-increase", "duration=100%")
    assert compare.returncode == 1 and "gate: host spin: duration" in compare.stdout
    back = tflm_test("compare", str(tmp_path / "b.json"), str(tmp_path / "a.json"))
    assert back.returncode == 0 and "shrank host" in back.stdout, back.stdout


def test_the_gate_goes_into_the_json_and_html_reports(root: Path, tmp_path: Path) -> None:
    elf = spin_binary(root, tmp_path / "v", 1000)
    gone = shutil.copy(elf, tmp_path / "v" / "gone.elf")
    base = tmp_path / "base.json"
    tflm_test("run", str(elf), gone, "--target", "host", "--out", str(tmp_path / "o0"),
              "--json", str(base), "--no-cache")
    doc = json.loads(base.read_text())
    doc["results"][0]["duration_s"] = 0.00001  # spin was faster then
    base.write_text(json.dumps(doc))
    proc = tflm_test("run", str(elf), "--target", "host", "--out", str(tmp_path / "o"),
                     "--baseline", str(tmp_path / "base.json"), "--max-increase", "duration=0",
                     "--json", str(tmp_path / "r.json"), "--html", str(tmp_path / "r.html"),
                     "--no-cache")
    assert proc.returncode == 1, proc.stdout + proc.stderr
    section = json.loads((tmp_path / "r.json").read_text())["baseline"]
    assert section["source"] == str(tmp_path / "base.json") and section["compared"] == 1
    assert [(c["key"], c["metric"], c["over_limit"]) for c in section["changes"]] == [
        ("spin", "duration", True)]
    assert section["missing"] == [{"target": "host", "key": "gone"}]
    page = (tmp_path / "r.html").read_text()
    assert 'id="baseline"' in page and "over the 0 limit" in page and "gone" in page
    # The merge of that (one-shard) report keeps the gate, and fails on it again.
    merged = tflm_test("merge", str(tmp_path / "r.json"), "--json", str(tmp_path / "m.json"))
    assert merged.returncode == 1 and "gate: host spin: duration" in merged.stdout
    assert json.loads((tmp_path / "m.json").read_text())["baseline"]["changes"] == \
        section["changes"]


def test_a_baseline_that_is_not_a_report_stops_before_running(root: Path,
                                                              tmp_path: Path) -> None:
    elf = spin_binary(root, tmp_path / "v", 1000)
    (tmp_path / "b.json").write_text("[]")
    (tmp_path / "r.json").write_text("an earlier report")
    proc = tflm_test("run", str(elf), "--target", "host", "--out", str(tmp_path / "o"),
                     "--baseline", str(tmp_path / "b.json"), "--json", str(tmp_path / "r.json"))
    assert proc.returncode == 2 and len(proc.stderr.splitlines()) == 1, proc.stderr
    assert "not a tflm-test JSON report" in proc.stderr
    assert not (tmp_path / "o").exists()  # nothing ran
    assert (tmp_path / "r.json").read_text() == "an earlier report"


def test_compare_names_what_is_missing_and_refuses_a_non_report(tmp_path: Path,
                                                                fixture_elfs: FixtureBuilder
                                                                ) -> None:
    elfs = fixture_elfs("qemu_cortexm3")
    both, one = tmp_path / "both.json", tmp_path / "one.json"
    for report, names in ((both, ["pass", "fail"]), (one, ["pass"])):
        tflm_test("run", *(str(elfs[n]) for n in names), "--target", "qemu_cortexm3",
                  "--json", str(report), "--out", str(tmp_path / "out"), "--no-cache")
    proc = tflm_test("compare", str(both), str(one))
    assert "missing: qemu_cortexm3 fail (in the baseline, not in this run)" in proc.stdout
    (tmp_path / "bad.json").write_text('{"schema": "tflm-test/results", "version": 9}')
    bad = tflm_test("compare", str(tmp_path / "bad.json"), str(one))
    assert bad.returncode == 2 and len(bad.stderr.splitlines()) == 1, bad.stderr
    assert "schema version 9" in bad.stderr


def test_a_second_run_is_served_from_the_cache(fixture_elfs: FixtureBuilder, tmp_path: Path,
                                               own_result_cache: Path) -> None:
    elfs = fixture_elfs("qemu_cortexm3")
    args = ["run", str(elfs["pass"]), str(elfs["fail"]), "--target", "qemu_cortexm3"]
    first = tflm_test(*args, "--json", str(tmp_path / "1.json"), "--out", str(tmp_path / "o1"))
    second = tflm_test(*args, "--json", str(tmp_path / "2.json"), "--out", str(tmp_path / "o2"))
    assert (first.returncode, second.returncode) == (1, 1)
    got = records(tmp_path / "2.json")
    assert got["pass"]["cached"] is True and got["pass"]["verdict"] == "PASS"
    assert got["fail"]["cached"] is False  # a failure seen once is run again
    assert "(cached)" in second.stdout
    log = Path(got["pass"]["log"])  # the log is copied into this run's folder
    assert log.is_relative_to(tmp_path / "o2") and "ALL TESTS PASSED" in log.read_text()
    assert got["pass"]["sha256"] == records(tmp_path / "1.json")["pass"]["sha256"]
    # A corrupt entry is a note, and the binary runs again.
    for entry in own_result_cache.rglob("*.json"):
        entry.write_text("{not json")
    third = tflm_test(*args, "--json", str(tmp_path / "3.json"), "--out", str(tmp_path / "o3"))
    assert third.returncode == 1 and "cache entry" in third.stderr and "ignored" in third.stderr
    assert records(tmp_path / "3.json")["pass"]["cached"] is False
    nocache = tflm_test(*args, "--no-cache", "--json", str(tmp_path / "4.json"),
                        "--out", str(tmp_path / "o4"))
    assert nocache.returncode == 1 and not records(tmp_path / "4.json")["pass"]["cached"]


def test_a_real_flaky_binary_then_its_quarantine(fixture_elfs: FixtureBuilder,
                                                 tmp_path: Path) -> None:
    elf = str(fixture_elfs("qemu_cortexm3")["flaky_once"])
    plain = tflm_test("run", elf, "--target", "qemu_cortexm3", "--out", str(tmp_path / "o0"))
    assert plain.returncode == 1 and "FAIL " in plain.stdout  # no retries: just a failure
    report = tmp_path / "flaky.json"
    proc = tflm_test("run", elf, "--target", "qemu_cortexm3", "--retries", "2",
                     "--json", str(report), "--out", str(tmp_path / "o1"))
    assert proc.returncode == 1, proc.stdout  # FLAKY fails the run
    got = records(report)["flaky_once"]
    assert got["verdict"] == "FLAKY"
    assert [a["verdict"] for a in got["attempts"]] == ["FAIL", "PASS"]
    assert (tmp_path / "o1" / "qemu_cortexm3" / "flaky_once" / "output.attempt1.log").is_file()
    suggest = tflm_test("quarantine", "suggest", str(report))
    assert suggest.returncode == 0 and 'binary = "flaky_once"' in suggest.stdout
    quarantine = tmp_path / "quarantine.toml"
    quarantine.write_text(suggest.stdout)
    again = tflm_test("run", elf, "--target", "qemu_cortexm3", "--retries", "2",
                      "--quarantine", str(quarantine), "--json", str(tmp_path / "q.json"),
                      "--junit", str(tmp_path / "q.xml"), "--out", str(tmp_path / "o2"))
    assert again.returncode == 0, again.stdout
    assert records(tmp_path / "q.json")["flaky_once"]["quarantined"] is True
    junit = (tmp_path / "q.xml").read_text()  # CI's test reporter must not fail on it either
    assert "<failure" not in junit and 'type="quarantined"' in junit
    # A quarantine that names another binary excuses nothing.
    quarantine.write_text('[[quarantine]]\nbinary = "pass"\n')
    other = tflm_test("run", elf, "--target", "qemu_cortexm3", "--retries", "2",
                      "--quarantine", str(quarantine), "--out", str(tmp_path / "o3"))
    assert other.returncode == 1


def test_shards_run_every_binary_once_and_merge(fixture_elfs: FixtureBuilder,
                                               tmp_path: Path) -> None:
    elfs = fixture_elfs("qemu_cortexm3")
    binaries = [str(elfs[n]) for n in ("pass", "fail", "hardfault", "sentinel_then_exit1")]
    shards = []
    for k in (1, 2, 3):
        shards.append(tmp_path / f"s{k}.json")
        tflm_test("run", *binaries, "--target", "qemu_cortexm3", "--timeout", "5",
                  "--shard", f"{k}/3", "--json", str(shards[-1]), "--out", str(tmp_path / "o"))
    ran = [set(records(s)) for s in shards]
    assert sum(len(r) for r in ran) == 4 and set().union(*ran) == {
        "pass", "fail", "hardfault", "sentinel_then_exit1"}
    proc = tflm_test("merge", *map(str, shards), "--json", str(tmp_path / "all.json"),
                     "--junit", str(tmp_path / "all.xml"))
    assert proc.returncode == 1 and "1 passed, 3 failed" in proc.stdout, proc.stderr
    merged = json.loads((tmp_path / "all.json").read_text())
    assert merged["summary"]["total"] == 4 and "<testsuites" in (tmp_path / "all.xml").read_text()
    missing = tflm_test("merge", str(shards[0]), str(shards[1]))
    assert missing.returncode == 2 and "in no shard report" in missing.stderr
    twice = tflm_test("merge", str(shards[0]), str(shards[0]), str(shards[1]), str(shards[2]))
    assert twice.returncode == 2 and "given twice" in twice.stderr
