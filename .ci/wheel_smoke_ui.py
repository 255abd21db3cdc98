"""`syncpeng ui` from the installed wheel: start it on 127.0.0.1 (a free port), fetch its page
with the printed URL's token, then every script and stylesheet the page names, and stop it.

Run by .ci/wheel-smoke with the wheel's venv's Python, outside the checkout: a static file left
out of the wheel's package data answers 404 here and fails CI. Usage: wheel_smoke_ui.py DIR
"""

from __future__ import annotations

import http.cookiejar
import re
import subprocess
import sys
import urllib.request

EXPECTED = ("<title>syncpeng ui</title>", 'data-view="checks"')


def main(folder: str) -> int:
    server = subprocess.Popen(
        ["syncpeng", "ui", folder, "--no-browser", "--port", "0"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = _announced_url(server)
        base = url.split("/?", 1)[0]
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        page = _fetch(opener, url)  # trades the token for the session cookie
        missing = [text for text in EXPECTED if text not in page]
        if missing:
            return _fail(f"the UI page lacks {missing}")
        assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', page)
        if not any(a.endswith(".js") for a in assets) or not any(
            a.endswith(".css") for a in assets
        ):
            return _fail(f"the UI page names no script or no stylesheet: {assets}")
        for asset in assets:
            if not _fetch(opener, base + asset).strip():
                return _fail(f"{asset} is empty")
        print(f"syncpeng ui: page and {len(assets)} static files served")
        return 0
    finally:
        server.terminate()
        server.wait(timeout=60)


def _announced_url(server: subprocess.Popen[str]) -> str:
    """The URL from the `serving ... at URL` line; the server's own stderr otherwise."""
    seen = []
    assert server.stderr is not None
    for line in server.stderr:
        found = re.search(r" at (http://127\.0\.0\.1:\d+/\?token=\S+)", line)
        if found:
            return found.group(1)
        seen.append(line)
    raise SystemExit(f"wheel smoke: syncpeng ui exited before serving:\n{''.join(seen)}")


def _fetch(opener: urllib.request.OpenerDirector, url: str) -> str:
    try:
        with opener.open(url, timeout=60) as answer:
            return answer.read().decode("utf-8")
    except OSError as exc:  # HTTPError (a 404 for a file left out of the wheel) included
        raise SystemExit(f"wheel smoke: GET {url.split('?')[0]}: {exc}") from None


def _fail(message: str) -> int:
    print(f"wheel smoke: {message}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
