"""Draw the evaluation sample: which tweets are labelled, and each one's split.

Run from the repository root: `python -m evaluation.sample`. It reads the Kaggle files from
../shared/data and writes id lists only (no text, no labels) to evaluation/labels/ids_*.csv.

The draw is fixed by two seeds:

- SAMPLE_SEED orders the posts for the random draw;
- SPLIT_SEED assigns each sampled post to `dev` or `holdout` (half each), before any labelling.

Customer posts: every inbound post of the 93-row sample, every inbound post whose text mentions a
DM, e-mail or feedback (OVERSAMPLE), then a random draw across brands with at most
PER_BRAND_CAP posts from one brand's conversations until CUSTOMER_TARGET.
Brand replies: every brand post of the 93-row sample, every brand post that mentions feedback, a
suggestion or passing something on (FEEDBACK, the rare label) or a private channel other than a DM
(e-mail), then the same capped random draw until BRAND_TARGET. Brand posts
mentioning a DM are a quarter of all brand posts, so the random draw already holds many.
The regular expressions only pick posts for the sample; labels come from reading each post.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data"
OUT = Path(__file__).resolve().parent / "labels"
HEAD = "twcs_head5000.csv"
SAMPLE93 = "twcs_kaggle_sample93.csv"

SAMPLE_SEED = 20171031
SPLIT_SEED = 4242
CUSTOMER_TARGET = 680
BRAND_TARGET = 480
PER_BRAND_CAP = 30

# A second, purely random draw from the posts the first left out, all `dev`: more posts to learn
# the phrasings from, so that rules are written from families of posts rather than single ones.
# The holdout half of the first draw stays untouched.
ROUND2_SEED = 20171101
ROUND2_CUSTOMERS = 400
ROUND2_BRANDS = 300

# Later random draws, each split half `dev` and half `holdout` by its own seed before any
# labelling: each measures the rules of the day on posts they were not written from, enlarges the
# holdout, and gives the dev half more posts per phrasing family.
# (reason, draw seed, split seed, customer posts, brand replies), drawn in this order.
SPLIT_ROUNDS = (
    ("round3_random", 20171102, 4343, 600, 400),
    ("round4_random", 20171103, 4444, 600, 500),
    ("round5_random", 20171104, 4545, 400, 400),
)

OVERSAMPLE = re.compile(
    r"\b(?:dm|dms|dm'd|dmed|pm|direct message|private message|inbox|e-?mail|feedback)\b", re.I
)
FEEDBACK = re.compile(
    r"(?:feedback|suggestion|pass(?:ed|ing)?\b.{0,25}\b(?:on|along)"
    r"|forward(?:ed)? (?:to|this|it|your)|shar(?:e|ed|ing)\b.{0,30}\b(?:team|with)"
    r"|let (?:the|our) .{0,25}know|weiterge|\be-?mail)",
    re.I,
)


def load(name: str) -> pd.DataFrame:
    frame = pd.read_csv(DATA / name, dtype=str, keep_default_na=False)
    frame["source_file"] = name
    return frame


def conversation_brand(frame: pd.DataFrame) -> dict[str, str]:
    """The brand of each tweet's conversation: the most frequent brand author in its thread."""
    parent = {tid: tid for tid in frame.tweet_id}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for tid, up in zip(frame.tweet_id, frame.in_response_to_tweet_id, strict=True):
        if up in parent:
            parent[find(tid)] = find(up)
    roots = {tid: find(tid) for tid in frame.tweet_id}
    brands = frame[frame.inbound == "False"].assign(root=lambda f: f.tweet_id.map(roots))
    top = brands.groupby("root").author_id.agg(lambda s: s.value_counts().index[0])
    return {tid: top.get(root, "(none)") for tid, root in roots.items()}


def draw(pool: pd.DataFrame, forced: pd.Series, target: int, rng: random.Random) -> pd.DataFrame:
    chosen = pool[forced].assign(reason=lambda f: f.reason)
    rest = pool[~forced]
    order = list(rest.index)
    rng.shuffle(order)
    per_brand = chosen.brand.value_counts().to_dict()
    picked = []
    for idx in order:
        if len(chosen) + len(picked) >= target:
            break
        brand = rest.at[idx, "brand"]
        if per_brand.get(brand, 0) >= PER_BRAND_CAP:
            continue
        per_brand[brand] = per_brand.get(brand, 0) + 1
        picked.append(idx)
    return pd.concat([chosen, rest.loc[picked].assign(reason="random")])


def split(frame: pd.DataFrame, seed: int) -> pd.DataFrame:
    keys = list(zip(frame.source_file, frame.tweet_id, strict=True))
    keys.sort()
    random.Random(seed).shuffle(keys)
    half = set(keys[: len(keys) // 2])
    frame = frame.copy()
    frame["split"] = [
        "dev" if k in half else "holdout"
        for k in zip(frame.source_file, frame.tweet_id, strict=True)
    ]
    return frame


def random_round(
    posts: pd.DataFrame, inbound: str, drawn: set[str], target: int, seed: int
) -> pd.DataFrame:
    """A capped random draw of `target` posts of one role that no earlier draw took."""
    pool = posts[(posts.inbound == inbound) & ~posts.tweet_id.isin(drawn)].assign(reason="")
    rng = random.Random(seed if inbound == "True" else seed + 1)
    return draw(pool, pd.Series(False, index=pool.index), target, rng)


def main() -> None:
    frames = []
    for name in (HEAD, SAMPLE93):
        frame = load(name)
        frame["brand"] = frame.tweet_id.map(conversation_brand(frame))
        frames.append(frame)
    posts = pd.concat(frames, ignore_index=True)
    rng = random.Random(SAMPLE_SEED)

    customers = posts[posts.inbound == "True"].copy()
    customers["reason"] = ""
    customers.loc[customers.text.str.contains(OVERSAMPLE), "reason"] = "mentions_dm_email_feedback"
    customers.loc[customers.source_file == SAMPLE93, "reason"] = "sample93"
    customers = draw(customers, customers.reason != "", CUSTOMER_TARGET, rng)

    brands = posts[posts.inbound == "False"].copy()
    brands["reason"] = ""
    brands.loc[brands.text.str.contains(FEEDBACK), "reason"] = "mentions_feedback_or_channel"
    brands.loc[brands.source_file == SAMPLE93, "reason"] = "sample93"
    brands = draw(brands, brands.reason != "", BRAND_TARGET, rng)

    OUT.mkdir(parents=True, exist_ok=True)
    columns = ["tweet_id", "source_file", "split", "brand", "reason"]
    for name, frame, seed, target in (
        ("ids_customer_posts.csv", customers, SPLIT_SEED, ROUND2_CUSTOMERS),
        ("ids_brand_replies.csv", brands, SPLIT_SEED + 1, ROUND2_BRANDS),
    ):
        frame = split(frame, seed)
        inbound = "True" if name == "ids_customer_posts.csv" else "False"
        second = random_round(posts, inbound, set(frame.tweet_id), target, ROUND2_SEED)
        frame = pd.concat([frame, second.assign(split="dev", reason="round2_random")])
        for reason, draw_seed, split_seed, customers, brands in SPLIT_ROUNDS:
            count = customers if inbound == "True" else brands
            drawn = random_round(posts, inbound, set(frame.tweet_id), count, draw_seed)
            drawn = split(drawn, split_seed + (inbound == "False"))
            frame = pd.concat([frame, drawn.assign(reason=reason)])
        frame = frame.sort_values(["source_file", "tweet_id"])
        frame[columns].to_csv(OUT / name, index=False)
        print(
            f"{name}: {len(frame)} posts, {frame.brand.nunique()} brands, "
            f"{frame.split.value_counts().to_dict()}, {frame.reason.value_counts().to_dict()}"
        )


if __name__ == "__main__":
    main()
