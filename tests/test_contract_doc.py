"""docs/contract.md is the source of truth: its checks table must match the registry exactly."""

import re

from conformance.checks import CHECKS
from tests.helpers import ROOT


def documented_checks() -> dict[str, tuple[str, str]]:
    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    table = text.split("<!-- checks:begin -->")[1].split("<!-- checks:end -->")[0]
    rows = re.findall(r"^\| `([^`]+)` \| (.+?) \| (.+?) \|$", table, flags=re.M)
    return {check_id: (asserts, suffers) for check_id, asserts, suffers in rows}


def test_every_registered_check_is_documented_with_its_own_words():
    documented = documented_checks()
    assert list(documented) == [check.id for check in CHECKS]
    for check in CHECKS:
        assert documented[check.id] == (check.title, check.suffers), check.id


def test_every_check_has_a_paragraph_saying_what_it_does():
    text = (ROOT / "docs" / "contract.md").read_text(encoding="utf-8")
    for check in CHECKS:
        assert f"- **{check.id}**" in text, check.id
