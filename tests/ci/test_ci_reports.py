"""The three reports, from results alone: matrix, findings, escaping, self-containment."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conformance.ci.reports import render_html, render_markdown, write_reports
from conformance.outcome import ReportRow
from tests.helpers import mode, report_row, umask

HOSTILE = '<script>alert("x")</script> | `tick`'


def sample() -> list[ReportRow]:
    return [
        report_row("c/a", "crud.delete", "passed", mode="replay", verdict="passed"),
        report_row(
            "c/a",
            "crud.round-trip",
            "failed",
            severity="failure",
            suffers="a record written is not the record stored",
            message=f"fields differ:\n  name: expected {HOSTILE}",
            script='insert({"name": "<b>"})',
            mode="replay",
            verdict="failed",
        ),
        report_row(
            "c/b",
            "crud.delete",
            "failed",
            verdict="xfailed",
            baseline="known",
            baseline_reason="vendor bug #1",
            suffers="deleted records come back",
        ),
        report_row(
            "c/b",
            "crud.round-trip",
            "warned",
            severity="warning",
            message="twice",
            verdict="passed",
        ),
        report_row("c/c", "crud.delete", "passed", verdict="xpassed", baseline="stale"),
        report_row("c/c", "crud.round-trip", "skipped", verdict="skipped"),
    ]


def test_markdown_is_a_matrix_with_a_line_per_finding() -> None:
    text = render_markdown(sample())
    assert text.startswith("## Connector conformance FAILS: 2 passed, 1 failed, 1 warning")
    assert "| connector | `crud.round-trip` | `crud.delete` |" in text
    assert "| `c/a` | ❌ | ✅ |" in text
    assert "| `c/b` | ⚠️ | 📌 |" in text
    assert "| `c/c` | ⏭️ | ✅🧹 |" in text
    findings = text.split("### Findings")[1].split("### Baseline")[0]
    lines = [line for line in findings.splitlines() if line.startswith("- ")]
    assert len(lines) == 3
    assert lines[0].startswith("- ❌ `c/a` · `crud.round-trip` (failure)")
    assert "known failure, baseline: vendor bug #1" in lines[1]
    assert lines[2].startswith("- ⚠️ `c/b` · `crud.round-trip` (warning)")
    assert "- `c/c` · `crud.delete`" in text.split("### Baseline")[1]


def test_a_run_without_gating_failures_passes() -> None:
    calm = [r for r in sample() if r.verdict != "failed"]
    assert render_markdown(calm).startswith("## Connector conformance passes")


def test_html_escapes_everything_from_connectors_and_needs_nothing_external() -> None:
    page = render_html(sample())
    assert "<script>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert "insert({&quot;name&quot;: &quot;&lt;b&gt;&quot;})" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    # each finding in the matrix links to its section
    assert "href='#f-c-a--crud-round-trip'" in page and "id='f-c-a--crud-round-trip'" in page


def test_json_carries_each_result_and_a_summary(tmp_path: Path) -> None:
    paths = write_reports(tmp_path / "out", sample())
    assert [p.name for p in paths] == ["conformance.json", "conformance.md", "conformance.html"]
    data = json.loads(paths[0].read_text())
    assert data["summary"]["gating"] == 1 and data["summary"]["known"] == 1
    first = data["results"][0]
    assert {"connector", "check", "status", "severity", "message", "duration", "mode"} <= set(first)
    assert data["meta"]["mode"] == "replay"


def test_the_row_keys_are_the_published_format() -> None:
    # conformance.json is read by bots and dashboards: these keys, in this order, are its format
    assert list(sample()[1].to_json()) == [
        "connector",
        "check",
        "status",
        "name",
        "severity",
        "suffers",
        "message",
        "script",
        "warnings",
        "duration",
        "mode",
        "verdict",
        "baseline",
        "baseline_reason",
        "account_source",
        "coverage",  # added after the first format: a new key, never a renamed one
    ]


def test_a_row_survives_its_json_form_with_node_and_name_apart() -> None:
    row = sample()[1]
    data = json.loads(json.dumps(row.to_json()))
    assert (data["connector"], data["name"], data["status"]) == ("c/a", "a", "failed")
    assert ReportRow.from_json(data) == row


def test_reports_get_the_mode_any_new_file_gets(tmp_path: Path) -> None:
    with umask(0o022):
        paths = write_reports(tmp_path / "out", sample())
    assert [oct(mode(p)) for p in paths] == ["0o644"] * 3
