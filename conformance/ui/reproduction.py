"""A failing check's reproduction, stepped through against the persistent mock one call at a time.

An outcome carries its reproduction as the script the reports print (one call a line, `get("a1")
# -> {...}`, and `# another client patches a1: {...}` for what happened around the calls). Here
it is read back into steps and run one by one through the Run view's path (ui/methods.py), so
each step shows its value and every page's request and response, as a method run does.

What a replay cannot copy from the check is said on its step, never guessed silently:
- Each step is a method run of its own: a fresh module instance, inited with the account, as
  the Run view does (the check ran its calls on one instance).
- Ids and tokens are the mock's: an id the check's insert got back is replaced, in later steps,
  by the id this replay's insert got back; a getUpdates token by the nextSync this replay got
  for the same token, else by this replay's last nextSync (the chain a platform walks).
- Another client's creates, patches and deletes are done on the mock, as the timeline's
  "another client" writes; other notes (a fault switched on, the clock moved, a write made
  while a call was in flight) are shown and skipped: the persistent mock has no fault to switch
  on and a step cannot interleave a write inside a call. sync.stateful's own replay (the
  failure's blob, its Replay button) reproduces those exactly.
- An argument the report cut (a long value ends in `...`) cannot be replayed: open that step in
  Run and fill it in.
"""

from __future__ import annotations

import json
import re
from typing import Any

from conformance.errors import InputError
from conformance.ui import traffic
from conformance.ui.jobs import Busy
from conformance.ui.methods import run_method
from conformance.ui.mockdata import as_other, reset
from conformance.ui.workspace import Workspace

_CALL = re.compile(r"^(\w+)\((.*)$", re.DOTALL)
_REPEATED = re.compile(r"  \(× \d+: the same call and answer \d+ times in a row\)$")
_OTHER = re.compile(r"^another client (creates|patches|deletes) (\S+?)(?::? (\{.*\}))?$")
_COMMANDS = {
    "get": "get",
    "insert": "insert",
    "patch": "patch",
    "delete": "delete",
    "get_updates": "getupdates",
    "getUpdates": "getupdates",
}
_OTHER_ACTIONS = {"creates": "insert", "patches": "patch", "deletes": "delete"}
_NOT_RUN = object()
_DURING = (
    "the check made this write while the call was in flight; a step here cannot interleave a "
    "write inside a call, so it is not replayed (the Replay button of sync.stateful does)"
)


def parse(script: str) -> list[dict[str, Any]]:
    """The script's lines as steps: calls with their arguments, another client's writes, notes."""
    steps = []
    for line in script.splitlines():
        line = _REPEATED.sub("", line.strip())
        if not line:
            continue
        steps.append({"n": len(steps) + 1, "line": line, **_step(line)})
    return steps


def last_call(script: str) -> dict[str, Any] | None:
    """The reproduction's last call the UI can run (the one that failed, most often), for the
    Checks view's "open in Run"."""
    calls = [s for s in parse(script) if s["kind"] == "call" and "args" in s]
    return calls[-1] if calls else None


def _step(line: str) -> dict[str, Any]:
    if line.startswith("#"):
        note = line.lstrip("# ").strip()
        other = _OTHER.match(note)
        if note.startswith("(during the call above)") or note.startswith("another client will"):
            return {"kind": "note", "why": _DURING}
        if other is None:
            return {"kind": "note", "why": "not a call: shown, not replayed on the mock"}
        fields = _json_or(other.group(3), None)
        return {
            "kind": "other",
            "action": _OTHER_ACTIONS[other.group(1)],
            "id": other.group(2),
            "fields": fields,
        }
    found = _CALL.match(line)
    if found is None:
        return {"kind": "note", "why": "not a call"}
    name, rest = found.group(1), found.group(2)
    if name == "init":
        return {"kind": "note", "why": "every step inits the module with the account first"}
    command = _COMMANDS.get(name)
    if command is None:
        return {"kind": "note", "why": f"{name}: not a method the UI runs"}
    args, outcome = _arguments(rest)
    step: dict[str, Any] = {"kind": "call", "command": command, "outcome": outcome}
    if args is None:
        step["why"] = "an argument was cut in the report: open it in Run and fill it in"
    else:
        step["args"] = args
    return step


def _arguments(rest: str) -> tuple[list[Any] | None, str]:
    """The JSON arguments up to the closing parenthesis, and the `# ...` comment after it."""
    decoder = json.JSONDecoder()
    args: list[Any] = []
    i = 0
    while True:
        if rest.startswith(")", i):
            i += 1
            break
        if args:
            if not rest.startswith(", ", i):
                return None, ""
            i += 2
        try:
            value, i = decoder.raw_decode(rest, i)
        except ValueError:
            return None, ""
        if _was_cut(value):
            return None, ""
        args.append(value)
    comment = rest[i:].strip()
    return args, comment[1:].strip() if comment.startswith("#") else comment


def _was_cut(value: Any) -> bool:
    """Whether a string in `value` was cut for the report (conformance/shown.py's marker)."""
    if isinstance(value, str):
        return "... [cut: " in value
    if isinstance(value, dict):
        return any(_was_cut(v) for v in value.values())
    if isinstance(value, list):
        return any(_was_cut(v) for v in value)
    return False


def _json_or(text: str | None, default: Any) -> Any:
    if text is None:
        return default
    try:
        return json.loads(text)
    except ValueError:
        return default


def _returned(outcome: str) -> Any:
    """What the check's call returned, from its `-> value` comment, if it reads back whole."""
    if not outcome.startswith("-> "):
        return _NOT_RUN
    value = _json_or(outcome[3:].split("  (outside")[0], _NOT_RUN)
    return value


class Reproduction:
    """One loaded reproduction and how far the replay got."""

    def __init__(self, check: str, script: str, message: str) -> None:
        self.check = check
        self.message = message
        self.steps = parse(script)
        self.position = 0
        self.ids: dict[str, str] = {}  # the check's id -> this replay's
        self.tokens: dict[str, Any] = {}  # the check's nextSync (JSON) -> this replay's
        self.last_token: Any = None

    def view(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "message": self.message,
            "steps": self.steps,
            "position": self.position,
            "done": self.position >= len(self.steps),
        }

    def start(self, ws: Workspace, *, empty: bool) -> dict[str, Any]:
        if empty:
            reset(ws)  # the check began on an empty mock
        return self.view()

    def step(self, ws: Workspace) -> dict[str, Any]:
        if self.position >= len(self.steps):
            raise InputError("the reproduction has no step left: load it again to start over")
        step = self.steps[self.position]
        self.position += 1
        try:
            if step["kind"] == "call" and "args" in step:
                self._call(ws, step)
            elif step["kind"] == "other":
                self._other(ws, step)
        except Busy:  # another run holds the connector: this step has not happened
            self.position -= 1
            raise
        except InputError as exc:  # refused before the module ran (a step the mock refuses)
            step["ran"] = {"ok": False, "error": str(exc), "exchanges": []}
        return self.view()

    def _mapped(self, value: Any) -> Any:
        if isinstance(value, str):
            return self.ids.get(value, value)
        if isinstance(value, dict):
            return {k: self._mapped(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self._mapped(v) for v in value]
        return value

    def _call(self, ws: Workspace, step: dict[str, Any]) -> None:
        command, args = step["command"], step["args"]
        if command == "getupdates":
            token = args[0] if args else None
            if token is not None:
                token = self.tokens.get(json.dumps(token, sort_keys=True), self.last_token)
            block: dict[str, Any] = {"lastSync": token}
        else:
            args = self._mapped(args)
            names = {"get": ["id"], "insert": ["value"], "patch": ["id", "value"]}
            block = dict(zip(names.get(command, ["id"]), args, strict=False))
        step["block"] = block
        ran = run_method(ws, command, block)
        returned = _returned(step.get("outcome", ""))
        value = ran.get("value")
        if command == "insert" and ran["ok"]:
            self._learn_id(returned, value)
        if command == "getupdates" and ran["ok"] and isinstance(value, dict):
            self.last_token = json.loads(json.dumps(value.get("nextSync")))
            if isinstance(returned, dict) and "nextSync" in returned:
                self.tokens[json.dumps(returned["nextSync"], sort_keys=True)] = self.last_token
        step["ran"] = {
            "ok": ran["ok"],
            "error": ran.get("error", ""),
            "value_text": ran["value_text"],
            "duration_ms": ran["duration_ms"],
            "pages": traffic.paged(ran["exchanges"]) if command == "getupdates" else [],
            "exchanges": ran["exchanges"],
            "nextSync": value.get("nextSync") if isinstance(value, dict) else None,
        }

    def _learn_id(self, returned: Any, value: Any) -> None:
        old = returned.get("id") if isinstance(returned, dict) else returned
        new = value.get("id") if isinstance(value, dict) else value
        if isinstance(old, str) and isinstance(new, str):
            self.ids[old] = new

    def _other(self, ws: Workspace, step: dict[str, Any]) -> None:
        action = step["action"]
        id = None if action == "insert" else self._mapped(step["id"])
        fields = step.get("fields") or {}
        written = as_other(ws, action, id, self._mapped(fields) if action != "delete" else None)
        done = written.get("written")
        if action == "insert" and isinstance(done, dict) and isinstance(done.get("id"), str):
            self.ids[step["id"]] = done["id"]
        step["ran"] = {"ok": True, "error": "", "value_text": json.dumps(done, indent=2)}
