"""patch sends the revision seen at insert (If-Match) and swallows the refusal.

The first patch after an insert works; the second meets a moved-on revision, gets 412 and
returns as if it had written. insert -> patch -> get (crud.patch-partial) passes.
"""

from cats_correct import Correct


class DataSource(Correct):
    async def insert(self, value):
        response = await self._send("POST", "/cats", json=value)
        response.raise_for_status()
        self.revisions = {
            **getattr(self, "revisions", {}),
            response.json()["id"]: response.headers["ETag"],
        }
        return {"id": response.json()["id"]}

    async def patch(self, id, value):
        seen = getattr(self, "revisions", {}).get(id)
        headers = {"If-Match": seen} if seen else {}
        response = await self._send("PATCH", f"/cats/{id}", json=value, headers=headers)
        if response.status_code == 412:
            return  # "someone else's change wins": the platform is never told
        response.raise_for_status()
