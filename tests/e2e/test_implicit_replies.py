"""End to end: a generated world whose brand replies lost their reply links, run with
--implicit-replies, must find most answers again, and almost only right ones."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from carerank.synthetic import generate_world
from evaluation.implicit_replies import score, strip_jsonl
from tests.conftest import run_cli

# One pytest-xdist worker runs the module: the pipeline runs once, not once per worker.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("implicit_replies")]


@pytest.fixture(scope="module")
def unlinked_run(tmp_path_factory):
    """(warehouse, removed links, truth) of a run on a world without any reply link."""
    root = tmp_path_factory.mktemp("implicit")
    world = generate_world(n_brands=8, n_posts=1500, n_days=20, seed=5)
    world.write(root / "in")
    accounts = root / "in" / "brand_accounts.csv"
    removed = strip_jsonl(root / "in" / "posts.jsonl", root / "posts.jsonl", accounts, 1.0, 5)
    warehouse = root / "wh" / "warehouse.duckdb"
    result = run_cli(
        "run",
        "--implicit-replies",
        "--input",
        str(root / "posts.jsonl"),
        "--brands",
        str(root / "in" / "brands.csv"),
        "--accounts",
        str(accounts),
        "--warehouse",
        str(warehouse),
    )
    assert result.returncode == 0, result.stdout + result.stderr
    truth = pd.read_csv(root / "in" / "truth.csv", dtype=str, keep_default_na=False)
    return warehouse, removed, truth


def test_implicit_matches_are_the_generators_first_replies(unlinked_run):
    warehouse, removed, truth = unlinked_run
    assert removed, "the world has brand replies whose links were removed"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        matches = con.execute(
            "select network, post_id, brand_id, first_reply_post_id, match_type "
            "from marts.fct_customer_posts where status = 'answered'"
        ).df()
    assert set(matches["match_type"]) == {"implicit"}, "no reply link left: every answer implicit"
    key = ["network", "post_id", "brand_id"]
    merged = matches.merge(truth, on=key, how="left", suffixes=("", "_truth"))
    right = (merged["first_reply_post_id"] == merged["first_reply_post_id_truth"]).sum()
    precision = right / len(merged)
    recall = right / (truth["status"] == "answered").sum()
    assert precision >= 0.95, f"precision {precision:.3f} against the generator's truth"
    assert recall > 0, "implicit matching found none of the answers"


def test_implicit_matches_follow_the_removed_links(unlinked_run):
    warehouse, removed, _ = unlinked_run
    figures = score("generated world", 1.0, warehouse, removed)
    assert figures.implicit_matches > 0
    assert figures.precision >= 0.95, figures
    assert figures.recall > 0.5, figures
