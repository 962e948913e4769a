"""project: the project file is found, read and checked; templates and globs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tflm_test.expect import load_expected
from tflm_test.project import (BadProject, TargetSettings, expand, find_binaries,
                               find_project)
from tflm_test.testlog import Format

ROOT = Path(__file__).resolve().parents[2]


def write(folder: Path, text: str, name: str = "tflm-test.toml") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text)
    return folder


def test_top_level_keys_and_per_target_overrides(tmp_path: Path) -> None:
    write(tmp_path, 'build = ["make", "TARGET={target}"]\nbinaries = "b/{target}/*.elf"\n'
                    'platforms = ["boards"]\ntimeout = 30\nformat = "auto"\n'
                    'expect_from = "ci/expected.json"\n'
                    '[target.bluepill]\ntimeout = 120\nformat = "unity"\n')
    project = find_project(tmp_path)
    assert project.file == tmp_path / "tflm-test.toml"
    assert project.platforms == (tmp_path / "boards",)
    host = project.settings("host")
    assert host == TargetSettings(build=("make", "TARGET={target}"), binaries=("b/{target}/*.elf",),
                                  timeout_s=30.0, format=None,
                                  expect_from=tmp_path / "ci" / "expected.json")
    bluepill = project.settings("bluepill")
    assert (bluepill.timeout_s, bluepill.format, bluepill.build) == (120.0, Format.UNITY,
                                                                     host.build)


def test_found_upward_from_a_subfolder_and_in_pyproject(tmp_path: Path) -> None:
    write(tmp_path, '[project]\nname = "x"\n[tool.tflm-test]\nbinaries = ["a/*.elf", "b/*.elf"]\n',
          "pyproject.toml")
    (tmp_path / "src" / "deep").mkdir(parents=True)
    project = find_project(tmp_path / "src" / "deep")
    assert project.file == tmp_path / "pyproject.toml"
    assert project.settings("t").binaries == ("a/*.elf", "b/*.elf")


def test_a_pyproject_without_the_table_is_passed_over(tmp_path: Path) -> None:
    write(tmp_path, 'binaries = "x.elf"\n')
    write(tmp_path / "sub", '[project]\nname = "x"\n', "pyproject.toml")
    assert find_project(tmp_path / "sub").file == tmp_path / "tflm-test.toml"


def test_no_project_file_is_a_project_without_a_build(tmp_path: Path) -> None:
    project = find_project(tmp_path)
    assert (project.file, project.root, project.platforms) == (None, tmp_path, ())
    assert project.settings("host") == TargetSettings()


def test_explicit_folder_without_a_project_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(BadProject, match="--project .*: no tflm-test.toml"):
        find_project(explicit=tmp_path)


@pytest.mark.parametrize("text, message", [
    ('binaries = "x"\ntimout = 3\n', r"unknown key timout; known: binaries, build"),
    ('build = "make tests"\n', r"build: expected a command as a list of strings"),
    ('timeout = "slow"\n', r"timeout: expected a finite number of seconds"),
    ('timeout = nan\n', r"timeout: expected a finite number of seconds"),
    ('timeout = true\n', r"timeout: expected a finite number"),
    ('format = "tap"\n', r"format: expected one of auto, micro_test, gtest, unity, got 'tap'"),
    ('binaries = []\n', r"binaries: expected a non-empty string or list"),
    ('target = 3\n', r"target: expected \[target.<name>\] tables"),
    ('[target.x]\nplatforms = ["p"]\n', r"\[target.x\]: unknown key platforms"),
    ('[verify]\nruntime = "rt"\n', r"\[verify\]: missing app_dir, build, elf"),
    ('[profile]\nruntime = "rt"\n', r"\[profile\]: missing app_dir, build, elf"),
    ('[profile]\nkernels = "x"\n', r"\[profile\]: unknown key kernels; known: app_dir"),
    ('a = 1\nbuild = ["x" "y"]\n', r"not valid TOML: .*line 2"),
])
def test_malformed_project_files_name_file_and_key(tmp_path: Path, text: str,
                                                   message: str) -> None:
    write(tmp_path, text)
    with pytest.raises(BadProject, match=message) as err:
        find_project(tmp_path)
    assert str(tmp_path / "tflm-test.toml") in str(err.value)
    assert "\n" not in str(err.value) and err.value.exit_code == 2


def test_templates_fill_placeholders_and_refuse_unknown_ones() -> None:
    values = {"target": "bluepill", "jobs": 2, "root": Path("/p")}
    assert expand(["make", "-j{jobs}", "TARGET={target}", "{{literal}}"], values, "f") == [
        "make", "-j2", "TARGET=bluepill", "{literal}"]
    with pytest.raises(BadProject, match=r"unknown placeholder \{board\}.*known: \{jobs\}, "
                                         r"\{root\}, \{target\}"):
        expand(["make", "B={board}"], values, "f: build")


def test_binaries_are_globbed_from_the_root_sorted_files_only(tmp_path: Path) -> None:
    for path in ("b/x_test.elf", "a/y_test.elf", "a/deep/z_test.elf", "a/dir_test.elf/keep"):
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).write_text("")
    assert find_binaries(tmp_path, ["*/*_test.elf", "b/x_test.elf"]) == [
        tmp_path / "a" / "y_test.elf", tmp_path / "b" / "x_test.elf"]
    assert tmp_path / "a" / "deep" / "z_test.elf" in find_binaries(tmp_path, ["**/*_test.elf"])


def test_our_own_project_file_builds_the_reference_runtime() -> None:
    project = find_project(ROOT)
    assert project.file == ROOT / "tflm-test.toml"
    assert project.verify is not None and project.verify.runtime == ROOT / "reference_runtime"
    assert project.profile is not None and "PROFILE=1" in project.profile.build
    assert "{kernels}" in project.profile.elf
    assert project.settings("bluepill").binaries


def test_expected_cases_come_from_an_earlier_report(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    report.write_text(json.dumps({"schema": "tflm-test/results", "results": [
        {"binary": "/b/a/x.elf", "key": "a/x", "target": "host", "verdict": "PASS",
         "cases": [{"name": "A", "status": "PASS"}, {"name": "B", "status": "SKIP"}]},
        {"binary": "/b/y.elf", "target": "host", "verdict": "FAIL",
         "cases": []}]}))  # version 1: no key
    expected = load_expected(report)
    assert expected.cases_of("host", "a/x", "x") == ("A", "B")
    assert expected.cases_of("host", "elsewhere/x", "x") == ("A", "B")  # by its file name
    assert expected.cases_of("host", "y", "y") == ()
    assert expected.cases_of("bluepill", "a/x", "x") is None
    assert expected.missing("host", {"a/x"}) == [("y", Path("/b/y.elf"))]


@pytest.mark.parametrize("text", ["not json", "[]", '{"schema": "other"}',
                                  '{"schema": "tflm-test/results", "results": [{}]}',
                                  '{"schema": "tflm-test/results", "version": 99}'])
def test_an_expected_file_that_is_not_a_report_is_one_line(tmp_path: Path, text: str) -> None:
    (tmp_path / "r.json").write_text(text)
    with pytest.raises(Exception, match="--expect-from") as err:
        load_expected(tmp_path / "r.json")
    assert "\n" not in str(err.value)


def test_the_quarantine_file_is_named_from_the_project_root(tmp_path: Path) -> None:
    write(tmp_path, 'quarantine = "ci/quarantine.toml"\n')
    assert find_project(tmp_path).quarantine == tmp_path / "ci" / "quarantine.toml"
    write(tmp_path, "[target.host]\nquarantine = \"q.toml\"\n")  # top level only
    with pytest.raises(BadProject, match="unknown key quarantine"):
        find_project(tmp_path)
