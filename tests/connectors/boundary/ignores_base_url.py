"""init() hard-codes the production address instead of account.baseUrl: none of its requests
reach the API the harness provides, and errors.invalid-insert "passes" on the refusals."""

from cats_correct import Correct


class DataSource(Correct):
    async def init(self, account):
        await super().init({**account, "baseUrl": "https://api.cats.example"})
