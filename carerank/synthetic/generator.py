"""``generate_world``: who posts to which brands and when, who answers and how late, and the traps
laid along the way (see the package's docstring for the list)."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from carerank.synthetic.brands import make_brands
from carerank.synthetic.builder import Builder
from carerank.synthetic.model import HORIZON, NETWORKS, Brand, Interaction, Post
from carerank.synthetic.truth import true_outcomes
from carerank.synthetic.world import World

# Customer posts per part of a world generated in parts: about half a gigabyte of memory each
# (a world is held in memory whole: 10 M posts in one would need tens of gigabytes).
CHUNK_POSTS = 200_000
# The post ids of part k start at 10_000_000 + k * CHUNK_ID_STRIDE, so that no two parts share one.
CHUNK_ID_STRIDE = 100_000_000


def generate_world(
    n_brands: int = 20,
    n_posts: int = 20000,
    n_days: int = 92,
    seed: int = 7,
    start: date = date(2026, 7, 1),
) -> World:
    """A world of ``n_brands`` brands on two networks and about ``n_posts`` customer posts."""
    return next(generate_world_chunks(n_brands, n_posts, n_days, seed, start, max(1, n_posts)))


def generate_world_chunks(
    n_brands: int = 20,
    n_posts: int = 20000,
    n_days: int = 92,
    seed: int = 7,
    start: date = date(2026, 7, 1),
    chunk_posts: int = CHUNK_POSTS,
) -> Iterator[World]:
    """The world of ``generate_world`` in parts of at most ``chunk_posts`` customer posts, one
    at a time, for worlds too large to hold in memory. With one part it is ``generate_world``'s
    world, record for record. With more, the parts share the brands and their announcements
    (made by the first part); each later part draws its customers and posts from its own seed
    (``seed`` and its number), over the same days; records are shuffled and the truth's pending
    posts judged within each part (the parts span the same days, so their last day is the same)."""
    rng = random.Random(seed)
    brands = make_brands(rng, max(2, n_brands))
    t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
    n_chunks = max(1, -(-n_posts // max(1, chunk_posts)))
    announcements: list[tuple[Post, Brand]] | None = None
    for k in range(n_chunks):
        if k:
            rng = random.Random(f"{seed}/{k}")
        b = Builder(rng, brands, t0, t0 + timedelta(days=n_days), 10_000_000 + k * CHUNK_ID_STRIDE)
        if announcements is None:
            announcements = _announcements(b)
        for _ in range(n_posts // n_chunks + (k < n_posts % n_chunks)):
            _customer_post_and_answers(b, announcements)
        posts = sorted(b.posts, key=lambda p: p.created_at)
        yield World(brands, _records(rng, posts), true_outcomes(b.interactions, posts))


def _announcements(b: Builder) -> list[tuple[Post, Brand]]:
    """Brand self-posts: three announcements per brand and network that mention the brand's own
    accounts (no customer post), each answered by its care account."""
    announcements = []
    for brand in b.brands:
        for network in NETWORKS:
            for _ in range(3):
                main = brand.main(network)
                handles = " ".join("@" + a.handle for a in brand.accounts[network])
                post = b.emit(
                    Post(
                        network,
                        b.ids.next(network),
                        main.account_id,
                        main.handle.lower(),
                        b.random_time(),
                        f"News from us! Questions? {handles}",
                    )
                )
                if post:
                    announcements.append((post, brand))
                    care = brand.accounts[network][-1]
                    b.emit(
                        Post(
                            network,
                            b.ids.next(network),
                            care.account_id,
                            care.handle.lower(),
                            post.created_at + timedelta(minutes=3),
                            "Happy to help here too!",
                            in_reply_to_post_id=post.post_id,
                            in_reply_to_author_id=main.account_id,
                        )
                    )
    return announcements


def _customer_post_and_answers(b: Builder, announcements: list[tuple[Post, Brand]]) -> None:
    """One customer post, of one of four kinds, and the answers of the brands it concerns."""
    rng, brands = b.rng, b.brands
    network = rng.choice(NETWORKS)
    roll = rng.random()
    if roll < 0.05 and announcements:  # a reply to a brand's post, without a mention
        parent, brand = rng.choice(announcements)
        if parent.network != network:
            return
        when = parent.created_at + timedelta(minutes=rng.randrange(1, 3000))
        interaction = b.customer_post(
            network,
            when,
            [],
            in_reply_to_post_id=parent.post_id,
            in_reply_to_author_id=parent.author_id,
        )
        interaction.addressed.add(brand.brand_id)
        targets = [brand]
    elif roll < 0.10:  # no mention (anonymised): the brand's reply alone ties it to the brand
        brand = rng.choice(brands)
        interaction = b.customer_post(network, b.random_time(), [])
        targets = [brand]
    elif roll < 0.15:  # one post to two brands
        targets = rng.sample(brands, 2)
        interaction = b.customer_post(network, b.random_time(), targets)
    else:
        targets = [rng.choice(brands)]
        interaction = b.customer_post(network, b.random_time(), targets)
    for brand in targets:
        _answer(b, interaction, brand)
    if rng.random() < 0.03:  # another brand, not addressed, answers too
        _answer(b, interaction, rng.choice([x for x in brands if x not in targets]), force=True)


def _records(rng: random.Random, posts: list[Post]) -> list[dict]:
    """The posts as canonical records in a shuffled order, a few of them twice (a page exported
    again)."""
    records = []
    for post in posts:
        record = post.record(rng)
        records.append(record)
        if rng.random() < 0.02:
            records.append(dict(record))
    rng.shuffle(records)
    return records


def _answer(b: Builder, interaction: Interaction, brand: Brand, force: bool = False) -> None:
    rng = b.rng
    post = interaction.post
    if not force and rng.random() > brand.response_rate:
        if (
            brand.brand_id in interaction.addressed and rng.random() < 0.05
        ):  # a reply stamped before its post (clock skew): no reply
            b.reply(
                interaction,
                brand,
                post.created_at - timedelta(seconds=rng.randrange(1, 600)),
                skewed=True,
            )
        return
    if post.created_at.hour == 23 and post.created_at.minute >= 45:
        delay = timedelta(minutes=rng.randrange(16, 40))  # answered after UTC midnight
    elif rng.random() < 0.04:
        delay = HORIZON + timedelta(hours=rng.randrange(1, 72))  # too late to count
    else:
        delay = b.delay(brand)
    first = b.reply(interaction, brand, post.created_at + delay)
    if first is None:
        return
    if rng.random() < 0.15:  # several replies: the first one wins
        b.reply(interaction, brand, first.created_at + timedelta(minutes=rng.randrange(1, 600)))
    if rng.random() < 0.2:  # the customer answers the brand's reply: a new post addressed to it
        follow_up = b.customer_post(
            post.network,
            first.created_at + timedelta(minutes=rng.randrange(1, 120)),
            [],
            in_reply_to_post_id=first.post_id,
            in_reply_to_author_id=first.author_id,
        )
        follow_up.post.author_id, follow_up.post.author_handle = post.author_id, post.author_handle
        follow_up.addressed.add(brand.brand_id)
        if rng.random() < 0.5:
            b.reply(follow_up, brand, follow_up.post.created_at + b.delay(brand))
