"""in.json blocks become connector arguments, or one message naming the block, key and fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.author.in_json import init_block, method_input
from conformance.errors import InputError

WHERE = Path("in.json")


@pytest.mark.parametrize(
    ("command", "block", "method", "args"),
    [
        ("get", {"id": "a"}, "get", ("a",)),
        ("insert", {"value": {"name": "x"}}, "insert", ({"name": "x"},)),
        ("patch", {"id": "a", "value": {}}, "patch", ("a", {})),
        ("delete", {"id": "a"}, "delete", ("a",)),
        ("getupdates", {"lastSync": None}, "get_updates", (None,)),
        ("getupdates", {"lastSync": {"since": "t"}}, "get_updates", ({"since": "t"},)),
    ],
)
def test_each_command_reads_its_block_in_argument_order(command, block, method, args):
    call = method_input({command: block}, command, WHERE)
    assert (call.method, call.args, call.warnings) == (method, args, ())


def test_an_id_given_on_the_command_line_wins_and_needs_no_file():
    assert method_input(None, "get", WHERE, overrides={"id": "cli"}).args == ("cli",)
    assert method_input({"get": {"id": "file"}}, "get", WHERE, overrides={"id": "cli"}).args == (
        "cli",
    )
    with pytest.raises(InputError, match='no "value"'):
        method_input({"patch": {}}, "patch", WHERE, overrides={"id": "cli"})


def test_a_block_in_the_wrong_case_is_pointed_out():
    with pytest.raises(InputError) as info:
        method_input({"getUpdates": {"lastSync": None}}, "getupdates", WHERE)
    assert 'found "getUpdates": keys are case-sensitive' in str(info.value)


def test_unread_keys_become_warnings_with_a_suggestion():
    call = method_input({"patch": {"id": "a", "value": {}, "vlaue": {}}}, "patch", WHERE)
    assert len(call.warnings) == 1 and 'did you mean "value"?' in call.warnings[0]


def test_the_init_block_is_optional_but_must_be_an_object():
    assert init_block(None, WHERE) == {} and init_block({}, WHERE) == {}
    assert init_block({"init": {"a": 1}}, WHERE) == {"a": 1}
    with pytest.raises(InputError, match='"init" must be an object'):
        init_block({"init": "token"}, WHERE)
