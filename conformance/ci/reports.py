"""The run's findings for people and machines: conformance.json, conformance.md, conformance.html.

A fleet's gate is read in three places: a bot or dashboard reads the JSON, the PR's step summary
shows the Markdown (a connectors-by-checks matrix and one line per failure), and whoever has to
fix a failure opens the HTML page (one file, no external assets, so it works as a CI artifact
offline) to see each failure's field-level diff and the minimal calls that reproduce it.

Everything here works on `Result`s: an `Outcome` plus what pytest and the baseline made of it.
Nothing here reads accounts; no secret can reach a report.
"""

from __future__ import annotations

import html
import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from conformance.atomic import write_text_atomic
from conformance.checks import CHECKS

JSON_NAME, MARKDOWN_NAME, HTML_NAME = "conformance.json", "conformance.md", "conformance.html"
FINDINGS = ("failed", "error", "warned")


@dataclass
class Result:
    """One (connector, check) as the reports show it."""

    connector: str  # node ID: the --connector path, `/`-separated
    check: str
    status: str  # passed | failed | warned | skipped | error (the Outcome's status)
    name: str = ""  # the connector's own name (its folder)
    severity: str = ""
    suffers: str = ""
    message: str = ""
    script: str = ""
    warnings: list[str] = field(default_factory=list)
    duration: float = 0.0
    mode: str = ""
    verdict: str = ""  # what pytest made of it: passed | failed | skipped | xfailed | xpassed
    baseline: str = ""  # "" | known (a baselined failure) | stale (baselined, now passes)
    baseline_reason: str = ""
    account_source: str = ""

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Result:
        names = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in names})

    @property
    def anchor(self) -> str:
        return "f-" + "".join(c if c.isalnum() else "-" for c in f"{self.connector}--{self.check}")

    @property
    def gates(self) -> bool:
        """Whether this result fails the run (pytest's verdict, so strict and baseline count)."""
        return self.verdict == "failed"

    @property
    def headline(self) -> str:
        first = self.message.strip().splitlines()[0] if self.message.strip() else ""
        return first or self.suffers or self.status


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


def symbol(result: Result) -> str:
    if result.baseline == "known":
        return SYMBOLS["known"]
    if result.baseline == "stale":
        return SYMBOLS["passed"] + SYMBOLS["stale"]
    return SYMBOLS.get(result.status, "?")


def cell_class(result: Result) -> str:
    return result.baseline if result.baseline in ("known", "stale") else result.status


def summarize(results: Sequence[Result]) -> dict[str, int]:
    counts = {
        "connectors": len({r.connector for r in results}),
        "checks": len(results),
        "passed": 0,
        "failed": 0,
        "error": 0,
        "warned": 0,
        "skipped": 0,
        "known": 0,
        "stale": 0,
        "gating": sum(r.gates for r in results),
    }
    for r in results:
        if r.baseline in ("known", "stale"):
            counts[r.baseline] += 1
        if r.baseline != "known":
            counts[r.status] = counts.get(r.status, 0) + 1
    return counts


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def headline(results: Sequence[Result]) -> str:
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


def _columns(results: Sequence[Result]) -> list[str]:
    present = {r.check for r in results}
    ordered = [c for c in ("load", *(c.id for c in CHECKS)) if c in present]
    return ordered + sorted(present - set(ordered))


def _rows(results: Sequence[Result]) -> dict[str, dict[str, Result]]:
    rows: dict[str, dict[str, Result]] = {}
    for r in sorted(results, key=lambda r: r.connector):
        rows.setdefault(r.connector, {})[r.check] = r
    return rows


def findings(results: Iterable[Result]) -> list[Result]:
    """What a reader must look at: failures first, then errors, then known ones, then warnings."""
    order = {"failed": 0, "error": 1, "warned": 3}
    chosen = [r for r in results if r.status in FINDINGS]
    return sorted(
        chosen,
        key=lambda r: (order[r.status] + (2 if r.baseline == "known" else 0), r.connector, r.check),
    )


def stale_entries(results: Iterable[Result]) -> list[Result]:
    return sorted(
        (r for r in results if r.baseline == "stale"), key=lambda r: (r.connector, r.check)
    )


# --- JSON -------------------------------------------------------------------------------------


def render_json(results: Sequence[Result], *, meta: dict[str, Any] | None = None) -> str:
    payload = {
        "version": 1,
        "meta": meta or {},
        "summary": summarize(results),
        "results": [asdict(r) for r in sorted(results, key=lambda r: (r.connector, r.check))],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


# --- Markdown ---------------------------------------------------------------------------------


def _code(text: str) -> str:
    """An inline code span that survives backticks and pipes in the text."""
    text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def render_markdown(results: Sequence[Result]) -> str:
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
            kind = {"warned": "warning", "error": "error"}.get(r.status, "failure")
            lines.append(
                f"- {symbol(r)} {_code(r.connector)} · {_code(r.check)} ({kind}) — "
                + (f"{r.suffers}: " if r.suffers else "")
                + _code(r.headline)
                + (f" ({tag})" if tag else "")
            )
        lines.append("")
    stale = stale_entries(results)
    if stale:
        lines += ["### Baseline entries that now pass (remove them)", ""]
        lines += [f"- {_code(r.connector)} · {_code(r.check)}" for r in stale]
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


def render_html(results: Sequence[Result], *, meta: dict[str, Any] | None = None) -> str:
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
                if r.status in FINDINGS:
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
        css = "known" if r.baseline == "known" else r.status
        out.append(f"<section class='finding {css}' id='{_e(r.anchor)}'>")
        word = WORDS[cell_class(r)]
        out.append(f"<h3>{_e(word)}: {_e(r.connector)} · {_e(r.check)}</h3>")
        if r.suffers:
            out.append(f"<p class='suffers'>{_e(r.suffers)}</p>")
        if r.baseline == "known":
            out.append(f"<p>Known failure (baseline): {_e(r.baseline_reason)}</p>")
        out.append(
            f"<p class='meta'>status: {_e(r.status)} · severity: {_e(r.severity or '-')} · "
            f"mode: {_e(r.mode or '-')} · {r.duration:.2f} s</p>"
        )
        if r.message:
            out.append(f"<h4>What happened</h4><pre class='diff'>{_e(r.message)}</pre>")
        if r.script:
            out.append(
                "<h4>Reproduce with these calls (minimal example)</h4>"
                f"<pre class='script'>{_e(r.script)}</pre>"
            )
        out.append("</section>")
    stale = stale_entries(results)
    if stale:
        out.append("<h2>Baseline entries that now pass: remove them</h2><ul id='stale'>")
        out += [f"<li>{_e(r.connector)} · {_e(r.check)}</li>" for r in stale]
        out.append("</ul>")
    accounts = sorted({(r.connector, r.account_source) for r in results if r.account_source})
    if accounts:
        out.append("<h2>Accounts used</h2><ul class='meta'>")
        out += [f"<li>{_e(c)}: {_e(s)}</li>" for c, s in accounts]
        out.append("</ul>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"


# --- writing ----------------------------------------------------------------------------------


def run_meta(results: Sequence[Result]) -> dict[str, Any]:
    modes = sorted({r.mode for r in results if r.mode})
    return {
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC"),
        "mode": ", ".join(modes) or "-",
    }


def write_reports(
    directory: Path, results: Sequence[Result], *, step_summary: str | None = None
) -> list[Path]:
    """Write the three reports into `directory`; append the Markdown to `step_summary` if set."""
    meta = run_meta(results)
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
