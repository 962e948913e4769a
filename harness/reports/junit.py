"""JUnit XML: one testsuite per binary, one testcase per `Testing X`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from ..results import BinaryResult, Verdict
from . import RunStatus

# XML 1.0 cannot carry most control characters, and emulator logs do contain them.
_ILLEGAL_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_TAG = {Verdict.FAIL: "failure", Verdict.CRASH: "error", Verdict.TIMEOUT: "error",
        Verdict.ERROR: "error"}


def strip_illegal_xml(text: str) -> str:
    return _ILLEGAL_XML.sub("", text)


def _suite(parent: ET.Element, result: BinaryResult) -> None:
    failures = sum(1 for c in result.cases if c.status is Verdict.FAIL)
    suite = ET.SubElement(parent, "testsuite", name=f"{result.target}.{result.name}",
                          tests=str(max(1, len(result.cases))), failures=str(failures),
                          errors=str(sum(1 for c in result.cases
                                         if c.status not in (Verdict.PASS, Verdict.FAIL))),
                          time=f"{result.duration_s:.3f}")
    props = ET.SubElement(suite, "properties")
    for key, value in (("verdict", result.verdict), ("runner", result.runner),
                       ("log", str(result.log or "")), *sorted(result.extras.items())):
        ET.SubElement(props, "property", name=key, value=strip_illegal_xml(str(value)))
    classname = f"{result.target}.{result.name}"
    for case in result.cases:
        node = ET.SubElement(suite, "testcase", classname=classname, name=case.name)
        if case.status is Verdict.PASS:
            continue
        message = "; ".join(f"{f.expr} failed at {f.file}:{f.line} {f.detail}".strip()
                            for f in case.failures) or result.reason
        el = ET.SubElement(node, _TAG[case.status], type=str(case.status),
                           message=strip_illegal_xml(message))
        el.text = strip_illegal_xml("\n".join(result.tail))
    if result.verdict is not Verdict.PASS and not any(
            c.status is not Verdict.PASS for c in result.cases):
        # The binary failed outside any case (no cases, bad exit...): say so as its own case.
        node = ET.SubElement(suite, "testcase", classname=classname, name="(binary)")
        el = ET.SubElement(node, _TAG[result.verdict], type=str(result.verdict),
                           message=strip_illegal_xml(result.reason))
        el.text = strip_illegal_xml("\n".join(result.tail))
    elif not result.cases:
        ET.SubElement(suite, "testcase", classname=classname, name="(binary)")


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
