"""The run's findings for people and machines: conformance.json, conformance.md, conformance.html.

A fleet's gate is read in three places: a bot or dashboard reads the JSON, the PR's step summary
shows the Markdown (a connectors-by-checks matrix and one line per failure), and whoever has to
fix a failure opens the HTML page (one file, no external assets, so it works as a CI artifact
offline) to see each failure's field-level diff and the minimal calls that reproduce it.

Everything here works on `ReportRow`s: an `Outcome` plus what pytest and the baseline made of it.
Nothing here reads accounts; no secret can reach a report.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from conformance.atomic import write_text_atomic
from conformance.checks import CHECKS
from conformance.outcome import ReportRow, Status

JSON_NAME, MARKDOWN_NAME, HTML_NAME = "conformance.json", "conformance.md", "conformance.html"


SYMBOLS = {
    "passed": "✅",
    "failed": "❌",
    "error": "💥",
    "warned": "⚠️",
    "skipped": "⏭️",
    "known": "📌",
    "stale": "🧹",
}
WORDS = {
    "passed": "pass",
    "failed": "FAIL",
    "error": "error",
    "warned": "warn",
    "skipped": "skip",
    "known": "known",
    "stale": "stale",
}
LEGEND = (
    "✅ passed · ❌ failed · 💥 error · ⚠️ warning · ⏭️ skipped · "
    "📌 known failure (baseline) · 🧹 baseline entry now passes: remove it"
)


def symbol(result: ReportRow) -> str:
    if result.baseline == "known":
        return SYMBOLS["known"]
    if result.baseline == "stale":
        return SYMBOLS["passed"] + SYMBOLS["stale"]
    return SYMBOLS.get(result.status.value, "?")


def cell_class(result: ReportRow) -> str:
    return result.baseline if result.baseline in ("known", "stale") else result.status.value


def summarize(results: Sequence[ReportRow]) -> dict[str, int]:
    counts = {
        "connectors": len({r.node for r in results}),
        "checks": len(results),
        Status.PASSED.value: 0,
        Status.FAILED.value: 0,
        Status.ERROR.value: 0,
        Status.WARNED.value: 0,
        Status.SKIPPED.value: 0,
        "known": 0,
        "stale": 0,
        "gating": sum(r.gates for r in results),
    }
    for r in results:
        if r.baseline in ("known", "stale"):
            counts[r.baseline] += 1
        if r.baseline != "known":
            counts[r.status.value] += 1
    return counts


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def headline(results: Sequence[ReportRow]) -> str:
    c = summarize(results)
    parts = [f"{c['passed']} passed"]
    for key, one, many in (
        ("failed", "failed", "failed"),
        ("error", "error", "errors"),
        ("warned", "warning", "warnings"),
        ("skipped", "skipped", "skipped"),
        ("known", "known failure (baseline)", "known failures (baseline)"),
        ("stale", "stale baseline entry", "stale baseline entries"),
    ):
        if c[key]:
            parts.append(_count(c[key], one, many))
    verdict = "FAILS" if c["gating"] else "passes"
    connectors = _count(c["connectors"], "connector", "connectors")
    return f"Connector conformance {verdict}: {', '.join(parts)} ({connectors})"


def _columns(results: Sequence[ReportRow]) -> list[str]:
    present = {r.check for r in results}
    ordered = [c for c in ("load", *(c.id for c in CHECKS)) if c in present]
    return ordered + sorted(present - set(ordered))


def _rows(results: Sequence[ReportRow]) -> dict[str, dict[str, ReportRow]]:
    rows: dict[str, dict[str, ReportRow]] = {}
    for r in sorted(results, key=lambda r: r.node):
        rows.setdefault(r.node, {})[r.check] = r
    return rows


def findings(results: Iterable[ReportRow]) -> list[ReportRow]:
    """What a reader must look at: failures first, then errors, then known ones, then warnings."""
    order = {Status.FAILED: 0, Status.ERROR: 1, Status.WARNED: 3}
    chosen = [r for r in results if r.status.is_finding]
    return sorted(
        chosen,
        key=lambda r: (order[r.status] + (2 if r.baseline == "known" else 0), r.node, r.check),
    )


def stale_entries(results: Iterable[ReportRow]) -> list[ReportRow]:
    return sorted((r for r in results if r.baseline == "stale"), key=lambda r: (r.node, r.check))


# --- JSON -------------------------------------------------------------------------------------


def render_json(results: Sequence[ReportRow], *, meta: dict[str, Any] | None = None) -> str:
    payload = {
        "version": 1,
        "meta": meta or {},
        "summary": summarize(results),
        "results": [r.to_json() for r in sorted(results, key=lambda r: (r.node, r.check))],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --- Markdown ---------------------------------------------------------------------------------


def _code(text: str) -> str:
    """An inline code span that survives backticks and pipes in the text."""
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def render_markdown(results: Sequence[ReportRow]) -> str:
    lines = [f"## {headline(results)}", ""]
    if not results:
        return "\n".join([*lines, "No conformance checks ran.", ""])
    columns = _columns(results)
    lines.append("| connector | " + " | ".join(_code(c) for c in columns) + " |")
    lines.append("| --- |" + " :-: |" * len(columns))
    for connector, row in _rows(results).items():
        cells = [symbol(row[c]) if c in row else " " for c in columns]
        lines.append(f"| {_code(connector)} | " + " | ".join(cells) + " |")
    lines += ["", LEGEND, ""]
    found = findings(results)
    if found:
        lines += ["### Findings", ""]
        for r in found:
            tag = "known failure, baseline: " + r.baseline_reason if r.baseline == "known" else ""
            kind = {Status.WARNED: "warning", Status.ERROR: "error"}.get(r.status, "failure")
            lines.append(
                f"- {symbol(r)} {_code(r.node)} · {_code(r.check)} ({kind}) — "
                + (f"{r.outcome.suffers}: " if r.outcome.suffers else "")
                + _code(r.headline)
                + (f" ({tag})" if tag else "")
            )
        lines.append("")
    stale = stale_entries(results)
    if stale:
        lines += ["### Baseline entries that now pass (remove them)", ""]
        lines += [f"- {_code(r.node)} · {_code(r.check)}" for r in stale]
        lines.append("")
    return "\n".join(lines)


# --- HTML -------------------------------------------------------------------------------------

_STYLE = """
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:2rem;color:#1b1f24}
h1{font-size:1.4rem} h2{font-size:1.15rem;margin-top:2rem}
table.matrix{border-collapse:collapse} .matrix th,.matrix td{border:1px solid #d0d7de;
padding:.3rem .6rem;text-align:center} .matrix th.c,.matrix td.c{text-align:left}
.matrix td a{text-decoration:none} .legend{color:#57606a;margin:.6rem 0}
.finding{border:1px solid #d0d7de;border-left:6px solid #cf222e;border-radius:6px;
padding:.4rem 1rem;margin:1rem 0} .finding.warned{border-left-color:#bf8700}
.finding.known{border-left-color:#8250df} .finding.error{border-left-color:#6e7781}
.suffers{font-weight:600} pre{background:#f6f8fa;padding:.7rem;border-radius:4px;
white-space:pre-wrap;overflow-wrap:anywhere}
td.passed{background:#dafbe1} td.failed{background:#ffebe9;font-weight:700}
td.error{background:#eaeef2;font-weight:700} td.warned{background:#fff8c5}
td.skipped{color:#57606a} td.known{background:#fbefff} td.stale{background:#ddf4ff}
.matrix td a{color:inherit}
.meta{color:#57606a}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def render_html(results: Sequence[ReportRow], *, meta: dict[str, Any] | None = None) -> str:
    meta = meta or {}
    title = headline(results)
    out = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head><body>",
        f"<h1 id='headline'>{_e(title)}</h1>",
    ]
    if meta:
        out.append(
            "<p class='meta'>" + " · ".join(f"{_e(k)}: {_e(v)}" for k, v in meta.items()) + "</p>"
        )
    if results:
        columns = _columns(results)
        out.append("<table class='matrix' id='matrix'><thead><tr><th class='c'>connector</th>")
        out += [f"<th>{_e(c)}</th>" for c in columns]
        out.append("</tr></thead><tbody>")
        for connector, row in _rows(results).items():
            out.append(f"<tr><td class='c'>{_e(connector)}</td>")
            for c in columns:
                r = row.get(c)
                if r is None:
                    out.append("<td></td>")
                    continue
                css, word = cell_class(r), WORDS[cell_class(r)]
                if r.status.is_finding:
                    label = f"{r.status}: {r.headline}"
                    word = f"<a href='#{_e(r.anchor)}' title='{_e(label)}'>{word}</a>"
                out.append(f"<td class='{css}' data-status='{_e(r.status)}'>{word}</td>")
            out.append("</tr>")
        out.append("</tbody></table>")
        out.append(
            "<p class='legend'>pass · FAIL · error · warn (passes unless --connector-strict) · "
            "skip · known (a failure listed in the baseline) · stale (a baseline entry that "
            "now passes: remove it)</p>"
        )
    else:
        out.append("<p>No conformance checks ran.</p>")
    found = findings(results)
    if found:
        out.append("<h2>Findings</h2>")
    for r in found:
        css = "known" if r.baseline == "known" else r.status.value
        out.append(f"<section class='finding {css}' id='{_e(r.anchor)}'>")
        word = WORDS[cell_class(r)]
        out.append(f"<h3>{_e(word)}: {_e(r.node)} · {_e(r.check)}</h3>")
        if r.outcome.suffers:
            out.append(f"<p class='suffers'>{_e(r.outcome.suffers)}</p>")
        if r.baseline == "known":
            out.append(f"<p>Known failure (baseline): {_e(r.baseline_reason)}</p>")
        out.append(
            f"<p class='meta'>status: {_e(r.status)} · severity: {_e(r.outcome.severity or '-')} · "
            f"mode: {_e(r.outcome.mode or '-')} · {r.outcome.duration:.2f} s</p>"
        )
        if r.outcome.message:
            out.append(f"<h4>What happened</h4><pre class='diff'>{_e(r.outcome.message)}</pre>")
        if r.outcome.script:
            out.append(
                "<h4>Reproduce with these calls (minimal example)</h4>"
                f"<pre class='script'>{_e(r.outcome.script)}</pre>"
            )
        out.append("</section>")
    stale = stale_entries(results)
    if stale:
        out.append("<h2>Baseline entries that now pass: remove them</h2><ul id='stale'>")
        out += [f"<li>{_e(r.node)} · {_e(r.check)}</li>" for r in stale]
        out.append("</ul>")
    accounts = sorted({(r.node, r.account_source) for r in results if r.account_source})
    if accounts:
        out.append("<h2>Accounts used</h2><ul class='meta'>")
        out += [f"<li>{_e(c)}: {_e(s)}</li>" for c, s in accounts]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --- writing ----------------------------------------------------------------------------------


def run_meta(results: Sequence[ReportRow]) -> dict[str, Any]:
    modes = sorted({r.outcome.mode for r in results if r.outcome.mode})
    return {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "mode": ", ".join(modes) or "-",
    }


def write_reports(
    directory: Path,
    results: Sequence[ReportRow],
    *,
    step_summary: str | None = None,
    meta: dict[str, Any] | None = None,
) -> list[Path]:
    """Write the three reports into `directory`; append the Markdown to `step_summary` if set.

    `meta` adds to the run's meta block (a shard's place in its fleet, which the merge checks).
    """
    meta = {**run_meta(results), **(meta or {})}
    markdown = render_markdown(results)
    written = [
        write_text_atomic(directory / JSON_NAME, render_json(results, meta=meta)),
        write_text_atomic(directory / MARKDOWN_NAME, markdown),
        write_text_atomic(directory / HTML_NAME, render_html(results, meta=meta)),
    ]
    if step_summary:
        with open(step_summary, "a", encoding="utf-8") as handle:
            handle.write(markdown + "\n")
    return written
