"""What the generated workflow `pip install`s: the harness the author runs, never a guess.

The default comes from the running harness's origin (conformance/origin.py): its index version,
or its git URL and commit. A harness from a local path or an editable install has nothing a CI
runner can reach, so `syncpeng init --ci` asks for `--install SPEC` instead of writing a
workflow that fails at its first step. `--install` always wins.
"""

from __future__ import annotations

import shlex

from conformance.errors import InputError
from conformance.origin import DISTRIBUTION, Origin, harness_origin

EXAMPLE = f"'{DISTRIBUTION} @ git+https://github.com/OWNER/REPO@COMMIT'"


def install_spec(override: str | None = None, origin: Origin | None = None) -> str:
    """The requirement the workflow installs the harness from: `override`, else the origin's."""
    if override is not None:
        spec = override.strip()
        if not spec or "\n" in spec or "\r" in spec:
            raise InputError(
                f"--install: {override!r} is not one pip requirement; pass e.g. --install {EXAMPLE}"
            )
        return spec
    origin = origin or harness_origin()
    if origin.requirement is None:
        raise InputError(
            f"init --ci: this harness ({origin.describe()}) was not installed from anywhere a CI "
            f"runner can reach, so the workflow cannot install it the same way; pass what it "
            f"should pip install, e.g. --install {EXAMPLE} or --install {DISTRIBUTION}==VERSION"
        )
    return origin.requirement


def pip_arguments(spec: str) -> str:
    """The workflow's `pip install` arguments: the harness (shell-quoted: a direct reference
    has spaces) and pytest-xdist, which the gate's `-n auto` needs."""
    return f"{shlex.quote(spec)} pytest-xdist"
