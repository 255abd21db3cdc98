"""Where the running harness came from: the package index, a git URL and commit, a local path,
an editable install, or a checkout on sys.path that is no installed distribution at all.

`syncpeng --version` prints it, and `syncpeng init --ci` turns it into the `pip install` line
of the workflow it writes: a CI runner must install the harness the author has, and pip records
how it installed a distribution in PEP 610's direct_url.json (absent: it came from an index).

Only the standard library: this runs on `syncpeng --version` and `init --ci`, which must not
pay for the test harness.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit, urlunsplit

DISTRIBUTION = "connector-conformance"
PACKAGE = Path(__file__).resolve().parent  # the running `conformance` package

INDEX, VCS, URL, LOCAL, EDITABLE, CHECKOUT = "index", "vcs", "url", "local", "editable", "checkout"
# PEP 610: userinfo that is a ${VARIABLE} or git's `git` user is not a secret; anything else is.
_SAFE_USERINFO = re.compile(r"(\$\{[A-Za-z0-9_]+\}(:\$\{[A-Za-z0-9_]+\})?|git)")


@dataclass(frozen=True)
class Origin:
    kind: str  # one of INDEX, VCS, URL, LOCAL, EDITABLE, CHECKOUT
    version: str
    where: str = ""  # the URL (with @commit) or the path; empty for the index
    requirement: str | None = None  # what a CI runner can `pip install`; None: nothing can

    def describe(self) -> str:
        """The `syncpeng --version` parenthesis: where this harness was installed from."""
        return {
            INDEX: "from the package index",
            VCS: f"from {self.where}",
            URL: f"from {self.where}",
            LOCAL: f"from the local path {self.where}",
            EDITABLE: f"editable install of {self.where}",
            CHECKOUT: f"run from {self.where}, not an installed distribution",
        }[self.kind]


def harness_origin(
    distribution: metadata.Distribution | None = None, running: Path = PACKAGE
) -> Origin:
    """The origin of the `conformance` package at `running`, as `distribution` (default: the
    installed connector-conformance) recorded it."""
    if distribution is None:
        distribution = _installed()
    # No RECORD: not installed by an installer, but the .egg-info that `pip install -e` or a
    # build leaves in a source tree (first on sys.path when run from there).
    if distribution is None or distribution.read_text("RECORD") is None:
        return Origin(CHECKOUT, "unknown", str(running.parent))
    version = distribution.version
    raw = distribution.read_text("direct_url.json")
    record = json.loads(raw) if raw else None
    if record is None:
        origin = Origin(INDEX, version, requirement=f"{DISTRIBUTION}=={version}")
    else:
        origin = _direct(record, version)
    if not _installs(distribution, origin, running):  # the installed version is not ours
        return Origin(CHECKOUT, "unknown", str(running.parent))
    return origin


def _installed() -> metadata.Distribution | None:
    """The installed distribution: the first on sys.path that an installer recorded, past any
    source tree's .egg-info."""
    found = list(metadata.distributions(name=DISTRIBUTION))
    return next(
        (d for d in found if d.read_text("RECORD") is not None), found[0] if found else None
    )


def _direct(record: dict, version: str) -> Origin:
    """PEP 610: vcs_info (a VCS URL and commit), dir_info (a local folder, maybe editable) or
    archive_info (a wheel or sdist by URL, which is local when its scheme is file)."""
    url = _without_secrets(str(record.get("url", "")))
    local = urlsplit(url).scheme == "file"
    sub = record.get("subdirectory")
    fragment = f"#subdirectory={sub}" if sub else ""
    if "vcs_info" in record:
        vcs = record["vcs_info"]
        where = f"{vcs.get('vcs', 'git')}+{url}@{vcs.get('commit_id', '')}{fragment}"
        return Origin(VCS, version, where, None if local else f"{DISTRIBUTION} @ {where}")
    if local:
        path = unquote(urlsplit(url).path)
        editable = bool(record.get("dir_info", {}).get("editable"))
        return Origin(EDITABLE if editable else LOCAL, version, path)
    return Origin(URL, version, url + fragment, f"{DISTRIBUTION} @ {url}{fragment}")


def _without_secrets(url: str) -> str:
    """The URL without a user or password (pip strips them too; an older pip or another
    installer might not), so a token never lands in a workflow file or on the terminal."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    netloc = parts.netloc if _SAFE_USERINFO.fullmatch(userinfo) else host
    return urlunsplit(parts._replace(netloc=netloc))


def _installs(distribution: metadata.Distribution, origin: Origin, running: Path) -> bool:
    """Whether the running package is the one `distribution` installed: tests and checkouts put
    a work tree first on sys.path, and then the installed metadata describes other code."""
    if origin.kind == EDITABLE:
        return running.resolve().parent == Path(origin.where).resolve()
    installed = Path(str(distribution.locate_file("conformance/__init__.py"))).parent
    return running.resolve() == installed.resolve()


def other_distributions() -> list[str]:
    """Other installed distributions that also install the import name `conformance` (the
    index's unrelated `conformance`): ours wins for now, but the two share files, so removing
    or upgrading theirs breaks ours. Walks every installed distribution: --version only."""
    names = metadata.packages_distributions().get("conformance", [])
    return sorted({n for n in names if n.lower().replace("_", "-") != DISTRIBUTION})
