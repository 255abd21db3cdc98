"""A connector for contacts in a CardDAV address book (RFC 6352), written to the contract.

CardDAV is the harness's example of an API where the client names each resource:
- a record is one vCard (3.0) at `<addressbook>/<id>.vcf`; the connector draws the id itself
  (`uuid.uuid4()`) and creates the card with `If-None-Match: *`, so it never overwrites one;
- fields map to vCard properties: name -> FN (and N), email -> EMAIL, phone -> TEL,
  notes -> NOTE, with RFC 6350 escaping; a null field is simply absent from the card;
- patch reads the card, merges the patch and writes it back with `If-Match: <etag>`, retrying
  when another writer got in between (412), so a concurrent change is never overwritten blindly;
- delete also sends `If-Match`, with the etag just read;
- getUpdates is a sync-collection REPORT (RFC 6578): the token is the server's sync-token,
  changed members come back with their etag and vCard, deleted ones as `404` responses, which
  become delete entries. The first sync (no token) lists the current members.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from typing import Any

import httpx

DAV, CARDDAV = "DAV:", "urn:ietf:params:xml:ns:carddav"
FIELDS = {"name": "FN", "email": "EMAIL", "phone": "TEL", "notes": "NOTE"}
WRITE_ATTEMPTS = 3
SYNC = """<?xml version="1.0" encoding="utf-8"?>
<D:sync-collection xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:carddav">
  <D:sync-token>{token}</D:sync-token>
  <D:sync-level>1</D:sync-level>
  <D:prop><D:getetag/><C:address-data/></D:prop>
</D:sync-collection>"""


class DataSource:
    async def init(self, account: dict[str, Any]) -> None:
        for key in ("addressBookUrl", "username", "password"):
            if not account.get(key):
                raise ValueError(f"account.json needs {key}")
        self.book = account["addressBookUrl"].rstrip("/") + "/"
        self.client = httpx.AsyncClient(
            auth=(account["username"], account["password"]),
            timeout=account.get("timeoutSeconds", 30),
        )

    async def get(self, id: str) -> dict[str, Any] | None:
        found = await self._read(id)
        return None if found is None else found[0]

    async def insert(self, value: dict[str, Any]) -> dict[str, str]:
        id = str(uuid.uuid4())  # the client names the resource: CardDAV has no POST-to-create
        response = await self.client.put(
            self._url(id),
            content=to_vcard(id, value),
            headers={"If-None-Match": "*", "Content-Type": "text/vcard; charset=utf-8"},
        )
        response.raise_for_status()
        return {"id": id}

    async def patch(self, id: str, value: dict[str, Any]) -> None:
        for _ in range(WRITE_ATTEMPTS):
            found = await self._read(id)
            if found is None:
                raise LookupError(f"no contact {id} to patch")
            record, etag = found
            merged = {k: v for k, v in {**record, **value}.items() if v is not None}
            response = await self.client.put(
                self._url(id),
                content=to_vcard(id, merged),
                headers={"If-Match": etag, "Content-Type": "text/vcard; charset=utf-8"},
            )
            if response.status_code != 412:  # 412: changed since we read it; read again
                response.raise_for_status()
                return
        response.raise_for_status()

    async def delete(self, id: str) -> None:
        for _ in range(WRITE_ATTEMPTS):
            found = await self._read(id)
            if found is None:
                return  # already gone: deleting twice is not an error for the platform
            response = await self.client.delete(self._url(id), headers={"If-Match": found[1]})
            if response.status_code in (404, 412):
                continue  # deleted or changed meanwhile: look again
            response.raise_for_status()
            return
        raise RuntimeError(f"contact {id} kept changing while it was being deleted")

    async def get_updates(self, last_sync: dict[str, Any] | None) -> dict[str, Any]:
        token = (last_sync or {}).get("syncToken", "")
        response = await self.client.request(
            "REPORT",
            self.book,
            content=SYNC.format(token=_xml_text(token)),
            headers={"Depth": "1", "Content-Type": "application/xml; charset=utf-8"},
        )
        response.raise_for_status()
        root = ET.fromstring(response.content)
        entries = []
        for member in root.findall(f"{{{DAV}}}response"):
            href = member.findtext(f"{{{DAV}}}href") or ""
            id = href.rstrip("/").rsplit("/", 1)[-1].removesuffix(".vcf")
            if "404" in (member.findtext(f"{{{DAV}}}status") or ""):
                entries.append({"id": id, "type": "delete"})
                continue
            card = member.findtext(f".//{{{CARDDAV}}}address-data")
            if card is None:  # no data inline: fetch the card itself
                found = await self._read(id)
                if found is None:
                    entries.append({"id": id, "type": "delete"})
                    continue
                record = found[0]
            else:
                record = from_vcard(id, card)
            entries.append({"id": id, "type": "upsert", "value": record})
        next_token = root.findtext(f"{{{DAV}}}sync-token") or token
        return {"nextSync": {"syncToken": next_token}, "entries": entries}

    async def aclose(self) -> None:
        await self.client.aclose()

    def _url(self, id: str) -> str:
        return f"{self.book}{id}.vcf"

    async def _read(self, id: str) -> tuple[dict[str, Any], str] | None:
        """The record and its etag, or None when there is no such card."""
        response = await self.client.get(self._url(id))
        if response.status_code == 404:
            return None
        response.raise_for_status()
        return from_vcard(id, response.text), response.headers.get("ETag", "")


def to_vcard(id: str, record: dict[str, Any]) -> bytes:
    lines = ["BEGIN:VCARD", "VERSION:3.0", f"UID:{id}"]
    for field, prop in FIELDS.items():
        value = record.get(field)
        if value is not None:
            lines.append(f"{prop}:{_escape(value)}")
    lines.append(f"N:{_escape(record.get('name', ''))};;;;")
    lines.append("END:VCARD")
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def from_vcard(id: str, text: str) -> dict[str, Any]:
    record: dict[str, Any] = {"id": id}
    by_property = {prop: field for field, prop in FIELDS.items()}
    unfolded = text.replace("\r\n ", "").replace("\r\n\t", "").replace("\n ", "")
    for line in unfolded.replace("\r\n", "\n").split("\n"):
        name, sep, value = line.partition(":")
        field = by_property.get(name.split(";", 1)[0].upper())
        if sep and field:
            record[field] = _unescape(value)
    return record


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append("\n" if following in "nN" and following else following)
        else:
            out.append(char)
    return "".join(out)


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
