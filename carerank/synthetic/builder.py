"""Writing a synthetic world's posts: customer posts with their mentions, brand replies and their
delays, each one remembered in an ``Interaction`` so that the truth can be derived from it."""

from __future__ import annotations

import math
import random
import zlib
from datetime import datetime, timedelta

from carerank.synthetic.model import Brand, Interaction, Post

QUESTIONS = (
    "why is my order late?",
    "can you help me with my bill?",
    "is the service down¿",
    "when will my refund arrive？",
    "how do I reset my password?",
    "any update on my case?",
)
STATEMENTS = (
    "my package never arrived.",
    "the app keeps crashing!",
    "still waiting for a refund.",
    "worst experience ever.",
    "thanks for nothing",
    "my card was charged twice",
)


class PostIds:
    """Post ids in each network's shape, unique across the world (a world written in chunks gives
    each chunk its own range, from ``first``)."""

    def __init__(self, first: int = 10_000_000) -> None:
        self.counter = first

    def next(self, network: str) -> str:
        self.counter += 1
        if network == "bluesky":
            return f"at://did:plc:{self.counter:x}/app.bsky.feed.post/3k{self.counter:x}"
        return str(self.counter)


# The care agents who sign two replies in three, as many care teams do (^JD); drawn from the
# post id rather than the random generator, so that a world's posts stay what they were.
AGENT_SIGNATURES = (" ^JD", " -Ana", " *KB", " /Sam", " ^MK", " -Tom")


def _signature(post_id: str) -> str:
    pick = zlib.crc32(post_id.encode())
    return AGENT_SIGNATURES[pick % len(AGENT_SIGNATURES)] if pick % 3 else ""


def _cased(rng: random.Random, handle: str) -> str:
    return rng.choice((handle, handle.lower(), handle.upper(), handle.capitalize()))


class Builder:
    """Makes the posts of a world between ``start`` and ``end`` and keeps every customer post's
    ``Interaction``."""

    def __init__(
        self,
        rng: random.Random,
        brands: list[Brand],
        start: datetime,
        end: datetime,
        first_id: int = 10_000_000,
    ):
        self.rng, self.brands, self.start, self.end = rng, brands, start, end
        self.ids = PostIds(first_id)
        self.posts: list[Post] = []
        self.interactions: list[Interaction] = []
        self.customers = [(str(rng.randrange(10**9, 10**10)), f"user{n}") for n in range(5000)]

    def random_time(self) -> datetime:
        """A moment of the world's days; a few just before UTC midnight, so that their replies
        land on the next day."""
        n_days = (self.end - self.start).days
        if self.rng.random() < 0.03:
            day = self.rng.randrange(n_days)
            return self.start + timedelta(days=day, hours=23, minutes=self.rng.randrange(45, 60))
        return self.start + timedelta(seconds=self.rng.randrange(n_days * 86400))

    def emit(self, post: Post) -> Post | None:
        """Keep a post only if it was made before the data was exported."""
        if post.created_at >= self.end:
            return None
        self.posts.append(post)
        return post

    def customer_post(
        self, network: str, when: datetime, targets: list[Brand], **extra
    ) -> Interaction:
        rng = self.rng
        author_id, handle = rng.choice(self.customers)
        question = rng.random() < 0.5
        mentions = []
        for brand in targets:
            account = rng.choice(brand.accounts[network])
            mentions.append("@" + _cased(rng, account.handle.lower()))
        body = rng.choice(QUESTIONS if question else STATEMENTS)
        if not question and "?" in body:
            body = body.replace("?", ".")
        text = " ".join(mentions) + " " + body
        if rng.random() < 0.05:
            # An e-mail address of another brand is no mention of it.
            other = rng.choice(self.brands).main(network).handle.split(".")[0].lower()
            text += f" I also wrote to help@{other}.com"
        if rng.random() < 0.05 and targets:  # a handle ending a sentence
            text += f" cc {mentions[0]}."
        post = Post(network, self.ids.next(network), author_id, handle, when, text, **extra)
        interaction = Interaction(post, addressed={b.brand_id for b in targets})
        self.emit(post)
        self.interactions.append(interaction)
        return interaction

    def reply(
        self, interaction: Interaction, brand: Brand, when: datetime, skewed: bool = False
    ) -> Post | None:
        rng = self.rng
        network = interaction.post.network
        account = rng.choice(brand.accounts[network])
        post_id = self.ids.next(network)
        text = f"@{interaction.post.author_handle} sorry to hear that, we are on it"
        text += _signature(post_id)
        post = Post(
            network,
            post_id,
            account.account_id,
            account.handle.lower(),
            when,
            text,
            in_reply_to_post_id=interaction.post.post_id,
            in_reply_to_author_id=interaction.post.author_id,
            conversation_id=interaction.post.conversation_id or interaction.post.post_id,
        )
        if self.emit(post) is None:
            return None
        interaction.replies.setdefault(brand.brand_id, []).append((when, post.post_id, skewed))
        return post

    def delay(self, brand: Brand) -> timedelta:
        minutes = brand.median_minutes * math.exp(self.rng.gauss(0, 1.3))
        return timedelta(seconds=max(5, round(minutes * 60)))
