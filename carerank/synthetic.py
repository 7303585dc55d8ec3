"""A synthetic social-care world with a known answer for every customer post.

The generator decides, post by post, which brands a customer addresses, whether and when each brand
answers, and which traps to lay for the matching rules, the cases where a careless join would count
a post or a reply wrongly: care accounts beside main accounts, replies by another brand, replies
after the horizon, several replies, replies after UTC midnight, duplicated records, handle letter
case, handle prefixes (``@acme`` vs ``@acmemobile``), posts to two brands, customers' follow-ups to
brand replies, replies to brand announcements, brand self-posts, e-mail addresses that look like
mentions, timestamps in many UTC offsets, replies stamped before their post (clock skew) and posts
still inside the horizon (pending).

The truth is derived from the generator's own record of what happened (``Interaction``), not from
the warehouse's SQL: tests compare ``fct_customer_posts`` with it row by row.
"""

from __future__ import annotations

import csv
import json
import math
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

from ingestion.preflight import ACCOUNT_COLUMNS, BRAND_COLUMNS

NETWORKS = ("twitter", "bluesky")
HORIZON = timedelta(days=7)
WORDS = (
    "acme",
    "nova",
    "zenith",
    "orbit",
    "pixel",
    "atlas",
    "vertex",
    "lumen",
    "quanta",
    "helix",
    "cobalt",
    "ember",
    "fjord",
    "granite",
    "harbor",
    "indigo",
    "juniper",
    "krypton",
    "lotus",
    "meridian",
    "nimbus",
    "onyx",
    "prism",
    "quill",
    "rivet",
    "summit",
    "tundra",
    "umber",
)
SUFFIXES = ("mobile", "air", "bank", "foods", "net", "rail")
INDUSTRIES = ("airline", "telecom", "retail", "finance", "software", "food", "transport")
COUNTRIES = ("US", "GB", "DE", "FR", "IN", "BR", "KE")
OFFSETS = (0, 0, 60, 120, -300, -420, 330, 540, -180)
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


@dataclass
class World:
    brands: list[Brand]
    posts: list[dict]
    truth: list[dict]

    def write(self, out: Path) -> list[Path]:
        out.mkdir(parents=True, exist_ok=True)
        files = [out / n for n in ("posts.jsonl", "brands.csv", "brand_accounts.csv", "truth.csv")]
        with files[0].open("w", encoding="utf-8") as handle:
            for record in self.posts:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        _write_csv(
            files[1],
            list(BRAND_COLUMNS),
            [[b.brand_id, b.name, b.industry, b.country] for b in self.brands],
        )
        _write_csv(
            files[2],
            list(ACCOUNT_COLUMNS),
            [
                [
                    a.brand_id,
                    a.network,
                    a.account_id,
                    a.handle,
                    str(a.is_primary).lower(),
                    "UTC",
                    "",
                ]
                for b in self.brands
                for accounts in b.accounts.values()
                for a in accounts
            ],
        )
        _write_csv(
            files[3], list(TRUTH_COLUMNS), [[t[c] for c in TRUTH_COLUMNS] for t in self.truth]
        )
        return files


TRUTH_COLUMNS = (
    "network",
    "post_id",
    "brand_id",
    "is_addressed",
    "is_question",
    "status",
    "first_reply_post_id",
    "first_reply_at",
    "response_seconds",
)


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


class _Ids:
    def __init__(self) -> None:
        self.counter = 10_000_000

    def next(self, network: str) -> str:
        self.counter += 1
        if network == "bluesky":
            return f"at://did:plc:{self.counter:x}/app.bsky.feed.post/3k{self.counter:x}"
        return str(self.counter)


def _handle(word: str, network: str) -> str:
    return f"{word}.bsky.social" if network == "bluesky" else word


def _make_brands(rng: random.Random, n_brands: int) -> list[Brand]:
    brands = []
    for i in range(n_brands):
        word = WORDS[(i // 2) % len(WORDS)] + ("" if i < 2 * len(WORDS) else str(i))
        # Every second brand's handle starts with another brand's handle: the prefix trap.
        base = word if i % 2 == 0 else word + SUFFIXES[(i // 2) % len(SUFFIXES)]
        brand = Brand(
            brand_id=f"brand_{base}",
            name=base.capitalize(),
            industry=INDUSTRIES[i % len(INDUSTRIES)],
            country=COUNTRIES[(i * 3) % len(COUNTRIES)],
            response_rate=rng.uniform(0.15, 0.95),
            median_minutes=math.exp(rng.uniform(math.log(4), math.log(600))),
        )
        has_care = rng.random() < 0.6
        for network in NETWORKS:
            # The registry spells handles in its own letter case; posts use another.
            main = Account(
                brand.brand_id,
                network,
                _account_id(rng, network),
                _handle(base.capitalize(), network),
                True,
            )
            brand.accounts[network] = [main]
            if has_care:
                care = _handle(base + "help", network)
                brand.accounts[network].append(
                    Account(brand.brand_id, network, _account_id(rng, network), care, False)
                )
        brands.append(brand)
    return brands


def _account_id(rng: random.Random, network: str) -> str:
    if network == "bluesky":
        return "did:plc:" + "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz234567") for _ in range(16)
        )
    return str(rng.randrange(10**8, 10**9))


def _cased(rng: random.Random, handle: str) -> str:
    return rng.choice((handle, handle.lower(), handle.upper(), handle.capitalize()))


class _Builder:
    def __init__(self, rng: random.Random, brands: list[Brand], start: datetime, end: datetime):
        self.rng, self.brands, self.start, self.end = rng, brands, start, end
        self.ids = _Ids()
        self.posts: list[Post] = []
        self.interactions: list[Interaction] = []
        self.customers = [(str(rng.randrange(10**9, 10**10)), f"user{n}") for n in range(5000)]

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
        text = f"@{interaction.post.author_handle} sorry to hear that, we are on it"
        post = Post(
            network,
            self.ids.next(network),
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


def generate_world(
    n_brands: int = 20,
    n_posts: int = 20000,
    n_days: int = 92,
    seed: int = 7,
    start: date = date(2026, 7, 1),
) -> World:
    """A world of ``n_brands`` brands on two networks and about ``n_posts`` customer posts."""
    rng = random.Random(seed)
    brands = _make_brands(rng, max(2, n_brands))
    t0 = datetime(start.year, start.month, start.day, tzinfo=UTC)
    end = t0 + timedelta(days=n_days)
    b = _Builder(rng, brands, t0, end)

    def random_time() -> datetime:
        if rng.random() < 0.03:  # just before UTC midnight: the reply lands on the next day
            day = rng.randrange(n_days)
            return t0 + timedelta(days=day, hours=23, minutes=rng.randrange(45, 60))
        return t0 + timedelta(seconds=rng.randrange(n_days * 86400))

    announcements: list[tuple[Post, Brand]] = []
    for brand in brands:  # brand self-posts: announcements that mention the brand's own accounts
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
                        random_time(),
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

    for _ in range(n_posts):
        network = rng.choice(NETWORKS)
        roll = rng.random()
        if roll < 0.05 and announcements:  # a reply to a brand's post, without a mention
            parent, brand = rng.choice(announcements)
            if parent.network != network:
                continue
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
            interaction = b.customer_post(network, random_time(), [])
            targets = [brand]
        elif roll < 0.15:  # one post to two brands
            targets = rng.sample(brands, 2)
            interaction = b.customer_post(network, random_time(), targets)
        else:
            targets = [rng.choice(brands)]
            interaction = b.customer_post(network, random_time(), targets)
        for brand in targets:
            _answer(b, interaction, brand)
        if rng.random() < 0.03:  # another brand, not addressed, answers too
            _answer(b, interaction, rng.choice([x for x in brands if x not in targets]), force=True)

    posts = sorted(b.posts, key=lambda p: p.created_at)
    records = []
    for post in posts:
        record = post.record(rng)
        records.append(record)
        if rng.random() < 0.02:  # the same record twice (re-exported page)
            records.append(dict(record))
    rng.shuffle(records)
    return World(brands, records, _truth(b.interactions, posts))


def _answer(b: _Builder, interaction: Interaction, brand: Brand, force: bool = False) -> None:
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


def _truth(interactions: list[Interaction], posts: list[Post]) -> list[dict]:
    """The matching rules applied to what the generator did: a customer post concerns every brand it
    addressed and every brand that replied to it; the first reply at or after the post counts
    if it came within the horizon; otherwise the post is pending while the horizon has not
    passed at the end of the last day the network's data holds, and unanswered after."""
    observed_until: dict[str, datetime] = defaultdict(lambda: datetime.min.replace(tzinfo=UTC))
    for post in posts:
        day_end = datetime.combine(
            post.created_at.date() + timedelta(days=1), datetime.min.time(), tzinfo=UTC
        )
        observed_until[post.network] = max(observed_until[post.network], day_end)
    emitted = {p.post_id for p in posts}
    rows = []
    for inter in interactions:
        post = inter.post
        if post.post_id not in emitted:
            continue
        for brand_id in sorted(inter.addressed | set(inter.replies)):
            valid = sorted(
                (t, pid) for t, pid, skewed in inter.replies.get(brand_id, []) if not skewed
            )
            answered = bool(valid) and valid[0][0] - post.created_at <= HORIZON
            if answered:
                status = "answered"
            elif post.created_at + HORIZON > observed_until[post.network]:
                status = "pending"
            else:
                status = "unanswered"
            rows.append(
                {
                    "network": post.network,
                    "post_id": post.post_id,
                    "brand_id": brand_id,
                    "is_addressed": brand_id in inter.addressed,
                    "is_question": any(m in post.text for m in "?？¿"),
                    "status": status,
                    "first_reply_post_id": valid[0][1] if answered else "",
                    "first_reply_at": valid[0][0].astimezone(UTC).isoformat() if answered else "",
                    "response_seconds": (valid[0][0] - post.created_at).total_seconds()
                    if answered
                    else "",
                }
            )
    return rows
