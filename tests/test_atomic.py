"""The one atomic writer: old file or new file, never half; the mode `open(path, "w")` gives."""

from __future__ import annotations

from pathlib import Path

import pytest

from conformance.atomic import write_text_atomic
from tests.helpers import mode, umask


@pytest.mark.parametrize(("mask", "expected"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_a_new_file_gets_0666_narrowed_by_the_umask(
    tmp_path: Path, mask: int, expected: int
) -> None:
    with umask(mask):
        path = write_text_atomic(tmp_path / "deep" / "report.json", "{}\n")
    assert path.read_text() == "{}\n"
    assert oct(mode(path)) == oct(expected)


@pytest.mark.parametrize("kept", [0o600, 0o755])
def test_replacing_a_file_keeps_its_mode(tmp_path: Path, kept: int) -> None:
    path = tmp_path / "baseline.json"
    path.write_text("old\n")
    path.chmod(kept)
    with umask(0o022):
        write_text_atomic(path, "new\n")
    assert path.read_text() == "new\n"
    assert oct(mode(path)) == oct(kept)


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "conformance.md"
    path.write_text("old\n")
    with pytest.raises(UnicodeEncodeError):
        write_text_atomic(path, "half \ud800 written")  # a lone surrogate cannot be UTF-8
    assert path.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["conformance.md"]


def test_line_ends_are_newlines_whatever_the_platform(tmp_path: Path) -> None:
    path = write_text_atomic(tmp_path / "x.yml", "a\nb\n")
    assert path.read_bytes() == b"a\nb\n"
