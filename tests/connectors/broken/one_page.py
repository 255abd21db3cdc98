"""Reads the first page of changes and ignores the Link to the next one."""

from cats_correct import Correct


class _FirstPageOnly:
    def __init__(self, response):
        self._response = response

    def __getattr__(self, name):
        return getattr(self._response, name)

    @property
    def links(self):
        return {}


class DataSource(Correct):
    async def _send(self, method, url, **kwargs):
        response = await super()._send(method, url, **kwargs)
        return _FirstPageOnly(response) if method == "GET" and url == "/cats" else response
