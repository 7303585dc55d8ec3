"""X API v2: recent search for one brand account and day (mentions, replies to it, its posts)."""

from __future__ import annotations

from dataclasses import dataclass

from ingestion.connectors.base import BrandAccount, Day
from ingestion.connectors.http import ApiClient

NETWORK = "twitter"
TWEET_FIELDS = (
    "created_at,author_id,conversation_id,in_reply_to_user_id,referenced_tweets,entities,lang"
)


def map_search_page(payload: dict) -> list[dict]:
    """A /2/tweets/search/recent page to canonical records: the reply link from
    referenced_tweets[type=replied_to], mentions from entities.mentions, handles from
    includes.users."""
    users = {u["id"]: u.get("username") for u in payload.get("includes", {}).get("users", [])}
    records = []
    for tweet in payload.get("data", []) or []:
        replied_to = next(
            (
                r["id"]
                for r in tweet.get("referenced_tweets", []) or []
                if r.get("type") == "replied_to"
            ),
            None,
        )
        mentions = [m["username"] for m in (tweet.get("entities") or {}).get("mentions", []) or []]
        records.append(
            {
                "network": NETWORK,
                "post_id": tweet.get("id"),
                "author_id": tweet.get("author_id"),
                "author_handle": users.get(tweet.get("author_id")),
                "created_at": tweet.get("created_at"),
                "text": tweet.get("text"),
                "in_reply_to_post_id": replied_to,
                "in_reply_to_author_id": tweet.get("in_reply_to_user_id"),
                "conversation_id": tweet.get("conversation_id"),
                "mentioned_handles": mentions,
                "lang": tweet.get("lang"),
                "source": "x-api",
            }
        )
    return records


@dataclass
class SearchStream:
    client: ApiClient
    account: BrandAccount
    day: Day
    name: str = "search"

    def fetch(self, cursor: str | None) -> tuple[list[dict], str | None]:
        handle = self.account.handle
        params = {
            "query": f"(@{handle} OR to:{handle} OR from:{handle})",
            "start_time": self.day.start.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "end_time": self.day.end.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "max_results": 100,
            "tweet.fields": TWEET_FIELDS,
            "expansions": "author_id",
            "user.fields": "username",
        }
        if cursor:
            params["next_token"] = cursor
        payload = self.client.get_json("/2/tweets/search/recent", params)
        return map_search_page(payload), (payload.get("meta") or {}).get("next_token")


class XConnector:
    network = NETWORK

    def __init__(self, client_for):
        self.client_for = client_for

    def streams(self, account: BrandAccount, day: Day) -> list:
        return [SearchStream(self.client_for(account), account, day)]
