"""Where each connector's account comes from: option, environment, account.json, example."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conformance.connector.accounts import AccountOptions, env_name, resolve_account
from conformance.errors import InputError


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "hub-spot"
    path.mkdir()
    (path / "account.json").write_text('{"apiToken": "real"}')
    (path / "account.example.json").write_text('{"apiToken": "example"}')
    return path


def opts(tmp_path: Path, files: tuple[str, ...] = (), **environ: str) -> AccountOptions:
    return AccountOptions(files=files, environ=environ, cwd=tmp_path)


def test_env_names_are_upper_case_with_underscores() -> None:
    assert env_name("hub-spot") == "CONFORMANCE_ACCOUNT_HUB_SPOT"
    assert env_name("cats") == "CONFORMANCE_ACCOUNT_CATS"


def test_account_json_wins_over_the_example(folder: Path, tmp_path: Path) -> None:
    account, source = resolve_account("hub-spot", folder, opts(tmp_path))
    assert account == {"apiToken": "real"}
    assert (source.kind, source.describe()) == ("file", "hub-spot/account.json")


def test_a_clean_clone_falls_back_to_the_example(folder: Path, tmp_path: Path) -> None:
    (folder / "account.json").unlink()
    account, source = resolve_account("hub-spot", folder, opts(tmp_path))
    assert account == {"apiToken": "example"}
    assert source.kind == "example" and not source.is_real
    assert "not live" in source.describe()


def test_the_environment_wins_over_files(folder: Path, tmp_path: Path) -> None:
    env = {"CONFORMANCE_ACCOUNT_HUB_SPOT": '{"apiToken": "from-secret"}'}
    account, source = resolve_account("hub-spot", folder, opts(tmp_path, **env))
    assert account == {"apiToken": "from-secret"}
    assert source.describe() == "environment variable CONFORMANCE_ACCOUNT_HUB_SPOT"
    assert source.is_real


def test_a_named_file_on_the_command_line_wins_over_everything(
    folder: Path, tmp_path: Path
) -> None:
    (tmp_path / "mine.json").write_text('{"apiToken": "cli"}')
    (tmp_path / "all.json").write_text('{"apiToken": "all"}')
    env = {"CONFORMANCE_ACCOUNT_HUB_SPOT": '{"apiToken": "from-secret"}'}
    chosen = opts(tmp_path, ("all.json", "hub-spot=mine.json"), **env)
    account, source = resolve_account("hub-spot", folder, chosen)
    assert account == {"apiToken": "cli"}
    assert source.describe() == "--connector-account hub-spot=mine.json"
    # an unnamed file applies to every other connector
    other, other_source = resolve_account("other", None, chosen)
    assert other == {"apiToken": "all"} and other_source.kind == "option"


def test_no_account_at_all_is_an_empty_object(tmp_path: Path) -> None:
    account, source = resolve_account("bare", tmp_path, opts(tmp_path))
    assert account == {} and source.kind == "none"


def test_bad_json_in_the_environment_is_reported_without_echoing_the_secret(
    folder: Path, tmp_path: Path
) -> None:
    env = {"CONFORMANCE_ACCOUNT_HUB_SPOT": '{"apiToken": "hunter2"'}
    with pytest.raises(InputError) as caught:
        resolve_account("hub-spot", folder, opts(tmp_path, **env))
    message = str(caught.value)
    assert "CONFORMANCE_ACCOUNT_HUB_SPOT: invalid JSON" in message and "hunter2" not in message


def test_a_json_value_that_is_not_an_object_is_refused(folder: Path, tmp_path: Path) -> None:
    env = {"CONFORMANCE_ACCOUNT_HUB_SPOT": json.dumps(["hunter2"])}
    with pytest.raises(InputError, match="must hold a JSON object, found list"):
        resolve_account("hub-spot", folder, opts(tmp_path, **env))


def test_a_missing_account_file_names_the_option(folder: Path, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--connector-account hub-spot=nope.json: no such file"):
        resolve_account("hub-spot", folder, opts(tmp_path, ("hub-spot=nope.json",)))


def test_two_unnamed_files_are_ambiguous(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="name each one: --connector-account NAME=FILE"):
        opts(tmp_path, ("a.json", "b.json"))


class StubConfig:
    """Just the options the Gate reads (a live mode is not registered in every build)."""

    def __init__(self, **options: object) -> None:
        self.options = {"--connector-baseline": None, "--connector-account": [], **options}

    def getoption(self, name: str) -> object:
        return self.options[name]


def test_a_live_run_on_an_example_account_is_called_out_in_the_header(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from conformance.plugin.gate import Gate

    monkeypatch.chdir(folder.parent)
    monkeypatch.delenv("CONFORMANCE_ACCOUNT_HUB_SPOT", raising=False)
    (folder / "account.json").unlink()
    live = Gate(StubConfig(**{"--connector-mode": "record"}))  # type: ignore[arg-type]
    [_, line] = live.header_lines(["hub-spot"])
    assert "example account" in line
    assert "a record run needs the real account: set CONFORMANCE_ACCOUNT_HUB_SPOT" in line
    mock = Gate(StubConfig(**{"--connector-mode": "mock"}))  # type: ignore[arg-type]
    assert "needs the real account" not in mock.header_lines(["hub-spot"])[1]
