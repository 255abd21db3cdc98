"""The connector folder the UI was started on: what is in it, and the only place it writes.

The connector is loaded afresh for every action (`spec()`), so an edit to dataSourceApp.py,
schema.json or account.json is picked up by the next run without restarting the UI. Everything
shown about the account passes through the CLI's `Masker` (recording/scrub.py's one secret
policy): the values are never rendered, only which keys there are and where they came from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from conformance.atomic import write_text_atomic
from conformance.cli.console import MASK, Masker
from conformance.cli.in_json import COMMANDS
from conformance.cli.method_call import STATE_FILE
from conformance.connector.accounts import resolve_account
from conformance.connector.files import read_json_object, read_settings
from conformance.connector.load import ConnectorSpec, load_connector
from conformance.connector.schema import Schema, parse_schema
from conformance.errors import InputError
from conformance.ui.jobs import LOADING

IN_JSON = "in.json"
REPORT_DIR = "conformance-report"
METHODS = ("init", *COMMANDS)

# What each file of a connector folder is for, in the order an author meets them.
FILES = (
    ("dataSourceApp.py", "the module (Python): the DataSource class the platform runs"),
    ("dataSourceApp.js", "the module (NodeJS): the DataSource class the platform runs"),
    ("package.json", "the NodeJS module's package (type, dependencies)"),
    ("account.json", "your real credentials, passed to init (keep it out of git)"),
    ("account.example.json", "the account's keys with placeholders (committed)"),
    ("schema.json", "the record's fields: which are writable, which the server sets"),
    ("conformance.toml", "harness settings: the mock API, capabilities, transport"),
    (IN_JSON, "the inputs of each method for `syncpeng <method>` and the Run view"),
    (STATE_FILE, "the persistent mock's records, kept between runs"),
)


@dataclass
class Workspace:
    folder: Path
    cassette_dir: Path | None = None

    def spec(self) -> ConnectorSpec:
        """The connector as it is on disk now (bad files are an InputError, shown inline)."""
        with LOADING:
            return load_connector(str(self.folder))

    def masker(self, spec: ConnectorSpec | None = None) -> Masker:
        return Masker((spec or self.spec()).account)

    def mode(self, spec: ConnectorSpec) -> str:
        """Where the checks run: the committed cassettes if given, else the mock, else live."""
        return "replay" if self.cassette_dir else ("mock" if spec.settings.mock else "live")

    def inside(self, name: str) -> Path:
        """A path for writing, refused unless it stays inside the connector folder."""
        path = (self.folder / name).resolve()
        if not path.is_relative_to(self.folder.resolve()):
            raise InputError(f"{name}: outside the connector folder {self.folder}; refused")
        return path

    # -- the Module view ------------------------------------------------------------------

    def module_view(self) -> dict[str, Any]:
        files = [
            {"name": name, "purpose": purpose, "present": (self.folder / name).is_file()}
            for name, purpose in FILES
        ]
        view: dict[str, Any] = {"folder": str(self.folder), "files": files}
        try:
            spec = self.spec()
        except InputError as exc:
            # The module does not load: what the other files say is still true and still
            # shown (mode, mock, schema, account), each file read on its own.
            view["error"] = str(exc)
            view.update(self._facts_without_the_module())
            return view
        view.update(
            name=spec.name,
            module=spec.source.name if spec.source else spec.name,
            fields=_fields(spec.schema),
            account={"source": spec.account_source.describe(), "keys": _masked(spec.account)},
            mode=self.mode(spec),
            mock=spec.settings.mock or None,
            cassettes=self.cassette_names(),
        )
        return view

    def _facts_without_the_module(self) -> dict[str, Any]:
        facts: dict[str, Any] = {"name": self.folder.name, "cassettes": self.cassette_names()}
        problems = []
        try:
            settings = read_settings(self.folder / "conformance.toml")
            facts["mock"] = settings.mock or None
            facts["mode"] = "replay" if self.cassette_dir else ("mock" if settings.mock else "live")
        except InputError as exc:
            problems.append(str(exc))
        try:
            data = read_json_object(self.folder / "schema.json", required=False)
            if data is not None:
                facts["fields"] = _fields(parse_schema(data, str(self.folder / "schema.json")))
        except InputError as exc:
            problems.append(str(exc))
        try:
            account, source = resolve_account(self.folder.name, self.folder)
            facts["account"] = {"source": source.describe(), "keys": _masked(account)}
        except InputError as exc:
            problems.append(str(exc))
        if problems:
            facts["other_errors"] = problems
        return facts

    def cassette_names(self) -> list[str]:
        if self.cassette_dir is None or not self.cassette_dir.is_dir():
            return []
        return sorted(p.stem for p in self.cassette_dir.glob("*.json"))

    # -- in.json ------------------------------------------------------------------------------

    def inputs(self) -> dict[str, Any]:
        """in.json's blocks ({} when there is none yet); a malformed file is an InputError."""
        return read_json_object(self.folder / IN_JSON, required=False) or {}

    def inputs_view(self) -> dict[str, Any]:
        """in.json for the editor: a malformed file is said (with its line and column) and the
        editor still gets the method list and a starting block for each method; the init
        block comes masked (it is the account's place), `reveal_init` hands it over."""
        view: dict[str, Any] = {"methods": list(METHODS), "inputs": {}, "error": None}
        try:
            view["inputs"] = self.inputs()
        except InputError as exc:
            view["error"] = str(exc)
        init = view["inputs"].get("init")
        if isinstance(init, dict) and init:
            view["inputs"]["init"] = {key: MASK for key in init}
            view["init_masked"] = True
        return view

    def reveal_init(self) -> dict[str, Any]:
        init = self.inputs().get("init")
        return {"init": init if isinstance(init, dict) else {}}

    def save_block(self, command: str, block: Any) -> Path:
        """Write one block back into in.json atomically, keeping the file's other blocks."""
        if command not in METHODS:
            raise InputError(f"{command!r}: not a method; one of {', '.join(METHODS)}")
        if not isinstance(block, dict):
            raise InputError(f'the "{command}" block must be a JSON object, e.g. {{"id": "..."}}')
        document = self.inputs()
        document[command] = block
        text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
        return write_text_atomic(self.inside(IN_JSON), text)


def _fields(schema: Schema | None) -> list[dict[str, Any]]:
    if schema is None:
        return []
    return [
        {
            "name": name,
            "type": node.get("type", "enum" if "enum" in node else "any"),
            "writable": name not in schema.read_only,
            "required": name in schema.required,
        }
        for name, node in schema.properties.items()
    ]


def _masked(account: dict[str, Any]) -> dict[str, str]:
    """Each key with its value hidden; URLs stay (they say where calls go, as in -v)."""
    shown = Masker(account)
    return {
        key: shown(value) if isinstance(value, str) and "://" in value else MASK
        for key, value in account.items()
    }
