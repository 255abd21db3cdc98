"""A probe for the Python stubs in the worker: `get(<scenario>)` runs one client scenario against
account.baseUrl and returns what the client saw, so tests/http can compare it with inline."""

import urllib.error
import urllib.request

import aiohttp
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class DataSource:
    async def init(self, account):
        self.base = account["baseUrl"]

    async def get(self, id):
        scenario, _, arg = id.partition(":")
        return await getattr(self, scenario.replace("-", "_"))(arg)

    async def requests_redirect(self, _):
        response = requests.get(f"{self.base}/old", timeout=5)
        return {"body": response.json(), "history": [r.status_code for r in response.history]}

    async def aiohttp_redirect(self, _):
        async with aiohttp.ClientSession() as session, session.get(f"{self.base}/old") as r:
            return {"body": await r.json(), "history": [h.status for h in r.history]}

    async def requests_stream(self, _):
        with requests.get(f"{self.base}/big", stream=True, timeout=5) as response:
            chunks = list(response.iter_content(chunk_size=4096))
        return {"length": sum(map(len, chunks)), "chunks": len(chunks)}

    async def aiohttp_stream(self, _):
        async with aiohttp.ClientSession() as session, session.get(f"{self.base}/big") as r:
            first = await r.content.read(100)
            rest = await r.content.read()
        return {"length": len(first + rest)}

    async def binary(self, _):
        sent = requests.put(f"{self.base}/echo", data=bytes(range(256)) * 4, timeout=5)
        got = requests.get(f"{self.base}/binary", timeout=5).content
        return {"status": sent.status_code, "answer": got == bytes(range(256)) * 4}

    async def requests_timeout(self, _):
        try:
            requests.get(f"{self.base}/late", timeout=0.2)
        except requests.Timeout as exc:
            return {"error": type(exc).__name__}
        return {"error": None}

    async def aiohttp_timeout(self, _):
        session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=0.2))
        try:
            async with session, session.get(f"{self.base}/late") as r:
                await r.read()
        except TimeoutError as exc:
            return {"error": type(exc).__name__}
        return {"error": None}

    async def retry(self, _):
        session = requests.Session()
        retry = Retry(total=3, status_forcelist=(503,), backoff_factor=0, allowed_methods=None)
        session.mount("http://", HTTPAdapter(max_retries=retry))
        session.mount("https://", HTTPAdapter(max_retries=retry))
        return session.post(f"{self.base}/busy", json={"n": 1}, timeout=5).json()

    async def fail(self, kind):
        seen = {}
        try:
            requests.get(f"{self.base}/fail/{kind}", timeout=5)
        except requests.RequestException as exc:
            seen["requests"] = [type(exc).__name__, str(exc)]
        try:
            urllib.request.urlopen(f"{self.base}/fail/{kind}", timeout=5)
        except urllib.error.URLError as exc:
            seen["urllib"] = ["URLError", str(exc)]
        try:
            async with aiohttp.ClientSession() as session:
                await session.get(f"{self.base}/fail/{kind}")
        except aiohttp.ClientError as exc:
            seen["aiohttp"] = ["ClientError", str(exc)]
        return seen
