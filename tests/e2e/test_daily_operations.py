"""Daily operations: landing a world day by day (in order, or out of order) ends in the same
marts as one backfill over all days, and a reply landed days later turns a pending post into an
answered one."""

from __future__ import annotations

from datetime import date, timedelta

import duckdb
import pandas as pd
import pytest

from carerank.synthetic import generate_world
from tests.conftest import run_cli, world_inputs

pytestmark = pytest.mark.e2e
START = date(2026, 7, 1)
DAYS = [START + timedelta(days=i) for i in range(4)]
MARTS = ("fct_customer_posts", "agg_brand_daily", "rpt_brand_ranking")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    root = tmp_path_factory.mktemp("daily")
    generate_world(n_brands=6, n_posts=700, n_days=len(DAYS), seed=5, start=START).write(root)
    return root


def run_days(world, warehouse, first: date, last: date) -> None:
    result = run_cli(
        "run",
        *world_inputs(world),
        "--start",
        first.isoformat(),
        "--end",
        last.isoformat(),
        "--warehouse",
        str(warehouse),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def marts(warehouse) -> dict[str, pd.DataFrame]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return {m: con.execute(f"select * from marts.{m} order by all").df() for m in MARTS}


@pytest.fixture(scope="module")
def backfill(world, tmp_path_factory):
    warehouse = tmp_path_factory.mktemp("backfill") / "warehouse.duckdb"
    run_days(world, warehouse, DAYS[0], DAYS[-1])
    return marts(warehouse)


@pytest.mark.parametrize("order", ["reversed"])  # in order: see the late-reply test
def test_day_by_day_equals_one_backfill(world, backfill, order, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    for day in DAYS if order == "in_order" else DAYS[::-1]:
        run_days(world, warehouse, day, day)
    got = marts(warehouse)
    for name in MARTS:
        pd.testing.assert_frame_equal(got[name], backfill[name], obj=name)


def test_late_reply_turns_pending_into_answered(world, tmp_path):
    truth = pd.read_csv(world / "truth.csv", dtype=str, keep_default_na=False)
    truth["reply_day"] = pd.to_datetime(truth["first_reply_at"], utc=True, errors="coerce").dt.date
    answered_later = truth[
        (truth["status"] == "answered")
        & truth["post_id"].isin(
            pd.read_json(world / "posts.jsonl", lines=True, dtype=False)
            .assign(day=lambda d: pd.to_datetime(d["created_at"], utc=True).dt.date)
            .query("day == @DAYS[0]")["post_id"]
        )
        & (truth["reply_day"] > DAYS[0])
    ]
    assert len(answered_later) > 0
    warehouse = tmp_path / "warehouse.duckdb"
    run_days(world, warehouse, DAYS[0], DAYS[0])
    keys = list(
        answered_later[["network", "post_id", "brand_id"]].itertuples(index=False, name=None)
    )

    def statuses() -> set[str]:
        with duckdb.connect(str(warehouse), read_only=True) as con:
            facts = con.execute(
                "select network, post_id, brand_id, status from marts.fct_customer_posts"
            ).fetchall()
        return {s for n, p, b, s in facts if (n, p, b) in keys}

    assert statuses() == {"pending"}  # the reply is not landed yet: the post is not unanswered
    run_days(world, warehouse, DAYS[1], DAYS[-1])
    assert statuses() == {"answered"}
