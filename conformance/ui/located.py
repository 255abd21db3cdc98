"""Pretty JSON that knows where each value is: the Run view marks a schema violation's line.

`pretty` writes what `json.dumps(value, indent=2, ensure_ascii=False)` writes (the CLI's
`to_json`, so the page shows what `syncpeng` prints), and also the 0-based line on which each
JSON path (`$.entries[0].value.age`, jsonschema's `json_path` spelling) starts.
"""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def pretty(value: Any) -> tuple[str, dict[str, int]]:
    lines: list[str] = []
    where: dict[str, int] = {}
    _write(value, "$", 0, "", lines, where)
    return "\n".join(lines), where


def child(path: str, key: Any) -> str:
    """jsonschema's json_path of `key` under `path`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if _PLAIN_KEY.match(str(key)) else f"{path}[{json.dumps(str(key))}]"


def _write(
    value: Any, path: str, depth: int, head: str, lines: list[str], where: dict[str, int]
) -> None:
    pad = "  " * depth
    where[path] = len(lines)
    if isinstance(value, dict) and value:
        lines.append(pad + head + "{")
        items = list(value.items())
        for i, (key, item) in enumerate(items):
            start = len(lines)
            _write(item, child(path, key), depth + 1, json.dumps(str(key), ensure_ascii=False) +
                   ": ", lines, where)  # fmt: skip
            if i < len(items) - 1:
                lines[-1] += ","
            where.setdefault(child(path, key), start)
        lines.append(pad + "}")
    elif isinstance(value, list) and value:
        lines.append(pad + head + "[")
        for i, item in enumerate(value):
            _write(item, child(path, i), depth + 1, "", lines, where)
            if i < len(value) - 1:
                lines[-1] += ","
        lines.append(pad + "]")
    else:
        text = json.dumps(value, ensure_ascii=False, default=repr)
        lines.append(pad + head + text)
