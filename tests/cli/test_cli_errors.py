"""Bad input and misbehaving connectors: one clear line on stderr, the right exit code, and a
traceback only when -v asks for one. Secrets never reach the output."""

from __future__ import annotations

import json

import pytest

from mock_api import CatsAPI
from tests.helpers import HANG_TIMEOUT
from tests.helpers.cli import connector_folder, edit_json, scaffolded, syncpeng

SECRET = "s3cret-token-value"

ECHO_ACCOUNT = """
class DataSource:
    def init(self, account):
        self.account = account

    def get(self, id):
        return {"id": id, "account": self.account}

    def insert(self, value):
        raise RuntimeError("the API refused token " + self.account["apiToken"])

    def patch(self, id, value):
        return None

    def delete(self, id):
        return None

    def get_updates(self, last_sync):
        return {"nextSync": 1, "entires": [{"id": "a", "type": "upsert", "value": {}}]}
"""


def one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.startswith("syncpeng: error: ")]
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# -- in.json ----------------------------------------------------------------------------------


@pytest.fixture
def cats(tmp_path):
    return scaffolded(tmp_path / "cats")


def test_missing_in_json_is_named_with_an_example_of_the_block(cats):
    (cats / "in.json").unlink()
    ran = syncpeng("get", "--mock", cwd=cats)
    assert ran.code == 2
    assert "in.json: file not found" in one_error_line(ran.err)
    assert '{"get": {"id":' in ran.err


def test_missing_block(cats):
    (cats / "in.json").write_text('{"insert": {"value": {}}}')
    ran = syncpeng("get", "--mock", cwd=cats)
    assert ran.code == 2
    assert 'no "get" block' in one_error_line(ran.err)


def test_a_misspelt_key_is_named_with_the_right_spelling(cats):
    edit_json(cats / "in.json", getupdates={"lastsync": None})
    ran = syncpeng("getupdates", "--mock", cwd=cats)
    assert ran.code == 2
    line = one_error_line(ran.err)
    assert 'the "getupdates" block has no "lastSync"' in line and '"lastsync"' in line


@pytest.mark.parametrize(
    ("block", "says"),
    [
        ({"get": {"id": 42}}, '"get"."id" must be a non-empty string, found a number (42)'),
        ({"get": {"id": ""}}, '"get"."id" must be a non-empty string'),
        ({"get": ["x"]}, '"get" must be an object'),
    ],
)
def test_values_of_the_wrong_type(cats, block, says):
    edit_json(cats / "in.json", **block)
    ran = syncpeng("get", "--mock", cwd=cats)
    assert ran.code == 2
    assert says in one_error_line(ran.err)


def test_insert_value_must_be_an_object(cats):
    edit_json(cats / "in.json", insert={"value": "Oliver"})
    ran = syncpeng("insert", "--mock", cwd=cats)
    assert ran.code == 2 and '"insert"."value" must be an object' in one_error_line(ran.err)


def test_malformed_json_gives_file_line_and_column(cats):
    (cats / "in.json").write_text('{\n  "get": {\n    "id": "x",\n  }\n}\n')
    ran = syncpeng("get", "--mock", cwd=cats)
    assert ran.code == 2
    assert f"{cats / 'in.json'}:4:3: invalid JSON" in one_error_line(ran.err)


def test_keys_that_are_not_read_are_warned_about_and_the_run_goes_on(cats):
    edit_json(cats / "in.json", get={"id": "nope", "vaule": {}})
    ran = syncpeng("get", "--mock", cwd=cats)
    assert (ran.code, ran.json()) == (0, None)
    assert "warning:" in ran.err and '"get"."vaule" is not read' in ran.err


# -- account.json -----------------------------------------------------------------------------


def test_missing_account_json_says_to_copy_the_example(cats):
    """Against the real API an account is needed (with --mock it is not: README)."""
    (cats / "account.json").unlink()
    assert syncpeng("insert", "--mock", cwd=cats).code == 0
    ran = syncpeng("insert", cwd=cats)
    assert ran.code == 2
    line = one_error_line(ran.err)
    assert "copy account.example.json to account.json" in line
    assert "or set CONFORMANCE_ACCOUNT_CATS" in line


def test_missing_credential_is_named(cats):
    (cats / "account.json").write_text("{}")
    ran = syncpeng("insert", "--mock", cwd=cats)
    assert ran.code == 2
    assert 'no "apiToken" (account.example.json lists it)' in one_error_line(ran.err)


def test_placeholder_credential_outside_the_mock_points_to_mock(cats):
    ran = syncpeng("insert", cwd=cats)
    assert ran.code == 2
    assert "still the placeholder" in one_error_line(ran.err) and "--mock" in ran.err


def test_the_account_environment_variable_wins_over_account_json(tmp_path):
    # the same order as pytest --connector: CONFORMANCE_ACCOUNT_<NAME>, then account.json
    folder = connector_folder(tmp_path / "echo", ECHO_ACCOUNT, account={"apiToken": "from-file"})
    account = {"apiToken": SECRET, "region": "eu"}
    ran = syncpeng("get", "--id", "1", cwd=folder, CONFORMANCE_ACCOUNT_ECHO=json.dumps(account))
    assert ran.code == 0, ran.err
    assert ran.json()["account"] == account


def test_the_account_environment_variable_is_enough_without_account_json(tmp_path):
    folder = connector_folder(tmp_path / "echo", ECHO_ACCOUNT, account={"apiToken": "x"})
    (folder / "account.json").unlink()
    env = json.dumps({"apiToken": SECRET})
    ran = syncpeng("get", "--id", "1", cwd=folder, CONFORMANCE_ACCOUNT_ECHO=env)
    assert ran.code == 0, ran.err
    assert ran.json()["account"] == {"apiToken": SECRET}


def test_a_bad_account_environment_variable_is_named_and_not_echoed(tmp_path):
    folder = connector_folder(tmp_path / "echo", ECHO_ACCOUNT, account={"apiToken": "x"})
    ran = syncpeng("get", "--id", "1", cwd=folder, CONFORMANCE_ACCOUNT_ECHO="{" + SECRET)
    assert ran.code == 2
    assert "environment variable CONFORMANCE_ACCOUNT_ECHO: invalid JSON" in one_error_line(ran.err)
    assert SECRET not in ran.err


def test_an_account_from_the_environment_is_checked_against_the_example(cats):
    ran = syncpeng("insert", "--mock", cwd=cats, CONFORMANCE_ACCOUNT_CATS='{"region": "eu"}')
    assert ran.code == 2
    line = one_error_line(ran.err)
    assert "environment variable CONFORMANCE_ACCOUNT_CATS" in line and 'no "apiToken"' in line


def test_with_mock_an_account_from_the_environment_is_pointed_at_the_mock(cats):
    account = {"apiToken": SECRET, "baseUrl": "https://nowhere.invalid"}
    ran = syncpeng("insert", "--mock", "-v", cwd=cats, CONFORMANCE_ACCOUNT_CATS=json.dumps(account))
    assert ran.code == 0, ran.err
    assert "> POST https://api.cats.test/cats" in ran.err and "nowhere.invalid" not in ran.err
    assert SECRET not in ran.err


def test_init_block_of_in_json_is_merged_over_account_json(tmp_path):
    folder = connector_folder(
        tmp_path / "echo", ECHO_ACCOUNT, account={"apiToken": SECRET, "region": "eu"}
    )
    edit_json(folder / "in.json", init={"region": "us"})
    ran = syncpeng("get", "--id", "7", cwd=folder)
    assert ran.code == 0, ran.err
    assert ran.json()["account"] == {"apiToken": SECRET, "region": "us"}


# -- the connector misbehaving: exit 1 ---------------------------------------------------------


def test_a_raising_connector_is_one_line_and_its_secret_is_masked(tmp_path):
    folder = connector_folder(tmp_path / "echo", ECHO_ACCOUNT, account={"apiToken": SECRET})
    ran = syncpeng("insert", cwd=folder)
    assert ran.code == 1
    line = one_error_line(ran.err)
    assert "insert(" in line and "raised RuntimeError: the API refused token ***" in line
    assert SECRET not in ran.err + ran.out


def test_verbose_adds_the_connectors_own_traceback(tmp_path):
    folder = connector_folder(tmp_path / "echo", ECHO_ACCOUNT, account={"apiToken": SECRET})
    ran = syncpeng("insert", "-v", cwd=folder)
    assert ran.code == 1
    assert "connector traceback:" in ran.err and "dataSourceApp.py" in ran.err
    assert SECRET not in ran.err


def test_a_result_outside_the_contract_is_shown_raw_and_named(tmp_path):
    folder = connector_folder(tmp_path / "echo", ECHO_ACCOUNT, account={"apiToken": SECRET})
    ran = syncpeng("getupdates", cwd=folder)
    assert ran.code == 1
    assert "entires" in ran.json()  # the author sees what their method returned
    assert 'returned the key "entires"' in one_error_line(ran.err)


def test_a_hanging_connector_is_stopped_by_the_timeout(tmp_path):
    source = ECHO_ACCOUNT.replace(
        'return {"id": id, "account": self.account}', "import time; time.sleep(60)"
    )
    folder = connector_folder(tmp_path / "slow", source, account={"apiToken": SECRET})
    ran = syncpeng("get", "--id", "1", "--timeout", f"{HANG_TIMEOUT:g}", cwd=folder, timeout=60)
    assert ran.code == 1
    assert f"did not return within {HANG_TIMEOUT:g} s" in one_error_line(ran.err)


def test_an_unreachable_api_is_a_connector_failure(cats):
    edit_json(cats / "account.json", apiToken=SECRET, baseUrl="http://127.0.0.1:9")
    ran = syncpeng("insert", cwd=cats)
    assert ran.code == 1
    assert "raised ConnectError" in one_error_line(ran.err)


# -- the connector folder ---------------------------------------------------------------------


def test_a_folder_without_a_connector(tmp_path):
    ran = syncpeng("get", cwd=tmp_path)
    assert ran.code == 2 and "has no dataSourceApp.py" in one_error_line(ran.err)


def test_a_connector_that_fails_to_import(tmp_path):
    folder = connector_folder(tmp_path / "bad", "import no_such_module_here\n")
    ran = syncpeng("get", "--mock", cwd=folder)
    assert ran.code == 2 and "importing it raised ModuleNotFoundError" in one_error_line(ran.err)


def test_mock_without_a_mock_named_in_conformance_toml(cats):
    (cats / "conformance.toml").write_text("")
    ran = syncpeng("insert", "--mock", cwd=cats)
    assert ran.code == 2 and "names no mock API" in one_error_line(ran.err)


def test_a_damaged_mock_state_file_points_to_mock_reset(cats):
    (cats / ".syncpeng-mock.json").write_text("{oops")
    ran = syncpeng("insert", "--mock", cwd=cats)
    assert ran.code == 2 and "--mock-reset" in one_error_line(ran.err)
    assert syncpeng("insert", "--mock-reset", cwd=cats).code == 0


# -- -v: HTTP exchanges, masked ---------------------------------------------------------------


def test_verbose_mock_run_prints_each_exchange_with_auth_masked(cats):
    edit_json(cats / "account.json", apiToken=SECRET)
    ran = syncpeng("insert", "--mock", "-v", cwd=cats)
    assert ran.code == 0, ran.err
    assert "> POST https://api.cats.test/cats" in ran.err
    assert "authorization: ***" in ran.err and "< 201" in ran.err
    assert SECRET not in ran.err
    assert json.loads(ran.out)["id"]  # stdout stays the bare response


def test_verbose_real_run_prints_each_exchange_as_the_pipeline_saw_it(cats):
    """A baseUrl shows only when conformance.toml names it a setting, not a secret; the
    answer's headers show too (getUpdates depends on some: X-Server-Time, Link)."""
    toml = cats / "conformance.toml"
    toml.write_text(toml.read_text() + '\n[account]\nsettings = ["baseUrl"]\n')
    api = CatsAPI(tokens={SECRET})
    with api.serve() as url:
        edit_json(cats / "account.json", apiToken=SECRET, baseUrl=url)
        ran = syncpeng("insert", "-v", cwd=cats)
    assert ran.code == 0, ran.err
    assert f"> POST {url}/cats  (httpx)" in ran.err and "< 201 (live, " in ran.err
    assert "<   x-server-time: " in ran.err.lower()
    assert SECRET not in ran.err
    assert api.record(ran.json()["id"])["name"] == "Oliver"


def test_a_secret_in_the_base_url_path_is_masked_in_every_method_command(cats):
    """Some APIs put the credential in the URL (a webhook-style `/hooks/<key>/...`): URLs are
    not exempt from masking, in -v lines and in error lines alike."""
    path_secret = "pathkey-5f2a9c81d7"
    api = CatsAPI(tokens={SECRET})
    with api.serve() as url:
        edit_json(cats / "account.json", apiToken=SECRET, baseUrl=f"{url}/{path_secret}")
        for command in ("init", "get", "insert", "patch", "delete", "getUpdates"):
            ran = syncpeng(command, "-v", cwd=cats)
            assert path_secret not in ran.err + ran.out, (command, ran.err)
            assert "Traceback" not in ran.err


def test_a_constructor_that_raises_is_one_load_error(tmp_path):
    source = "class DataSource:\n    def __init__(self):\n        raise OSError('no config')\n"
    folder = connector_folder(tmp_path / "ctor", source, account={"apiToken": SECRET})
    ran = syncpeng("init", cwd=folder)
    assert ran.code == 2
    assert "DataSource() raised OSError: no config" in one_error_line(ran.err)


def test_a_multi_line_exception_message_is_cut_to_its_first_line_unless_verbose(cats):
    edit_json(cats / "in.json", patch={"id": "no-such-cat", "value": {"age": 1}})
    ran = syncpeng("patch", "--mock", cwd=cats)
    assert ran.code == 1
    line = one_error_line(ran.err)
    assert "raised HTTPStatusError: Client error '404 Not Found'" in line and "-v" in line
    assert len(ran.err.strip().splitlines()) == 1
    verbose = syncpeng("patch", "--mock", "-v", cwd=cats)
    assert "For more information" in verbose.err
