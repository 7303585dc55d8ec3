"""The ranking's per-brand figures in plain pandas, from the same files and by the same rules as
the hand-written DuckDB script (benchmarks/duckdb_baseline.py, whose docstring states them):
the cost of doing it by hand in a data frame library.

    .venv/bin/python -m benchmarks.pandas_baseline POSTS ACCOUNTS OUT.csv
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from benchmarks.duckdb_baseline import (
    COUNTS,
    DOTTED_MENTION,
    DOTTED_NETWORKS,
    FIGURES,
    HORIZON_DAYS,
    KEY,
    PLAIN_MENTION,
    QUESTION_PATTERN,
)

POST_COLUMNS = [
    "network",
    "post_id",
    "author_id",
    "author_handle",
    "created_at",
    "text",
    "in_reply_to_post_id",
    "in_reply_to_author_id",
]
PAIR = ["network", "post_id"]


def read_posts(path: Path) -> pd.DataFrame:
    """The records, once each, every column text (ids stay strings), times in UTC."""
    posts = pd.read_json(path, lines=True, dtype=False)
    posts = posts.reindex(columns=POST_COLUMNS).drop_duplicates(PAIR)
    posts["created_at"] = pd.to_datetime(posts["created_at"], utc=True, format="ISO8601")
    posts["handle"] = posts["author_handle"].str.lower()
    return posts


def read_accounts(path: Path) -> pd.DataFrame:
    accounts = pd.read_csv(path, dtype=str, keep_default_na=False)
    accounts["handle"] = accounts["handle"].str.lower()
    return accounts[["brand_id", "network", "account_id", "handle"]]


def authored(posts: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """Each post with the brand whose account wrote it (by account id, else by handle)."""
    by_id = accounts.rename(columns={"account_id": "author_id", "brand_id": "by_id"})
    by_handle = accounts.rename(columns={"brand_id": "by_handle"})
    out = posts.merge(by_id[["network", "author_id", "by_id"]], how="left")
    out = out.merge(by_handle[["network", "handle", "by_handle"]], how="left")
    out["brand_id"] = out["by_id"].fillna(out["by_handle"])
    return out.drop(columns=["by_id", "by_handle"]).drop_duplicates(PAIR)


def mentioned(customer: pd.DataFrame, accounts: pd.DataFrame) -> pd.DataFrame:
    """(network, post_id, brand_id) of every registered handle a customer post mentions."""
    frames = []
    for dotted, group in customer.groupby(customer["network"].isin(DOTTED_NETWORKS)):
        pattern = DOTTED_MENTION if dotted else PLAIN_MENTION
        found = group["text"].str.lower().str.extractall(pattern)[0].rename("handle")
        found = found.reset_index(level=1, drop=True)
        frames.append(group[PAIR].join(found, how="inner"))
    handles = pd.concat(frames, ignore_index=True)
    return handles.merge(accounts[["network", "handle", "brand_id"]])[[*PAIR, "brand_id"]]


def attributed(
    customer: pd.DataFrame, posts: pd.DataFrame, replies: pd.DataFrame, accounts: pd.DataFrame
) -> pd.DataFrame:
    """Every (customer post, brand) pair: by mention, by reply to the brand, by brand reply."""
    threaded = customer[customer["in_reply_to_post_id"].notna()]
    parents = posts[posts["brand_id"].notna()][["network", "post_id", "brand_id"]]
    parents = parents.rename(columns={"post_id": "in_reply_to_post_id", "brand_id": "parent"})
    owners = accounts.rename(columns={"account_id": "in_reply_to_author_id", "brand_id": "owner"})
    to_brand = threaded.merge(parents, how="left").merge(
        owners[["network", "in_reply_to_author_id", "owner"]], how="left"
    )
    to_brand["brand_id"] = to_brand["parent"].fillna(to_brand["owner"])
    by_reply = replies[["network", "in_reply_to_post_id", "brand_id"]].rename(
        columns={"in_reply_to_post_id": "post_id"}
    )
    by_reply = by_reply.merge(customer[PAIR])
    pairs = pd.concat(
        [
            mentioned(customer, accounts),
            to_brand[to_brand["brand_id"].notna()][[*PAIR, "brand_id"]],
            by_reply,
        ],
        ignore_index=True,
    )
    return pairs.drop_duplicates()


def facts(
    pairs: pd.DataFrame, customer: pd.DataFrame, replies: pd.DataFrame, posts: pd.DataFrame
) -> pd.DataFrame:
    """Each pair judged: its first reply at or after the post, status and response time."""
    out = pairs.merge(customer[[*PAIR, "created_at", "text"]])
    answers = replies[["network", "in_reply_to_post_id", "brand_id", "created_at"]].rename(
        columns={"in_reply_to_post_id": "post_id", "created_at": "replied_at"}
    )
    answers = answers.merge(out[[*PAIR, "brand_id", "created_at"]])
    answers = answers[answers["replied_at"] >= answers["created_at"]]
    first = answers.groupby([*PAIR, "brand_id"], as_index=False)["replied_at"].min()
    out = out.merge(first, how="left")
    observed = posts.groupby("network")["created_at"].max().dt.floor("D") + pd.Timedelta(days=1)
    horizon = pd.Timedelta(days=HORIZON_DAYS)
    answered = out["replied_at"].notna() & (out["replied_at"] <= out["created_at"] + horizon)
    pending = ~answered & (out["created_at"] + horizon > out["network"].map(observed))
    out["status"] = "unanswered"
    out.loc[pending, "status"] = "pending"
    out.loc[answered, "status"] = "answered"
    seconds = (out["replied_at"] - out["created_at"]).dt.total_seconds()
    out["response_seconds"] = seconds.where(answered)
    out["is_question"] = out["text"].str.contains(QUESTION_PATTERN, regex=True)
    return out


def figures(judged: pd.DataFrame) -> pd.DataFrame:
    """Per quarter, network and brand: the ranking's counts and its times over questions."""
    judged = judged.assign(
        period_start=judged["created_at"].dt.tz_localize(None).dt.to_period("Q").dt.start_time,
        answered_q=judged["is_question"] & (judged["status"] == "answered"),
        judged_q=judged["is_question"] & (judged["status"] != "pending"),
        pending_q=judged["is_question"] & (judged["status"] == "pending"),
    )
    keys = list(KEY)
    grouped = judged.groupby(keys)
    counts = pd.DataFrame(
        {
            "customer_posts": grouped.size(),
            "questions": grouped["is_question"].sum(),
            "answered_questions": grouped["answered_q"].sum(),
            "base_posts": grouped["judged_q"].sum(),
            "pending_posts": grouped["pending_q"].sum(),
        }
    )
    times = judged[judged["is_question"]].groupby(keys)["response_seconds"]
    out = counts.join(
        pd.DataFrame(
            {
                "median_response_seconds": times.median(),
                "p90_response_seconds": times.quantile(0.9),
                "mean_response_seconds": times.mean(),
            }
        )
    ).reset_index()
    out["response_rate"] = out["answered_questions"] / out["base_posts"].where(
        out["base_posts"] > 0
    )
    out["period_start"] = out["period_start"].dt.date
    out[list(COUNTS)] = out[list(COUNTS)].astype("int64")
    return out[list(FIGURES)].sort_values(keys).reset_index(drop=True)


def pandas_figures(posts_path: Path, accounts_path: Path) -> pd.DataFrame:
    accounts = read_accounts(accounts_path)
    posts = authored(read_posts(posts_path), accounts)
    customer = posts[posts["brand_id"].isna()]
    replies = posts[posts["brand_id"].notna() & posts["in_reply_to_post_id"].notna()]
    pairs = attributed(customer, posts, replies, accounts)
    return figures(facts(pairs, customer, replies, posts))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("posts", type=Path)
    parser.add_argument("accounts", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    began = time.perf_counter()
    pandas_figures(args.posts, args.accounts).to_csv(args.out, index=False)
    print(f"{time.perf_counter() - began:.3f}")


if __name__ == "__main__":
    main()
