"""Names cards from a `random.Random()` it makes itself, which CPython seeds from the OS without
`os.urandom`: the harness cannot record those draws (docs/recording.md, Limits), so the
recording cannot be replayed. Not a contract bug: the limit, shown."""

import random
import uuid

from carddav_correct import Correct, to_vcard

_own = random.Random()


class DataSource(Correct):
    async def insert(self, value):
        id = str(uuid.UUID(int=_own.getrandbits(128), version=4))
        response = await self.client.put(
            self._url(id),
            content=to_vcard(id, value),
            headers={"If-None-Match": "*", "Content-Type": "text/vcard; charset=utf-8"},
        )
        response.raise_for_status()
        return {"id": id}
