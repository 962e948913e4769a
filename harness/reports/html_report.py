"""HTML report (--html PATH, `tflm-test report`): one self-contained page a person reads.

The page is rendered from JSON report documents (json_report.report_document, or files read
back), so a live run, a report on disk and merged shard reports all give the same page.
Inline CSS, JS and SVG only: no URL, and a Content-Security-Policy that forbids loading
anything, so it opens from a CI artifact with no network. Every string that came from a log,
a file name or a report is escaped.

Sections appear only when they have data: instruction counts (`instructions`, or the
`instructions`/`executed_instructions` extras; per case `cases[].instructions`), footprint
(`footprint` {text, data, bss, flash, ram, flash_limit, ram_limit}, top level or in extras),
a `cached` flag, and the baseline gate's comparison (the report's "baseline" section, written
by the gate: this module only shows it).
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import __version__
from ..results import BinaryResult, Verdict
from . import RunStatus
from ..baseline import Comparison, Row, from_record, merge_comparisons
from ..history import BadReport, read_report
from .json_report import report_document

CHART_BARS = 40  # the longest bars shown per chart; the rest are counted, not drawn


@dataclass(frozen=True)
class _Row:
    """One result record, checked and ready to show."""

    anchor: str
    target: str
    key: str
    verdict: str
    reason: str
    runner: str
    duration_s: float
    exit_code: int | None
    log: str | None
    instructions: int | None
    footprint: Mapping[str, Any]
    cases: tuple[Mapping[str, Any], ...]
    tail: tuple[str, ...]
    cached: bool

    @property
    def passed(self) -> bool:
        return self.verdict == Verdict.PASS


def _field(record: Mapping[str, Any], name: str, kind: type | tuple[type, ...],
           default: Any = None) -> Any:
    """record[name] when it has the type the page needs (bool is no number here)."""
    value = record.get(name)
    if value is None:
        return default
    if not isinstance(value, kind) or isinstance(value, bool):
        raise BadReport(f"result {record.get('key', '?')}: {name} is {value!r}")
    return value


def _row(index: int, record: Any) -> _Row:
    if not isinstance(record, dict):
        raise BadReport(f"result {index + 1} is not an object")
    extras = _field(record, "extras", dict, {}) or {}
    instructions = record.get("instructions", extras.get("instructions",
                                                        extras.get("executed_instructions")))
    return _Row(
        anchor=f"r{index}", target=_field(record, "target", str, "?"),
        key=str(record.get("key") or Path(str(record.get("binary", "?"))).stem),
        verdict=_field(record, "verdict", str, "?"), reason=_field(record, "reason", str, ""),
        runner=_field(record, "runner", str, ""),
        duration_s=float(_field(record, "duration_s", (int, float), 0.0) or 0.0),
        exit_code=_field(record, "exit_code", int), log=_field(record, "log", str),
        instructions=instructions if isinstance(instructions, int) else None,
        footprint=_field(record, "footprint", dict) or _field(extras, "footprint", dict, {}),
        cases=tuple(c for c in _field(record, "cases", list, []) or [] if isinstance(c, dict)),
        tail=tuple(str(line) for line in _field(record, "tail", list, []) or []),
        cached=bool(record.get("cached") or extras.get("cached")))


def _status(docs: Sequence[Mapping[str, Any]]) -> str:
    """The whole page's status: running while any part runs, else interrupted if any was."""
    statuses = {str(d.get("status", RunStatus.COMPLETE)) for d in docs}
    for status in (RunStatus.RUNNING, RunStatus.INTERRUPTED):
        if status in statuses:
            return str(status)
    return str(RunStatus.COMPLETE)


# Emulator logs carry control bytes; HTML text must not.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _e(value: Any) -> str:
    return html.escape(_CONTROL.sub("\ufffd", str(value)), quote=True)


def _vclass(verdict: str) -> str:
    return "v-" + re.sub(r"[^A-Za-z0-9_]", "", verdict)


def _num(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.3g}"


def _seconds(value: float) -> str:
    return f"{value:.2f} s" if value < 120 else f"{int(value // 60)} min {value % 60:02.0f} s"


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _chip(verdict: str) -> str:
    return f'<span class="chip {_vclass(verdict)}">{_e(verdict)}</span>'


def _name(row: _Row) -> str:
    return f"{_e(row.target)} / {_e(row.key)}"


def _gate(comparison: Comparison | None) -> str:
    """The gate's outcome beside the run status: a run can pass every test and still fail it."""
    if comparison is None:
        return ""
    over = len(comparison.exceeded)
    if over == 0:
        return '<p class="gate gate-ok" id="gate">baseline gate passed</p>'
    return (f'<p class="gate gate-failed" id="gate"><a href="#baseline">baseline gate failed: '
            f'{over} figure{"s" if over != 1 else ""} over the limit</a></p>')


def _header(rows: Sequence[_Row], status: str, comparison: Comparison | None) -> str:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.verdict] = counts.get(row.verdict, 0) + 1
    order = [str(v) for v in Verdict] + sorted(set(counts) - {str(v) for v in Verdict})
    chips = " ".join(f'<span class="chip {_vclass(v)}">{counts[v]} {_e(v)}</span>'
                     for v in order if v in counts)
    cases = [c for row in rows for c in row.cases]
    failed_cases = sum(1 for c in cases if c.get("status") == "FAIL")
    targets = len({row.target for row in rows})
    note = {RunStatus.RUNNING: "this page is rewritten after each result and reloads itself",
            RunStatus.INTERRUPTED: "the run was stopped: these are the results so far",
            RunStatus.COMPLETE: "every result is in"}[RunStatus(status)]
    return (f'<header><h1>tflm-test report</h1>'
            f'<p class="status s-{status}" id="run-status">{status}</p>{_gate(comparison)}'
            f'<p class="note">{note}</p>'
            f'<p class="totals">{len(rows)} binaries on {targets} '
            f'target{"s" if targets != 1 else ""}: {chips or "none yet"}</p>'
            f'<p class="totals">{len(cases)} cases, {failed_cases} failed; '
            f'{_seconds(sum(r.duration_s for r in rows))} of emulator time</p></header>')


def _matrix(rows: Sequence[_Row]) -> str:
    targets = list(dict.fromkeys(r.target for r in rows))
    cells: dict[tuple[str, str], list[_Row]] = {}
    for row in rows:
        cells.setdefault((row.key, row.target), []).append(row)
    body = []
    for key in dict.fromkeys(r.key for r in rows):
        mine = [r for t in targets for r in cells.get((key, t), [])]
        tds = "".join(
            "<td>" + " ".join(f'<a class="cell {_vclass(r.verdict)}" href="#{r.anchor}" '
                              f'title="{_e(r.reason or r.verdict)}">{_e(r.verdict)}</a>'
                              for r in cells.get((key, t), [])) + "</td>"
            if (key, t) in cells else '<td class="none">—</td>' for t in targets)
        cls = "all-pass" if all(r.passed for r in mine) else "not-pass"
        body.append(f'<tr class="{cls}"><th scope="row">{_e(key)}</th>{tds}</tr>')
    head = "".join(f'<th scope="col">{_e(t)}</th>' for t in targets)
    return ('<section id="matrix"><h2>Verdicts</h2><label class="filter"><input type="checkbox" '
            'id="only-failing"> only binaries that did not pass everywhere</label>'
            f'<table class="matrix"><thead><tr><th>binary</th>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table></section>')


def _case_failures(case: Mapping[str, Any]) -> str:
    where = []
    for failure in case.get("failures") or []:
        if not isinstance(failure, dict):
            continue
        place = f'{failure.get("file", "?")}:{failure.get("line", "?")}'
        detail = f' ({_e(failure["detail"])})' if failure.get("detail") else ""
        where.append(f'<li><code class="where">{_e(place)}</code> '
                     f'<code>{_e(failure.get("expr", ""))}</code>{detail}</li>')
    items = f'<ul>{"".join(where)}</ul>' if where else ""
    return (f'<li><b>{_e(case.get("name", "?"))}</b>: {_e(case.get("reason", ""))}'
            f'{items}</li>')


def _failures(rows: Sequence[_Row]) -> str:
    articles = []
    for row in (r for r in rows if not r.passed):
        failed = [c for c in row.cases if c.get("status") == "FAIL"]
        cases = f'<ul class="cases">{"".join(map(_case_failures, failed))}</ul>' if failed else ""
        tail = (f'<pre class="tail">{_e(chr(10).join(row.tail))}</pre>' if row.tail else "")
        log = f'<p class="log">full log: <code>{_e(row.log)}</code></p>' if row.log else ""
        articles.append(f'<article class="failure"><h3><a href="#{row.anchor}">'
                        f'{_chip(row.verdict)} {_name(row)}</a></h3>'
                        f'<p class="reason">{_e(row.reason)}</p>{cases}{tail}{log}</article>')
    if not articles:
        return ""
    return (f'<section id="failures"><h2>Failures ({len(articles)})</h2>'
            f'{"".join(articles)}</section>')


def _chart(title: str, ident: str, bars: Sequence[tuple[_Row, float, str]]) -> str:
    """Horizontal SVG bars, longest first: (row, value, value as text) each."""
    if not bars:
        return ""
    shown = sorted(bars, key=lambda b: -b[1])[:CHART_BARS]
    top = max(b[1] for b in shown) or 1.0
    step, label_w, bar_w = 20, 300, 420
    parts = []
    for i, (row, value, text) in enumerate(shown):
        y = i * step
        label = f"{row.target} / {row.key}"
        short = label if len(label) <= 44 else label[:43] + "…"
        width = max(1.0, bar_w * value / top)
        parts.append(
            f'<a href="#{row.anchor}"><title>{_e(label)}: {_e(text)}</title>'
            f'<text x="0" y="{y + 14}">{_e(short)}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{width:.1f}" height="14" '
            f'class="{_vclass(row.verdict)}"/>'
            f'<text x="{label_w + width + 6:.1f}" y="{y + 14}">{_e(text)}</text></a>')
    height = len(shown) * step
    more = (f'<p class="note">the {len(shown)} largest of {len(bars)}</p>'
            if len(bars) > len(shown) else "")
    return (f'<section id="{ident}"><h2>{_e(title)}</h2>'
            f'<svg class="chart" width="{label_w + bar_w + 130}" height="{height}" '
            f'viewBox="0 0 {label_w + bar_w + 130} {height}" role="img" '
            f'aria-label="{_e(title)}">{"".join(parts)}</svg>{more}</section>')


def _charts(rows: Sequence[_Row]) -> str:
    durations = [(r, r.duration_s, _seconds(r.duration_s)) for r in rows]
    counts = [(r, float(r.instructions), f"{r.instructions:,}") for r in rows
              if r.instructions is not None]
    return (_chart("Duration per binary", "durations", durations)
            + _chart("Executed instructions per binary", "instructions", counts))


def _gauge(used: int | None, limit: int | None) -> str:
    if used is None:
        return "—"
    if not limit:
        return f"{used:,} B"
    share = used / limit
    over = " over" if used > limit else ""
    return (f'<span class="gauge"><span class="fill{over}" '
            f'style="width:{min(share, 1.0) * 100:.1f}%"></span></span> '
            f'{used:,} / {limit:,} B ({share:.0%})')


def _footprint(rows: Sequence[_Row]) -> str:
    lines = []
    for row in (r for r in rows if r.footprint):
        fp = {k: _int(v) for k, v in row.footprint.items()}
        sizes = "".join(f'<td class="n">{_num(fp.get(k))}</td>' for k in ("text", "data", "bss"))
        lines.append(f'<tr><th scope="row"><a href="#{row.anchor}">{_name(row)}</a></th>{sizes}'
                     f'<td>{_gauge(fp.get("flash"), fp.get("flash_limit"))}</td>'
                     f'<td>{_gauge(fp.get("ram"), fp.get("ram_limit"))}</td></tr>')
    if not lines:
        return ""
    return ('<section id="footprint"><h2>Flash and RAM against the board</h2>'
            '<table class="footprint"><thead><tr><th>binary</th><th>text</th><th>data</th>'
            '<th>bss</th><th>flash</th><th>RAM</th></tr></thead>'
            f'<tbody>{"".join(lines)}</tbody></table></section>')


def _delta_row(target: str, what: str, metric: str, old: str, new: str, change: str,
               kind: str) -> str:
    return (f'<tr class="{kind}"><td>{_e(target)}</td><td>{what}</td><td>{_e(metric)}</td>'
            f'<td class="n">{old}</td><td class="n">{new}</td><td class="n">{_e(change)}</td></tr>')


def _change_row(row: Row) -> str:
    kind = ("grew" if row.new > row.old else "shrank") + (" over" if row.exceeded else "")
    what = _e(row.key) + (f" · {_e(row.case)}" if row.case else "")
    change = row.change + (f" (over the {row.limit} limit)" if row.exceeded else "")
    return _delta_row(row.target, what, str(row.metric), *row.shown, change, kind)


def _baseline(c: Comparison | None) -> str:
    """What the gate found: every figure that changed, binaries and cases gone or new."""
    if c is None:
        return ""
    rows = [_change_row(r) for r in c.rows]
    rows += [_delta_row(t, _e(k), "binary", "—", "—", "gone", "gone") for t, k in c.missing]
    rows += [_delta_row(t, f"{_e(k)} · {_e(case)}", "case", "—", "—", "gone", "gone")
             for t, k, case in c.missing_cases]
    rows += [_delta_row(t, _e(k), "binary", "—", "—", "new", "new") for t, k in c.new]
    counts = (f"{c.compared} binaries compared: {len(c.grew)} figures grew, {len(c.shrank)} "
              f"shrank, {c.unchanged} unchanged; {len(c.exceeded)} over the limit; "
              f"{len(c.missing) + len(c.missing_cases)} gone, {len(c.new)} new")
    table = ('<table class="baseline"><thead><tr><th>target</th><th>binary</th><th>figure</th>'
             '<th>baseline</th><th>now</th><th>change</th></tr></thead>'
             f'<tbody>{"".join(rows)}</tbody></table>' if rows else "")
    return ('<section id="baseline"><h2>Against the baseline</h2>'
            f'<p class="totals">{counts}</p>{table}</section>')


def _case_rows(row: _Row) -> str:
    counted = any(_int(c.get("instructions")) is not None for c in row.cases)
    head = ("<tr><th>case</th><th>status</th><th>time</th>"
            + ("<th>instructions</th>" if counted else "") + "<th>reason</th></tr>")
    lines = []
    for case in row.cases:
        seconds = case.get("duration_s")
        time = f"{seconds * 1000:.1f} ms" if isinstance(seconds, (int, float)) else "—"
        count = f'<td class="n">{_num(_int(case.get("instructions")))}</td>' if counted else ""
        lines.append(f'<tr><td>{_e(case.get("name", "?"))}</td>'
                     f'<td>{_chip(str(case.get("status", "?")))}</td><td class="n">{time}</td>'
                     f'{count}<td>{_e(case.get("reason", ""))}</td></tr>')
    return f'<table class="cases">{head}{"".join(lines)}</table>' if lines else ""


def _detail(row: _Row) -> str:
    facts = [("runner", row.runner), ("exit code", "—" if row.exit_code is None else row.exit_code),
             ("log", row.log or "—")]
    if row.instructions is not None:
        facts.append(("instructions", f"{row.instructions:,}"))
    if row.cached:
        facts.append(("cached", "yes: the result of an earlier run of the same binary"))
    dl = "".join(f"<dt>{name}</dt><dd>{_e(value)}</dd>" for name, value in facts)
    reason = f'<p class="reason">{_e(row.reason)}</p>' if row.reason else ""
    return (f'<details id="{row.anchor}" class="binary"{"" if row.passed else " open"}>'
            f'<summary>{_chip(row.verdict)} {_name(row)} <span class="meta">'
            f'{_seconds(row.duration_s)} · {len(row.cases)} cases'
            f'{" · cached" if row.cached else ""}</span></summary>'
            f'{reason}<dl>{dl}</dl>{_case_rows(row)}</details>')


_CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;background:#fff}
h1{font-size:1.5em;margin:0 0 .3em}h2{font-size:1.2em;margin:1.6em 0 .5em}
h3{font-size:1em;margin:.2em 0}a{color:inherit}
.status{display:inline-block;padding:.1em .6em;border-radius:3px;font-weight:bold;color:#fff}
.s-complete{background:#2e7d32}.s-running{background:#1565c0}.s-interrupted{background:#e65100}
.gate{display:inline-block;margin-left:.5em;padding:.1em .6em;border-radius:3px;font-weight:bold}
.gate-ok{background:#e8f5e9;color:#2e7d32}.gate-failed{background:#c62828}.gate-failed a{color:#fff}
.note{color:#666;margin:.2em 0}.totals{margin:.2em 0}
.chip,.cell{display:inline-block;padding:0 .4em;border-radius:3px;font-weight:bold;
 font-size:.9em;color:#fff;background:#757575;text-decoration:none}
.v-PASS{background:#2e7d32;fill:#2e7d32}.v-FAIL{background:#c62828;fill:#c62828}
.v-CRASH{background:#6a1b9a;fill:#6a1b9a}.v-TIMEOUT{background:#ef6c00;fill:#ef6c00}
.v-ERROR{background:#455a64;fill:#455a64}.v-TOO_BIG{background:#795548;fill:#795548}
.v-FLAKY{background:#f9a825;fill:#f9a825;color:#222}.v-SKIP{background:#9e9e9e}
rect{fill:#757575}rect.v-PASS{fill:#2e7d32}
table{border-collapse:collapse;margin:.3em 0}
th,td{border:1px solid #ddd;padding:.2em .5em;text-align:left;vertical-align:top}
thead th{background:#f3f3f3}td.n{text-align:right;font-variant-numeric:tabular-nums}
td.none{color:#aaa;text-align:center}
.only-failing .matrix tr.all-pass{display:none}.filter{display:block;margin:.3em 0}
.failure{border-left:4px solid #c62828;padding:.2em .8em;margin:.8em 0;background:#fafafa}
pre.tail{background:#1e1e1e;color:#eee;padding:.6em;overflow-x:auto;max-height:24em}
code.where{color:#b71c1c}.reason{margin:.3em 0}
svg.chart text{font-size:12px;fill:#222}svg.chart a:hover rect{opacity:.7}
.gauge{display:inline-block;width:120px;height:10px;background:#e0e0e0;vertical-align:middle}
.gauge .fill{display:block;height:100%;background:#1565c0}.gauge .fill.over{background:#c62828}
.baseline tr.grew td{background:#fff3e0}.baseline tr.shrank td{background:#e8f5e9}
.baseline tr.over td{background:#ffcdd2;font-weight:bold}.baseline tr.gone td{color:#777}
details.binary{border:1px solid #ddd;margin:.3em 0;padding:.2em .6em}
details.binary summary{cursor:pointer}.meta{color:#666;font-size:.9em}
dl{display:grid;grid-template-columns:max-content auto;gap:0 1em;margin:.4em 0}dd{margin:0}
footer{margin-top:2em;color:#666;font-size:.9em}
"""

# Opens the details a link points to (matrix cells, chart bars), and the matrix filter.
_JS = """
"use strict";
(function () {
  function reveal() {
    var id = decodeURIComponent(location.hash.slice(1));
    var el = id ? document.getElementById(id) : null;
    if (el && el.tagName === "DETAILS") { el.open = true; el.scrollIntoView(); }
  }
  window.addEventListener("hashchange", reveal);
  reveal();
  var box = document.getElementById("only-failing");
  if (box) {
    box.addEventListener("change", function () {
      document.body.classList.toggle("only-failing", box.checked);
    });
  }
  document.documentElement.setAttribute("data-ready", "1");
})();
"""

# Nothing may be fetched: inline style and script only, no connections, no images but data.
_CSP = ("default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; "
        "img-src data:")
RELOAD_S = 5  # a "running" page reloads itself this often


def html_from_documents(docs: Sequence[Mapping[str, Any]], sources: Iterable[Path] = ()) -> str:
    """The page for one or more JSON report documents (shards of one run are shown as one).

    Args:
        docs: report documents as json_report.report_document makes them (or read back);
            their "baseline" sections (the gate's comparison) are shown together.
        sources: the report files, named in the footer.

    Raises:
        BadReport: a document's results are not what a tflm-test report holds.
    """
    records: list[Any] = []
    for doc in docs:
        results = doc.get("results", [])
        if not isinstance(results, list):
            raise BadReport("results is not a list")
        records += results
    comparisons = [from_record(d["baseline"]) for d in docs if d.get("baseline") is not None]
    comparison = merge_comparisons(comparisons) if comparisons else None
    rows = [_row(i, record) for i, record in enumerate(records)]
    status = _status(docs)
    reload = (f'<meta http-equiv="refresh" content="{RELOAD_S}">'
              if status == RunStatus.RUNNING else "")
    named = ", ".join(_e(p) for p in sources)
    footer = (f'<footer>tflm-test {_e(__version__)}'
              f'{"; from " + named if named else ""}</footer>')
    body = (_header(rows, status, comparison) + _baseline(comparison) + _matrix(rows)
            + _failures(rows) + _charts(rows) + _footprint(rows)
            + (f'<section id="details"><h2>Every binary</h2>'
               f'{"".join(map(_detail, rows))}</section>' if rows else "") + footer)
    return ('<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">{reload}'
            f'<meta name="viewport" content="width=device-width">'
            f'<title>tflm-test: {status}, {len(rows)} binaries</title>'
            f'<style>{_CSS}</style></head><body>{body}<script>{_JS}</script></body></html>\n')


def html_text(results: list[BinaryResult], status: RunStatus = RunStatus.COMPLETE,
              info: Mapping[str, Any] | None = None) -> str:
    """The page for this run's results: the same document as its JSON report."""
    return html_from_documents([report_document(results, status, info)])


def html_from_files(paths: Sequence[Path]) -> str:
    """The page for JSON report files, e.g. the shards of one run.

    Raises:
        TflmTestError: a file cannot be read or is not a tflm-test report.
    """
    docs = [dict(read_report(path, "report").document) for path in paths]
    try:
        return html_from_documents(docs, sources=paths)
    except BadReport as exc:
        raise BadReport(f"{', '.join(map(str, paths))}: {exc}") from exc
