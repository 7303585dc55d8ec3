"""`carerank classify` as a researcher audits the rules with it: one row per post, the role from
the source or the accounts file, and exactly the labels the warehouse gives the same posts."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from carerank.synthetic import generate_world
from tests.conftest import run_cli

# One pytest-xdist worker runs the module: the world's warehouse is built once.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("classify")]

COLUMNS = [
    "post_id",
    "network",
    "role",
    "lang",
    "category",
    "needs_reply",
    "moved_to_private",
    "promises_feedback",
    "agent",
]


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("classify")
    generate_world(n_brands=4, n_posts=400, n_days=6, seed=31).write(root / "in")
    result = run_cli(
        "classify",
        "--input",
        str(root / "in" / "posts.jsonl"),
        "--accounts",
        str(root / "in" / "brand_accounts.csv"),
        "--out",
        str(root / "classified.csv"),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    classified = pd.read_csv(root / "classified.csv", dtype={"post_id": str})
    return root, classified


def test_one_row_per_post_with_its_role(world):
    root, classified = world
    posts = pd.read_json(root / "in" / "posts.jsonl", lines=True, dtype=False)
    accounts = pd.read_csv(root / "in" / "brand_accounts.csv", dtype=str)
    assert list(classified.columns) == COLUMNS
    assert len(classified) == len(posts)
    assert sorted(classified["post_id"]) == sorted(posts["post_id"].astype(str))
    brand_posts = set(
        posts.loc[posts["author_id"].astype(str).isin(accounts["account_id"]), "post_id"]
    )
    brands_said = set(classified.loc[classified["role"] == "brand", "post_id"])
    assert brands_said == {str(p) for p in brand_posts}
    customers = classified[classified["role"] == "customer"]
    brands = classified[classified["role"] == "brand"]
    assert customers["category"].isin(["question", "complaint", "request", "praise", "other"]).all()
    assert customers[["moved_to_private", "promises_feedback", "agent"]].isna().all().all()
    assert brands[["category", "needs_reply"]].isna().all().all()
    assert brands["moved_to_private"].notna().all()


def test_the_warehouse_gives_the_same_labels(world):
    """The command and the models run the same rules: every customer post's category and
    needs_reply, and every answered post's first-reply labels, agree."""
    root, classified = world
    warehouse = root / "wh" / "warehouse.duckdb"
    files = {"--input": "posts.jsonl", "--brands": "brands.csv", "--accounts": "brand_accounts.csv"}
    options = [part for option, name in files.items() for part in (option, str(root / "in" / name))]
    run = run_cli("run", *options, "--warehouse", str(warehouse))
    assert run.returncode == 0, run.stdout + run.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute(
            "select distinct network, post_id, category, needs_reply, first_reply_post_id, "
            "reply_moved_to_private, reply_promises_feedback, reply_agent "
            "from marts.fct_customer_posts"
        ).df()
    # a record delivered twice is classified twice, alike; the warehouse keeps it once
    by_post = classified.drop_duplicates(["network", "post_id"]).set_index(["network", "post_id"])
    posts = by_post.loc[list(zip(facts["network"], facts["post_id"], strict=True))]
    assert (facts["category"].to_numpy() == posts["category"].to_numpy()).all()
    assert (facts["needs_reply"].to_numpy() == posts["needs_reply"].to_numpy()).all()
    answered = facts.dropna(subset=["first_reply_post_id"])
    assert len(answered)
    keys = zip(answered["network"], answered["first_reply_post_id"], strict=True)
    replies = by_post.loc[list(keys)]
    assert (answered["reply_moved_to_private"].to_numpy() == replies["moved_to_private"]).all()
    assert (answered["reply_promises_feedback"].to_numpy() == replies["promises_feedback"]).all()
    assert (answered["reply_agent"].fillna("").to_numpy() == replies["agent"].fillna("")).all()


def test_mistakes_get_one_line(world, tmp_path):
    root, _ = world
    missing = run_cli("classify", "--input", str(tmp_path / "nope.csv"), "--out", "x.csv")
    folder = run_cli(
        "classify", "--input", str(root / "in" / "posts.jsonl"), "--out", str(tmp_path)
    )
    for result, words in ((missing, "no such file"), (folder, "is a folder")):
        assert result.returncode == 2, result.stderr
        assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1
