"""JUnit XML: one testsuite per binary, one testcase per test case in its log."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from ..results import BinaryResult, CaseResult, Verdict
from ..testlog import CaseStatus
from . import RunStatus

# XML 1.0 cannot carry most control characters, and emulator logs do contain them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# The binary's verdict, when it failed outside any case: see "(binary)" below.
_TAG = {Verdict.FAIL: "failure", Verdict.CRASH: "error", Verdict.TIMEOUT: "error",
        Verdict.ERROR: "error", Verdict.FLAKY: "failure", Verdict.TOO_BIG: "failure"}


def strip_illegal_xml(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry (most control bytes)."""
    return _ILLEGAL_XML.sub("", text)


def _problem(node: ET.Element, tag: str, kind: str, message: str, text: str,
             quarantined: bool) -> None:
    """A failure or error; a quarantined one is <skipped type="quarantined"> (as pytest writes
    an xfail), so CI test reporters show it without failing the build, its detail kept."""
    if quarantined:
        tag, message = "skipped", f"quarantined {kind}: {message}"
    el = ET.SubElement(node, tag, type="quarantined" if quarantined else kind,
                       message=strip_illegal_xml(message))
    el.text = strip_illegal_xml(text)


def _case(suite: ET.Element, classname: str, case: CaseResult, tail: str,
          quarantined: bool) -> None:
    node = ET.SubElement(suite, "testcase", classname=classname, name=case.name)
    if case.duration_s is not None:
        node.set("time", f"{case.duration_s:.3f}")
    if case.status is CaseStatus.SKIP:
        ET.SubElement(node, "skipped", message=strip_illegal_xml(case.reason))
    elif case.status is CaseStatus.FAIL:
        _problem(node, "failure", str(case.status), case.reason,
                 "\n".join([*(f.describe() for f in case.failures), tail]), quarantined)


def _footprint(result: BinaryResult) -> list[tuple[str, object]]:
    """footprint.text ... footprint.ram_limit ("" for no limit), when it is known."""
    record = result.footprint.record() if result.footprint else {}
    return [(f"footprint.{k}", "" if v is None else v) for k, v in record.items()]


def _suite(parent: ET.Element, result: BinaryResult) -> None:
    classname = f"{result.target}.{result.name}"
    # The counts are placeholders here, filled in below, so they come first in the XML.
    suite = ET.SubElement(parent, "testsuite", name=classname, tests="0", failures="0",
                          errors="0", skipped="0", time=f"{result.duration_s:.3f}")
    props = ET.SubElement(suite, "properties")
    for key, value in (("verdict", result.verdict), ("format", result.format or ""),
                       ("runner", result.runner), ("log", str(result.log or "")),
                       ("cached", result.cached), ("quarantined", result.quarantined),
                       *sorted(result.extras.items()), *_footprint(result)):
        ET.SubElement(props, "property", name=key, value=strip_illegal_xml(str(value)))
    tail = "\n".join(result.tail)
    for case in result.cases:
        _case(suite, classname, case, tail, result.quarantined)
    if result.verdict is not Verdict.PASS and not any(
            c.status is CaseStatus.FAIL for c in result.cases):
        # The binary failed outside any case (no cases, bad exit...): say so as its own case.
        node = ET.SubElement(suite, "testcase", classname=classname, name="(binary)")
        _problem(node, _TAG[result.verdict], str(result.verdict), result.reason, tail,
                 result.quarantined)
    elif not result.cases:
        ET.SubElement(suite, "testcase", classname=classname, name="(binary)")
    cases = suite.findall("testcase")
    for attr, tag in (("failures", "failure"), ("errors", "error"), ("skipped", "skipped")):
        suite.set(attr, str(sum(1 for c in cases if c.find(tag) is not None)))
    suite.set("tests", str(len(cases)))


def _unfinished(parent: ET.Element, status: RunStatus) -> None:
    """A run that is still going or was interrupted must not read as a pass: one error case."""
    suite = ET.SubElement(parent, "testsuite", name="tflm-test", tests="1", failures="0",
                          errors="1")
    node = ET.SubElement(suite, "testcase", classname="tflm-test", name=f"(run {status})")
    ET.SubElement(node, "error", type=str(status),
                  message="the run did not finish; these are the results so far")


def junit_text(results: list[BinaryResult], status: RunStatus = RunStatus.COMPLETE) -> str:
    root = ET.Element("testsuites", name="tflm-test")
    for result in results:
        _suite(root, result)
    if status is not RunStatus.COMPLETE:
        _unfinished(root, status)
    ET.indent(root)
    return '<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
