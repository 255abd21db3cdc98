"""delete sends the revision seen at insert (If-Match) and swallows the refusal.

After a patch the revision has moved on: the API answers 412, the connector returns as if the
delete worked, and the record stays. insert -> delete alone works, so crud.delete passes.
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

    async def delete(self, id):
        seen = getattr(self, "revisions", {}).get(id)
        headers = {"If-Match": seen} if seen else {}
        response = await self._send("DELETE", f"/cats/{id}", headers=headers)
        if response.status_code in (404, 409, 412):
            return  # "gone already, or someone else's change": both read as done
        response.raise_for_status()
