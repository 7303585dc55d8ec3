"""The real Kaggle samples: per-brand customer posts, answered posts and median response time
must equal an independent computation written here in pandas from the README's definitions (a
customer post mentions a brand or replies to it; its first brand reply within the horizon answers
it)."""

from __future__ import annotations

import re
from datetime import timedelta

import duckdb
import pandas as pd
import pytest

from tests.conftest import run_cli

pytestmark = pytest.mark.e2e
MENTION = re.compile(r"(?:^|[^A-Za-z0-9_@])@([A-Za-z0-9_]+)")
HORIZON = timedelta(days=7)


def independent_brand_figures(path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    df["tweet_id"] = df["tweet_id"].str.replace(r"\.0+$", "", regex=True)
    df["in_response_to_tweet_id"] = df["in_response_to_tweet_id"].str.replace(
        r"\.0+$", "", regex=True
    )
    df["created"] = pd.to_datetime(df["created_at"], format="%a %b %d %H:%M:%S %z %Y", utc=True)
    df["is_brand"] = df["inbound"].str.lower() == "false"
    brand_handles = {h.lower(): h for h in df.loc[df["is_brand"], "author_id"]}
    author = dict(zip(df["tweet_id"], df["author_id"], strict=True))
    observed_until = pd.Timestamp(df["created"].max().date() + timedelta(days=1), tz="UTC")

    replies: dict[tuple[str, str], list[pd.Timestamp]] = {}
    for row in df[df["is_brand"] & (df["in_response_to_tweet_id"] != "")].itertuples():
        replies.setdefault((row.in_response_to_tweet_id, row.author_id), []).append(row.created)

    rows = []
    for row in df[~df["is_brand"]].itertuples():
        brands = {
            brand_handles[m.lower()]
            for m in MENTION.findall(row.text)
            if m.lower() in brand_handles
        }
        parent_author = author.get(row.in_response_to_tweet_id)
        if parent_author in brand_handles.values():
            brands.add(parent_author)
        brands |= {b for (post, b) in replies if post == row.tweet_id}
        for brand in brands:
            times = sorted(t for t in replies.get((row.tweet_id, brand), []) if t >= row.created)
            answered = bool(times) and times[0] - row.created <= HORIZON
            rows.append(
                {
                    "brand_id": brand,
                    "answered": answered,
                    "pending": not answered and row.created + HORIZON > observed_until,
                    "seconds": (times[0] - row.created).total_seconds() if answered else None,
                }
            )
    facts = pd.DataFrame(rows)
    return facts.groupby("brand_id").agg(
        customer_posts=("answered", "size"),
        answered=("answered", "sum"),
        pending=("pending", "sum"),
        median_seconds=("seconds", "median"),
    )


def warehouse_brand_figures(warehouse) -> pd.DataFrame:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return (
            con.execute(
                "select brand_id, count(*) as customer_posts, "
                "count(*) filter (where status = 'answered') as answered, "
                "count(*) filter (where status = 'pending') as pending, "
                "median(response_seconds) as median_seconds "
                "from marts.fct_customer_posts group by brand_id"
            )
            .df()
            .set_index("brand_id")
        )


@pytest.mark.parametrize("sample", ["kaggle_official_sample", "kaggle_sample"])
def test_per_brand_figures_equal_independent_computation(sample, request, tmp_path):
    path = request.getfixturevalue(sample)
    warehouse = tmp_path / "warehouse.duckdb"
    result = run_cli("run", "--input", str(path), "--format", "twcs", "--warehouse", str(warehouse))
    assert result.returncode == 0, result.stdout + result.stderr
    got = warehouse_brand_figures(warehouse).sort_index()
    expected = independent_brand_figures(path).sort_index()
    assert list(got.index) == list(expected.index)
    for column in ("customer_posts", "answered", "pending"):
        assert (got[column].astype(int) == expected[column].astype(int)).all(), column
    pd.testing.assert_series_equal(
        got["median_seconds"].astype(float),
        expected["median_seconds"].astype(float),
        check_names=False,
    )
    ranking = run_cli("ranking", "--warehouse", str(warehouse), "--period", "2017Q4")
    assert ranking.returncode == 0, ranking.stderr
