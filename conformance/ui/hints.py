"""The harness's advice, reworded for the page: a CLI flag the author cannot type here is
replaced by the field or button that does the same thing in the UI.

The checks and the Session speak to `pytest`/`syncpeng` users ("raise it with
--connector-timeout"); the same text reaches the UI unchanged, so each rule here maps one such
hint to the control of this page. A hint without a UI counterpart keeps its command but is said
to be one ("from the command line").
"""

from __future__ import annotations

import re

_RULES = (
    (re.compile(r"raise it\s+with --connector-timeout"), "raise it in the per-call timeout field"),
    (
        re.compile(r"Replay exactly this example: add --connector-replay=(\S+) -k sync\.stateful"),
        r"Replay exactly this example from the command line (pytest --connector-replay=\1 "
        r"-k sync.stateful)",
    ),
    (re.compile(r"--connector-examples"), "the examples field"),
)


def for_the_page(text: str) -> str:
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text
