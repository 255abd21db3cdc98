"""Bad input gets one clear message naming the file, field or option, and a non-zero exit.

Never a traceback from the harness: every case here runs the real plugin and looks at all of
its output.
"""

import shutil

import pytest

from tests.helpers import EXAMPLE
from tests.helpers.cli import syncpeng


@pytest.fixture
def cats(pytester):
    folder = pytester.path / "cats"
    shutil.copytree(EXAMPLE, folder)
    return folder


def run(pytester, *args):
    result = pytester.runpytest(*args)
    output = result.stdout.str() + result.stderr.str()
    assert result.ret != 0, output
    assert "Traceback" not in output, output
    assert "INTERNALERROR" not in output, output
    return output


def test_a_connector_path_that_does_not_exist(pytester):
    output = run(pytester, "--connector=nowhere")
    assert "nowhere: no such folder, .py file or importable module" in output


def test_a_folder_without_the_module(pytester):
    (pytester.path / "empty").mkdir()
    assert "the folder has no dataSourceApp.py" in run(pytester, "--connector=empty")


def test_a_module_without_a_datasource_class(pytester, cats):
    (cats / "dataSourceApp.py").write_text("class Source:\n    pass\n")
    assert "defines no DataSource class" in run(pytester, "--connector=cats")


def test_a_module_that_fails_to_import(pytester, cats):
    (cats / "dataSourceApp.py").write_text("def broken(:\n")
    output = run(pytester, "--connector=cats")
    assert "dataSourceApp.py: importing it raised SyntaxError" in output


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"apiToken": "x",\n  "baseUrl": }', "account.json:2:14: invalid JSON: Expecting value"),
        ('["not", "an", "object"]', "account.json: must hold a JSON object, found list"),
    ],
)
def test_malformed_account_json(pytester, cats, text, message):
    (cats / "account.json").write_text(text)
    assert message in run(pytester, "--connector=cats")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("mock = cats", "conformance.toml: invalid TOML"),
        ('mock = "cats"\nmocks = "x"', "conformance.toml: unknown key 'mocks'"),
        (
            'mock = "cats"\n[capabilities]\ndeletes_in_updates = "yes"',
            "capabilities.deletes_in_updates must be true or false, got str 'yes'",
        ),
        (
            'mock = "cats"\n[capabilities]\ndeletes = true',
            "unknown key 'capabilities.deletes'; known keys are capabilities.deletes_in_updates",
        ),
        ('mock = "dogs"', "mock = 'dogs': unknown mock 'dogs'"),
        ('mock = "cats"\ntransport = "carrier-pigeon"', "transport = 'carrier-pigeon'"),
        (
            '[live]\npage_size_param = ""',
            "conformance.toml: live.page_size_param must name the query parameter the connector "
            "sends its page size in, e.g. page_size_param = \"_limit\"; got ''",
        ),
        ("[live]\npage_size_param = 5", "live.page_size_param must be a string, got int 5"),
        ('[live]\npage_size_param = "_limit=2"', "live.page_size_param must name the query"),
        (
            '[live]\npage_size_param = "_limit"\npage_size = 0',
            "live.page_size must be a whole number of records, at least 1 (default 1); got 0",
        ),
        (
            '[live]\npage_size_param = "_limit"\npage_size = "2"',
            "live.page_size must be a whole number, got str '2'",
        ),
        ("[live]\npage_size = 2", "live.page_size is set but live.page_size_param is not"),
        ("[live]\npage = 2", "unknown key 'live.page'; known keys are live.page_size_param"),
        (
            '[live]\nallow_unrouted = "api.test:443"',
            "live.allow_unrouted must be a list, got str 'api.test:443'",
        ),
        *[
            (
                f"[live]\nallow_unrouted = [{bad}]",
                'conformance.toml: live.allow_unrouted entries must be "host:port" (the address '
                'an unrouted client connects to, e.g. "api.example.com:443"); got ' + shown,
            )
            for bad, shown in [
                ('"api.test"', "'api.test'"),
                ('"api.test:https"', "'api.test:https'"),
                ('"api.test:0"', "'api.test:0'"),
                ('"https://api.test:443"', "'https://api.test:443'"),
                ('":443"', "':443'"),
                ("443", "443"),
            ]
        ],
    ],
)
def test_malformed_conformance_toml(pytester, cats, text, message):
    (cats / "conformance.toml").write_text(text)
    assert message in run(pytester, "--connector=cats")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"type": "object", "properties": {', "schema.json:1:"),
        ('{"type": 5}', "schema.json: not a valid JSON Schema at /type"),
        ('{"type": "array"}', 'a record schema must have "type": "object"'),
        (
            '{"type": "object", "properties": {"name": {"type": "string", "pattern": "^a"}}}',
            "#/properties/name: uses pattern, which the record generator does not support",
        ),
    ],
)
def test_malformed_schema(pytester, cats, text, message):
    (cats / "schema.json").write_text(text)
    assert message in run(pytester, "--connector=cats")


def _field(**node):
    import json

    return json.dumps({"type": "object", "properties": {"f": node}})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            _field(type="integer", minimum=10, maximum=5),
            "#/properties/f: minimum 10 is greater than maximum 5, so no value satisfies it",
        ),
        (
            _field(type="number", minimum=1.5, maximum=-1),
            "#/properties/f: minimum 1.5 is greater than maximum -1",
        ),
        (_field(enum=[]), "#/properties/f: an empty enum allows no value"),
        (
            _field(type="string", minLength=5, maxLength=2),
            "#/properties/f: minLength 5 is greater than maxLength 2, so no length satisfies it",
        ),
        (
            _field(type="array", items={"type": "string"}, minItems=3, maxItems=1),
            "#/properties/f: minItems 3 is greater than maxItems 1",
        ),
        (
            _field(type="integer", minimum=0.2, maximum=0.8),
            "#/properties/f: no integer lies between minimum 0.2 and maximum 0.8",
        ),
        (
            _field(type="array", items={"type": "integer", "minimum": 3, "maximum": 1}),
            "#/properties/f/items: minimum 3 is greater than maximum 1",
        ),
    ],
)
def test_an_unsatisfiable_schema_is_one_line_naming_the_field_and_exit_2(
    pytester, cats, text, message
):
    """Before: a harness traceback, hundreds of KiB of hypothesis internals. pytest reports it
    as the connector's load failure (as every load problem: exit 1, no check runs); syncpeng
    stops on it as on any bad input (exit 2)."""
    (cats / "schema.json").write_text(text)
    result = pytester.runpytest_subprocess("--connector=cats")
    output = result.stdout.str() + result.stderr.str()
    assert result.ret == 1, output
    assert "Traceback" not in output and "INTERNALERROR" not in output, output
    lines = [line for line in output.splitlines() if "schema.json" in line]
    # one message (the load failure's, repeated by pytest's short summary), naming the field
    assert lines and all(message in line for line in lines), output
    assert "cats::load" in output
    ran = syncpeng("get", "--mock", "--id", "x", cwd=cats)
    assert ran.code == 2, ran.err
    assert "Traceback" not in ran.err
    assert len(ran.err.strip().splitlines()) == 1 and message in ran.err, ran.err


def test_a_minimum_length_above_the_default_cap_is_generated_not_refused():
    """minLength 50 with no maxLength is satisfiable: the generator's own cap (40) gives way."""
    from hypothesis import given, settings

    from conformance.checks.strategies import value_strategy

    @settings(max_examples=5, database=None)
    @given(value_strategy({"type": "string", "minLength": 50}))
    def long_enough(text):
        assert len(text) >= 50

    long_enough()


def _unused(pytester, cats, text, message):
    (cats / "schema.json").write_text(text)
    assert message in run(pytester, "--connector=cats")


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ("--connector-mode=bogus", "--connector-mode=bogus is not available"),
        ("--connector-examples=0", "--connector-examples must be at least 1"),
        ("--connector-timeout=-1", "--connector-timeout must be a positive number"),
    ],
)
def test_bad_options(pytester, cats, option, message):
    assert message in run(pytester, "--connector=cats", option)


def test_a_glob_that_matches_nothing(pytester):
    assert "--connector=conn*/ matches no folder or .py file" in run(pytester, "--connector=conn*/")


def test_bad_input_in_a_subprocess_exits_non_zero_without_traceback(pytester, cats):
    (cats / "account.json").write_text("{")
    result = pytester.runpytest_subprocess("--connector=cats")
    output = result.stdout.str() + result.stderr.str()
    assert result.ret not in (0, 5)
    assert "account.json:1:2: invalid JSON" in output
    assert "Traceback" not in output
