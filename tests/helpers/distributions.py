"""Fake installed distributions: a site folder holding a package and its .dist-info, written the
way pip writes them (METADATA, RECORD, and PEP 610's direct_url.json when not from an index)."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path


def fake_distribution(
    site: Path,
    name: str = "connector-conformance",
    version: str = "1.2.3",
    *,
    direct_url: dict | None = None,
    package: str = "conformance",
    init: str = "",
) -> metadata.Distribution:
    """A distribution installed into `site`, owning `site/package/__init__.py`."""
    (site / package).mkdir(parents=True, exist_ok=True)
    (site / package / "__init__.py").write_text(init)
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    records = [f"{package}/__init__.py,,", f"{info.name}/METADATA,,", f"{info.name}/RECORD,,"]
    if direct_url is not None:
        (info / "direct_url.json").write_text(json.dumps(direct_url))
        records.append(f"{info.name}/direct_url.json,,")
    (info / "RECORD").write_text("\n".join(records) + "\n")
    return metadata.PathDistribution(info)
