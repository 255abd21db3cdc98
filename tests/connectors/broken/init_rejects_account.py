"""init reads a key the account does not have: nothing can run."""

from cats_correct import Correct


class DataSource(Correct):
    async def init(self, account):
        self.token = account["api_key"]
