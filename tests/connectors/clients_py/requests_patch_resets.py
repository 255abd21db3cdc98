"""The requests connector whose patch sends a whole record built from the patch alone, as a PUT
would: every field the patch did not name is cleared."""

from requests_cats import DataSource as Correct

DEFAULTS = {"notes": None, "toys": []}


class DataSource(Correct):
    def patch(self, id, value):
        response = self._send("PATCH", f"/cats/{id}", json={**DEFAULTS, **value})
        response.raise_for_status()
