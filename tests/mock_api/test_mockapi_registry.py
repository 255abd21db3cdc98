"""Finding a mock factory by bundled name or ``module:factory``."""

from __future__ import annotations

import pytest

import mock_api
from mock_api import BUNDLED, CatsAPI, load_mock


def make_small_cats(**kwargs):
    """A project-defined factory, as ``module:factory`` would name it."""
    return CatsAPI(page_size=2, **kwargs)


def test_bundled_names():
    assert list(BUNDLED) == ["cats"]
    assert load_mock("cats") is CatsAPI


def test_factory_takes_keyword_args():
    api = load_mock("cats")(tokens={"t"})
    assert api.tokens == {"t"}
    assert api.base_url == "https://api.cats.test"
    assert api.page_size == 50


def test_module_colon_factory():
    factory = load_mock(f"{__name__}:make_small_cats")
    assert factory is make_small_cats
    assert factory(tokens=None).page_size == 2


def test_module_colon_dotted_attribute():
    assert load_mock("mock_api.registry:BUNDLED.get") == BUNDLED.get


@pytest.mark.parametrize(
    "spec",
    [
        "dogs",
        "",
        "  ",
        "mock_api:",
        ":CatsAPI",
        "no_such_module_xyz:f",
        "mock_api:nope",
        "mock_api:BUNDLED",
    ],
)
def test_bad_spec_is_one_line_lookup_error_naming_bundled(spec):
    with pytest.raises(LookupError) as info:
        load_mock(spec)
    message = str(info.value)
    assert "\n" not in message
    if ":" not in spec:
        assert "cats" in message


def test_public_surface_is_exported():
    for name in mock_api.__all__:
        assert hasattr(mock_api, name)


def test_mock_api_imports_nothing_from_the_harness():
    import pathlib

    for path in pathlib.Path(mock_api.__file__).parent.glob("*.py"):
        text = path.read_text()
        assert "from conformance" not in text and "import conformance" not in text, path
