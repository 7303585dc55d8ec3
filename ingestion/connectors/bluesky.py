"""Bluesky through the public AppView: posts mentioning a brand handle, and the brand's own
posts and replies (author feed, newest first, read back to the day)."""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.connectors.base import BrandAccount, Day, parse_time
from ingestion.connectors.http import ApiClient

NETWORK = "bluesky"


def did_of(uri: str | None) -> str | None:
    """at://did:plc:xyz/app.bsky.feed.post/abc -> did:plc:xyz (the author of a post)."""
    if not uri or not uri.startswith("at://"):
        return None
    return uri[len("at://") :].split("/", 1)[0]


def map_post(post: dict) -> dict:
    record = post.get("record") or {}
    parent = ((record.get("reply") or {}).get("parent") or {}).get("uri")
    root = ((record.get("reply") or {}).get("root") or {}).get("uri")
    mentions = [
        feature.get("did")
        for facet in record.get("facets", []) or []
        for feature in facet.get("features", []) or []
        if feature.get("$type") == "app.bsky.richtext.facet#mention"
    ]
    author = post.get("author") or {}
    return {
        "network": NETWORK,
        "post_id": post.get("uri"),
        "author_id": author.get("did"),
        "author_handle": author.get("handle"),
        "created_at": record.get("createdAt") or post.get("indexedAt"),
        "text": record.get("text"),
        "in_reply_to_post_id": parent,
        "in_reply_to_author_id": did_of(parent),
        "conversation_id": root or post.get("uri"),
        # facets name mentioned accounts by DID; handles come from the text
        "mentioned_handles": [],
        "lang": (record.get("langs") or [None])[0],
        "source": "bluesky-appview",
        "raw": {"mentioned_dids": mentions} if mentions else None,
    }


@dataclass
class MentionSearch:
    client: ApiClient
    account: BrandAccount
    day: Day
    name: str = "mentions"

    def fetch(self, cursor: str | None) -> tuple[list[dict], str | None]:
        params = {
            "q": "*",
            "mentions": self.account.handle,
            "since": self.day.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "until": self.day.end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "limit": 100,
        }
        if cursor:
            params["cursor"] = cursor
        payload = self.client.get_json("/xrpc/app.bsky.feed.searchPosts", params)
        posts = payload.get("posts", []) or []
        return [map_post(p) for p in posts], payload.get("cursor") if posts else None


@dataclass
class AuthorFeed:
    client: ApiClient
    account: BrandAccount
    day: Day
    name: str = "author_feed"

    def fetch(self, cursor: str | None) -> tuple[list[dict], str | None]:
        params = {"actor": self.account.handle, "filter": "posts_with_replies", "limit": 100}
        if cursor:
            params["cursor"] = cursor
        payload = self.client.get_json("/xrpc/app.bsky.feed.getAuthorFeed", params)
        records = [map_post(item["post"]) for item in payload.get("feed", []) or []]
        oldest = min(
            (parse_time(r["created_at"]) for r in records if r["created_at"]), default=None
        )
        done = not records or oldest is None or oldest < self.day.start
        return records, None if done else payload.get("cursor")


class BlueskyConnector:
    network = NETWORK

    def __init__(self, client_for):
        self.client_for = client_for

    def streams(self, account: BrandAccount, day: Day) -> list:
        client = self.client_for(account)
        return [MentionSearch(client, account, day), AuthorFeed(client, account, day)]
