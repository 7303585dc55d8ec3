"""Facebook Pages (Graph API): visitors' posts on the page's feed and posts the page is tagged
in, with their comments. A visitor's post or comment is a customer post addressed to the page; a
comment by the page replies to its parent (the comment it answers, or the post)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from ingestion.connectors.base import BrandAccount, Day
from ingestion.connectors.http import ApiClient

NETWORK = "facebook"
COMMENT_FIELDS = "id,message,created_time,from,parent"
FIELDS = f"id,message,created_time,from,comments.limit(100){{{COMMENT_FIELDS}}}"
LOOKBACK = timedelta(days=7)  # comments of day D can answer posts up to the horizon before


def _record(
    item: dict, page: BrandAccount, reply_to: str | None, reply_to_author: str | None
) -> dict:
    author = item.get("from") or {}
    by_page = author.get("id") == page.account_id
    return {
        "network": NETWORK,
        "post_id": item.get("id"),
        "author_id": author.get("id"),
        "author_handle": page.handle if by_page else author.get("name"),
        "created_at": item.get("created_time"),
        "text": item.get("message"),
        "in_reply_to_post_id": reply_to,
        "in_reply_to_author_id": reply_to_author,
        "conversation_id": None,
        # writing on a page's feed (or tagging it) addresses the page
        "mentioned_handles": [] if by_page else [page.handle],
        "lang": None,
        "source": "graph-api",
    }


def map_post(post: dict, page: BrandAccount, comments: list[dict] | None = None) -> list[dict]:
    """A feed post and its comments as canonical records."""
    post_author = (post.get("from") or {}).get("id")
    records = [_record(post, page, None, None)]
    authors = {post.get("id"): post_author}
    for comment in (
        comments if comments is not None else (post.get("comments") or {}).get("data", [])
    ):
        parent = (comment.get("parent") or {}).get("id") or post.get("id")
        authors[comment.get("id")] = (comment.get("from") or {}).get("id")
        records.append(_record(comment, page, parent, authors.get(parent)))
    return records


@dataclass
class PageListing:
    client: ApiClient
    account: BrandAccount
    day: Day
    edge: str
    version: str
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.edge

    def fetch(self, cursor: str | None) -> tuple[list[dict], str | None]:
        if cursor:
            payload = self.client.get_json(cursor)
        else:
            payload = self.client.get_json(
                f"/{self.version}/{self.account.account_id}/{self.edge}",
                {
                    "fields": FIELDS,
                    "since": int((self.day.start - LOOKBACK).timestamp()),
                    "until": int(self.day.end.timestamp()),
                    "limit": 100,
                },
            )
        records = []
        for post in payload.get("data", []) or []:
            comments = list((post.get("comments") or {}).get("data", []) or [])
            next_comments = ((post.get("comments") or {}).get("paging") or {}).get("next")
            while next_comments:
                page = self.client.get_json(next_comments)
                comments.extend(page.get("data", []) or [])
                next_comments = (page.get("paging") or {}).get("next")
            records.extend(map_post(post, self.account, comments))
        return records, (payload.get("paging") or {}).get("next")


class FacebookConnector:
    network = NETWORK

    def __init__(self, client_for, version: str = "v21.0"):
        self.client_for, self.version = client_for, version

    def streams(self, account: BrandAccount, day: Day) -> list:
        client = self.client_for(account)
        return [
            PageListing(client, account, day, "feed", self.version),
            PageListing(client, account, day, "tagged", self.version),
        ]
