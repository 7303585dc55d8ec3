"""What a synthetic world is made of: brands with accounts per network, posts, and the record of
what happened to each customer post (``Interaction``), from which the truth is derived."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

NETWORKS = ("twitter", "bluesky")
# A reply counts as an answer when it comes within this long of the customer post.
HORIZON = timedelta(days=7)
# UTC offsets (minutes) the records' timestamps are written in: the same instant, many spellings.
OFFSETS = (0, 0, 60, 120, -300, -420, 330, 540, -180)


@dataclass
class Account:
    brand_id: str
    network: str
    account_id: str
    handle: str  # as the registry spells it
    is_primary: bool


@dataclass
class Brand:
    brand_id: str
    name: str
    industry: str
    country: str
    response_rate: float
    median_minutes: float
    accounts: dict[str, list[Account]] = field(default_factory=dict)

    def main(self, network: str) -> Account:
        return next(a for a in self.accounts[network] if a.is_primary)


@dataclass
class Post:
    network: str
    post_id: str
    author_id: str
    author_handle: str
    created_at: datetime
    text: str
    in_reply_to_post_id: str | None = None
    in_reply_to_author_id: str | None = None
    conversation_id: str | None = None

    def record(self, rng: random.Random) -> dict:
        """The post as a canonical record, its time written in a random UTC offset."""
        offset = timezone(timedelta(minutes=rng.choice(OFFSETS)))
        stamp = self.created_at.astimezone(offset).isoformat()
        return {
            "network": self.network,
            "post_id": self.post_id,
            "author_id": self.author_id,
            "author_handle": self.author_handle,
            "created_at": stamp,
            "text": self.text,
            "in_reply_to_post_id": self.in_reply_to_post_id,
            "in_reply_to_author_id": self.in_reply_to_author_id,
            "conversation_id": self.conversation_id,
            "lang": "en",
        }


@dataclass
class Interaction:
    """A customer post and, per brand it concerns, whether it addressed the brand and the brand's
    replies (time, post id, stamped before the post by clock skew)."""

    post: Post
    addressed: set[str] = field(default_factory=set)
    replies: dict[str, list[tuple[datetime, str, bool]]] = field(default_factory=dict)
