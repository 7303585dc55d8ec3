"""The incremental models against a full rebuild, on the dbt layer alone (no Dagster: many runs).

A synthetic world is landed window by window, exactly as the nightly runs do (the landing zone
grows; each dbt build gets the window as vars start_date / end_date), in several orders. Every
sequence must end in the tables of one build over everything, and those equal the generator's
truth (tests/e2e/test_generated_world.py), so no order can drift from the truth."""

from __future__ import annotations

import json
import random
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from carerank.dbt_build import dbt_build, window_vars
from carerank.synthetic import generate_world
from ingestion.landing import land_file, scan_days
from ingestion.warehouse import refresh_raw_views

# dbt runs in this process: its artifacts go to a folder of the module, not to the project's
# target folder that `carerank run` reads the manifest from (tests/conftest.py).
pytestmark = [pytest.mark.e2e, pytest.mark.usefixtures("dbt_target_in_tmp")]

START = date(2026, 7, 1)
N_DAYS = 16  # beyond the 7-day horizon: posts go pending -> unanswered as days land
DAYS = [START + timedelta(days=i) for i in range(N_DAYS)]
TABLES = {
    "marts.fct_customer_posts": "*",
    "marts.agg_brand_daily": "*",
    "marts.rpt_brand_ranking": "*",
    "staging.stg_posts": "* exclude (_ingested_at)",
}
INGESTED_AT = datetime(2026, 8, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental_world")
    generate_world(n_brands=6, n_posts=900, n_days=N_DAYS, seed=11, start=START).write(root)
    return root


class Warehouse:
    """A landing zone and a warehouse that runs land windows into and build them."""

    def __init__(self, root: Path, world: Path):
        self.root = root
        self.world = world
        self.path = root / "warehouse.duckdb"
        self.landing = root / "landing"

    def run(self, first: date, last: date, *extra: str, **more_vars) -> None:
        land_file(
            self.world / "posts.jsonl",
            self.landing,
            start=first,
            end=last,
            ingested_at=INGESTED_AT,
        )
        refresh_raw_views(self.path, self.landing)
        dbt_vars = window_vars(
            first,
            last,
            brands_file=str(self.world / "brands.csv"),
            accounts_file=str(self.world / "brand_accounts.csv"),
            **more_vars,
        )
        dbt_build(self.path, dbt_vars, *extra)

    def tables(self) -> dict[str, pd.DataFrame]:
        with duckdb.connect(str(self.path)) as con:
            return {
                name: con.execute(f"select {columns} from {name} order by all").df()
                for name, columns in TABLES.items()
            }

    def queued_share(self) -> float:
        """The share of all posts that the last run rebuilt the facts of."""
        with duckdb.connect(str(self.path)) as con:
            return con.execute(
                "select (select count(*) from intermediate.int_posts_queued)"
                " / (select count(*) from staging.stg_posts)"
            ).fetchone()[0]

    def queue(self) -> list[tuple]:
        with duckdb.connect(str(self.path)) as con:
            return con.execute(
                "select consumer, network, post_date from audit.rebuild_queue"
            ).fetchall()

    def provisional_periods(self) -> set[str]:
        with duckdb.connect(str(self.path)) as con:
            rows = con.execute(
                "select distinct period from marts.rpt_brand_ranking where is_provisional"
            ).fetchall()
        return {period for (period,) in rows}


def twitter_brand(world: Path) -> pd.Series:
    """A brand account of the world's registry, to write replies from."""
    accounts = pd.read_csv(world / "brand_accounts.csv", dtype=str)
    return accounts[accounts["network"] == "twitter"].iloc[0]


def world_with_posts(folder: Path, world: Path, posts: list[dict], *, keep_posts=True) -> Path:
    """A world in folder: the registry of world, and its posts (or none) followed by posts."""
    for name in ("brands.csv", "brand_accounts.csv"):
        (folder / name).write_bytes((world / name).read_bytes())
    original = (world / "posts.jsonl").read_text() if keep_posts else ""
    (folder / "posts.jsonl").write_text(original + "".join(json.dumps(r) + "\n" for r in posts))
    return folder


def assert_same_tables(got: dict[str, pd.DataFrame], want: dict[str, pd.DataFrame]) -> None:
    for name in TABLES:
        assert len(got[name]) == len(want[name]), name
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


@pytest.fixture(scope="module")
def one_build(world, tmp_path_factory) -> dict[str, pd.DataFrame]:
    warehouse = Warehouse(tmp_path_factory.mktemp("one_build"), world)
    warehouse.run(DAYS[0], DAYS[-1])
    tables = warehouse.tables()
    assert len(tables["marts.fct_customer_posts"]) > 500
    assert set(tables["marts.fct_customer_posts"]["status"]) == {
        "answered",
        "unanswered",
        "pending",
    }
    return tables


def test_nightly_runs_in_order_equal_one_build(world, one_build, tmp_path):
    warehouse = Warehouse(tmp_path, world)
    for day in DAYS:
        warehouse.run(day, day)
        assert warehouse.queue() == [], "every model consumed its queued work"

    # the last night rebuilt a window, not everything: its day, the 7 days of its horizon
    # (8 of 16 days) and the threads the day touches
    assert warehouse.queued_share() < 0.65
    assert_same_tables(warehouse.tables(), one_build)


def test_windows_out_of_order_and_repeated_equal_one_build(world, one_build, tmp_path):
    rng = random.Random(3)
    windows = [(DAYS[i], DAYS[min(i + 2, N_DAYS - 1)]) for i in range(0, N_DAYS, 3)]
    rng.shuffle(windows)
    windows.insert(2, windows[0])  # the same window twice
    windows.append((DAYS[4], DAYS[4]))  # a day re-landed after later ones
    warehouse = Warehouse(tmp_path, world)
    for first, last in windows:
        warehouse.run(first, last)
    assert_same_tables(warehouse.tables(), one_build)
    warehouse.run(DAYS[0], DAYS[-1], "--full-refresh")
    assert_same_tables(warehouse.tables(), one_build)


def test_a_changed_setting_rebuilds_everything(world, tmp_path, tmp_path_factory):
    """A new horizon on day 10 applies to every post, not only to the window's."""
    clean = Warehouse(tmp_path_factory.mktemp("clean_horizon"), world)
    clean.run(DAYS[0], DAYS[10], horizon_days=3)
    warehouse = Warehouse(tmp_path, world)
    warehouse.run(DAYS[0], DAYS[9])
    warehouse.run(DAYS[10], DAYS[10], horizon_days=3)
    assert_same_tables(warehouse.tables(), clean.tables())


def test_a_failed_run_leaves_its_work_queued(world, one_build, tmp_path):
    """The marts fail (here: their models are left out of the run); the next night's window
    does not cover the earlier days, yet the marts still end complete."""
    warehouse = Warehouse(tmp_path, world)
    warehouse.run(DAYS[0], DAYS[7])
    warehouse.run(DAYS[8], DAYS[12], "--select", "+fct_customer_posts")
    assert {consumer for consumer, _, _ in warehouse.queue()} == {
        "agg_brand_daily",
        "rpt_brand_ranking",
    }
    warehouse.run(DAYS[13], DAYS[-1])
    assert warehouse.queue() == []
    assert_same_tables(warehouse.tables(), one_build)


def test_a_reply_deleted_at_the_source_releases_its_post(world, tmp_path, tmp_path_factory):
    """A brand replied to a post long after the horizon (rule c: the post becomes the brand's,
    unanswered); the reply is then deleted on the network and its day re-landed. The post,
    older than the day's horizon, must leave the facts: the tables equal a clean build of the
    world without the reply (the post itself stays)."""
    brand = twitter_brand(world)
    lonely = {
        "network": "twitter",
        "post_id": "900000001",
        "author_id": "900000002",
        "author_handle": "somebody",
        "created_at": f"{DAYS[1]}T09:00:00+00:00",
        "text": "my parcel is lost",
    }
    late_reply = {
        "network": "twitter",
        "post_id": "900000003",
        "author_id": brand["account_id"],
        "author_handle": brand["handle"],
        "created_at": f"{DAYS[12]}T09:00:00+00:00",
        "text": "@somebody sorry, we only see this now",
        "in_reply_to_post_id": lonely["post_id"],
        "in_reply_to_author_id": lonely["author_id"],
    }
    with_reply = world_with_posts(tmp_path_factory.mktemp("with"), world, [lonely, late_reply])
    without_reply = world_with_posts(tmp_path_factory.mktemp("without"), world, [lonely])

    warehouse = Warehouse(tmp_path, with_reply)
    warehouse.run(DAYS[0], DAYS[-1])
    with duckdb.connect(str(warehouse.path)) as con:
        status = con.execute(
            "select status from marts.fct_customer_posts where post_id = ?", [lonely["post_id"]]
        ).fetchall()
    assert status == [("unanswered",)]

    clean = Warehouse(tmp_path_factory.mktemp("clean_without_reply"), without_reply)
    clean.run(DAYS[0], DAYS[-1])
    # the reply is deleted: the same file (and registry), re-exported without it
    (with_reply / "posts.jsonl").write_bytes((without_reply / "posts.jsonl").read_bytes())
    warehouse.run(DAYS[12], DAYS[12])
    assert_same_tables(warehouse.tables(), clean.tables())


def test_a_period_turns_final_with_none_of_its_facts_changing(world, tmp_path, tmp_path_factory):
    """Every question is answered within the hour, in July and in August. After July's night,
    July is provisional (its horizon has not passed at the observation time); August's night
    moves the observation time past it, yet its window holds no July day and no July fact
    changes, so nothing else would queue July again. Two nights must equal one build over both
    months, is_provisional included: the ranking rebuilds the periods it stored as provisional."""
    brand = twitter_brand(world)
    posts = []
    for i, day in enumerate([date(2026, 7, 10), date(2026, 7, 19), date(2026, 8, 20)]):
        customer = {"author_id": f"80000{i}0", "author_handle": f"customer{i}"}
        question = {
            "network": "twitter",
            "post_id": f"80000{i}1",
            **customer,
            "created_at": f"{day}T09:00:00+00:00",
            "text": f"@{brand['handle']} where is my parcel?",
        }
        reply = {
            "network": "twitter",
            "post_id": f"80000{i}2",
            "author_id": brand["account_id"],
            "author_handle": brand["handle"],
            "created_at": f"{day}T10:00:00+00:00",
            "text": f"@{customer['author_handle']} on its way",
            "in_reply_to_post_id": question["post_id"],
            "in_reply_to_author_id": customer["author_id"],
        }
        posts += [question, reply]
    answered = world_with_posts(tmp_path_factory.mktemp("answered"), world, posts, keep_posts=False)
    july = (date(2026, 7, 1), date(2026, 7, 31))
    august = (date(2026, 8, 1), date(2026, 8, 31))

    clean = Warehouse(tmp_path_factory.mktemp("clean_two_months"), answered)
    clean.run(july[0], august[1])
    assert clean.provisional_periods() == {"2026-08", "2026Q3", "2026"}

    warehouse = Warehouse(tmp_path, answered)
    warehouse.run(*july)
    assert warehouse.provisional_periods() == {"2026-07", "2026Q3", "2026"}
    warehouse.run(*august)
    assert warehouse.queue() == []
    assert_same_tables(warehouse.tables(), clean.tables())


def test_real_kaggle_threads_out_of_order_equal_one_build(kaggle_sample, tmp_path):
    """The real TWCS sample (brands known only from inbound = False, threads spanning years):
    2017 month by month in random order, then the years before, equals one build."""
    first, last = scan_days(kaggle_sample, "twcs")

    def build_windows(root: Path, windows: list[tuple[date, date]]) -> dict[str, pd.DataFrame]:
        for start, end in windows:
            land_file(kaggle_sample, root / "landing", fmt="twcs", start=start, end=end)
            refresh_raw_views(root / "warehouse.duckdb", root / "landing")
            dbt_build(root / "warehouse.duckdb", window_vars(start, end))
        with duckdb.connect(str(root / "warehouse.duckdb")) as con:
            return {
                name: con.execute(f"select * from {name} order by all").df()
                for name in TABLES
                if name.startswith("marts.")
            }

    months = [
        (date(2017, m, 1), (date(2017, m, 1) + timedelta(days=32)).replace(day=1) - timedelta(1))
        for m in range(1, 13)
    ]
    random.Random(1).shuffle(months)
    one = build_windows(tmp_path / "one", [(first, last)])
    nightly = build_windows(tmp_path / "windows", [*months, (first, date(2016, 12, 31))])
    assert len(one["marts.fct_customer_posts"]) > 1000
    for name, table in one.items():
        pd.testing.assert_frame_equal(nightly[name], table, obj=name)
