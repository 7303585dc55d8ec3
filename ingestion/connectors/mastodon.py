"""Mastodon: the brand account's mentions (notifications) and its own statuses, each paginated
by the Link header and read back (newest first) to the day; HTML content as plain text."""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape
from html.parser import HTMLParser

from ingestion.connectors.base import BrandAccount, Day, parse_time
from ingestion.connectors.http import ApiClient

NETWORK = "mastodon"


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag == "p" and self.parts:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(content: str | None) -> str | None:
    """Mastodon's HTML ``content`` as the plain text a person reads."""
    if content is None:
        return None
    parser = _Text()
    parser.feed(content)
    parser.close()
    return unescape("".join(parser.parts)).strip()


def map_status(status: dict) -> dict:
    account = status.get("account") or {}
    return {
        "network": NETWORK,
        "post_id": status.get("id"),
        "author_id": account.get("id"),
        "author_handle": account.get("acct"),
        "created_at": status.get("created_at"),
        "text": html_to_text(status.get("content")),
        "in_reply_to_post_id": status.get("in_reply_to_id"),
        "in_reply_to_author_id": status.get("in_reply_to_account_id"),
        "conversation_id": None,
        "mentioned_handles": [m.get("acct") for m in status.get("mentions", []) or []],
        "lang": status.get("language"),
        "source": "mastodon-api",
    }


def next_max_id(link_header: str | None) -> str | None:
    """The max_id of the rel="next" link (older items)."""
    for part in (link_header or "").split(","):
        if 'rel="next"' in part:
            found = re.search(r"[?&]max_id=([^&>]+)", part)
            if found:
                return found.group(1)
    return None


@dataclass
class _Paged:
    client: ApiClient
    account: BrandAccount
    day: Day
    path: str = ""
    params: tuple = ()
    name: str = ""

    def items(self, payload: list) -> list[dict]:
        raise NotImplementedError

    def fetch(self, cursor: str | None) -> tuple[list[dict], str | None]:
        params = dict(self.params)
        if cursor:
            params["max_id"] = cursor
        response = self.client.get(self.path, params)
        records = self.items(response.json())
        stamps = [parse_time(r["created_at"]) for r in records if r.get("created_at")]
        done = not records or min(stamps, default=self.day.start) < self.day.start
        return records, None if done else next_max_id(response.headers.get("link"))


@dataclass
class Mentions(_Paged):
    name: str = "mentions"
    path: str = "/api/v1/notifications"
    params: tuple = (("types[]", "mention"), ("limit", 40))

    def items(self, payload: list) -> list[dict]:
        return [map_status(n["status"]) for n in payload if n.get("status")]


@dataclass
class Statuses(_Paged):
    name: str = "statuses"
    params: tuple = (("exclude_reblogs", "true"), ("limit", 40))

    def __post_init__(self) -> None:
        self.path = f"/api/v1/accounts/{self.account.account_id}/statuses"

    def items(self, payload: list) -> list[dict]:
        return [map_status(s) for s in payload]


class MastodonConnector:
    network = NETWORK

    def __init__(self, client_for):
        self.client_for = client_for

    def streams(self, account: BrandAccount, day: Day) -> list:
        client = self.client_for(account)
        return [Mentions(client, account, day), Statuses(client, account, day)]
