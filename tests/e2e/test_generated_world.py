"""End to end on a generated world: `carerank run` must reproduce the generator's truth post by
post, and the ranking must agree with the truth's own counts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from carerank.synthetic import generate_world
from orchestration.settings import DBT_PROJECT_DIR
from tests.conftest import run_cli

# One pytest-xdist worker runs the module: world_run is built once, not once per worker.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("generated_world")]

# A BI tool: holds the published warehouse open, reading, until told to stop.
READER = """
import pathlib, sys, time, duckdb
con = duckdb.connect(sys.argv[1], read_only=True)
query = "select count(*) from marts.rpt_brand_ranking"
print(con.execute(query).fetchone()[0], flush=True)
while not pathlib.Path(sys.argv[2]).exists():
    con.execute(query).fetchone()
    time.sleep(0.2)
print(con.execute(query).fetchone()[0])
"""


def run_world(inputs, warehouse, env=None):
    """`carerank run` on a generated world's files."""
    return run_cli(
        "run",
        "--input",
        str(inputs / "posts.jsonl"),
        "--brands",
        str(inputs / "brands.csv"),
        "--accounts",
        str(inputs / "brand_accounts.csv"),
        "--warehouse",
        str(warehouse),
        env=env,
    )


@pytest.fixture(scope="module")
def world_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("world")
    world = generate_world(n_brands=16, n_posts=4000, n_days=45, seed=11)
    world.write(root / "in")
    warehouse = root / "wh" / "warehouse.duckdb"
    result = run_world(root / "in", warehouse)
    assert result.returncode == 0, result.stdout + result.stderr
    truth = pd.read_csv(root / "in" / "truth.csv", dtype=str, keep_default_na=False)
    return root, warehouse, truth


def test_fact_table_equals_truth_post_by_post(world_run):
    _, warehouse, truth = world_run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        facts = con.execute(
            "select network, post_id, brand_id, is_addressed, is_question, status, "
            "first_reply_post_id, first_reply_at, response_seconds from marts.fct_customer_posts"
        ).df()
    key = ["network", "post_id", "brand_id"]
    merged = facts.merge(truth, on=key, how="outer", indicator=True, suffixes=("", "_truth"))
    missing = merged[merged["_merge"] != "both"]
    assert missing.empty, f"facts and truth differ in rows:\n{missing[[*key, '_merge']].head(20)}"
    assert (merged["status"] == merged["status_truth"]).all(), merged.loc[
        merged["status"] != merged["status_truth"], [*key, "status", "status_truth"]
    ].head(20)
    assert (merged["is_addressed"].astype(str) == merged["is_addressed_truth"]).all()
    assert (merged["is_question"].astype(str) == merged["is_question_truth"]).all()
    answered = merged[merged["status"] == "answered"]
    assert (answered["first_reply_post_id"] == answered["first_reply_post_id_truth"]).all()
    assert answered["response_seconds"].to_numpy() == pytest.approx(
        answered["response_seconds_truth"].astype(float).to_numpy()
    )
    true_reply_at = pd.to_datetime(answered["first_reply_at_truth"], utc=True).dt.tz_localize(None)
    assert (answered["first_reply_at"].to_numpy() == true_reply_at.to_numpy()).all()
    other = merged[merged["status"] != "answered"]
    assert other["first_reply_post_id"].isna().all() and other["response_seconds"].isna().all()
    # the world holds every outcome
    assert set(merged["status"]) == {"answered", "unanswered", "pending"}


def test_ranking_agrees_with_truth_counts(world_run):
    _, warehouse, truth = world_run
    result = run_cli(
        "ranking",
        "--period",
        "2026Q3",
        "--network",
        "all",
        "--format",
        "json",
        "--warehouse",
        str(warehouse),
    )
    assert result.returncode == 0, result.stderr
    ranking = pd.DataFrame(json.loads(result.stdout)).set_index("brand_id")
    questions = truth[truth["is_question"] == "True"]
    expected = questions.groupby("brand_id").agg(
        questions=("post_id", "size"),
        answered=("status", lambda s: int((s == "answered").sum())),
    )
    joined = ranking.join(expected, suffixes=("", "_truth"), how="outer")
    assert (joined["questions"] == joined["questions_truth"]).all()
    assert (joined["answered_questions"] == joined["answered"]).all()
    eligible = joined[joined["questions"] >= 50].sort_values("rank")
    assert eligible["rank"].notna().all()
    rates = (eligible["answered"] / eligible["questions"]).to_numpy()
    assert list(rates) == sorted(rates, reverse=True)  # ranked by rate
    assert (
        (joined["response_rate_ci_low"] <= joined["response_rate"])
        & (joined["response_rate"] <= joined["response_rate_ci_high"])
    ).all()


def test_rerun_gives_the_same_tables_while_a_bi_reader_holds_the_published_copy(world_run):
    root, warehouse, _ = world_run
    published = warehouse.parent / "published" / "warehouse.duckdb"
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(published), str(warehouse.parent / "reader.done")],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout.readline().strip().isdigit()  # connected and reading

    def snapshot():
        with duckdb.connect(str(warehouse), read_only=True) as con:
            return con.execute(
                "select * from marts.fct_customer_posts order by network, post_id, brand_id"
            ).df()

    before = snapshot()
    result = run_world(root / "in", warehouse)
    assert result.returncode == 0, result.stderr
    pd.testing.assert_frame_equal(before, snapshot())
    (warehouse.parent / "reader.done").touch()
    out, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0 and out.strip().isdigit()  # its open copy stayed readable
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("select count(*) from marts.fct_customer_posts").fetchone()[0] == len(
            before
        )


def test_blocking_check_failure_stops_the_ranking(tmp_path):
    world = generate_world(n_brands=4, n_posts=300, n_days=5, seed=3)
    world.write(tmp_path / "in")
    suites = tmp_path / "suites"
    shutil.copytree("orchestration/expectations", suites)
    suite = json.loads((suites / "fct_customer_posts.json").read_text())
    suite["expectations"].append(
        {
            "type": "expect_column_values_to_be_in_set",
            "kwargs": {"column": "status", "value_set": ["answered"]},
        }
    )
    (suites / "fct_customer_posts.json").write_text(json.dumps(suite))
    warehouse = tmp_path / "wh" / "warehouse.duckdb"
    result = run_world(tmp_path / "in", warehouse, env={"CARERANK_GX_SUITES": str(suites)})
    assert result.returncode == 1
    assert "fct_customer_posts_suite" in result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = {
            r[0]
            for r in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
    assert "fct_customer_posts" in tables and "rpt_brand_ranking" not in tables
    assert not (warehouse.parent / "published").exists()  # nothing was published


def test_backfill_of_a_range_changes_nothing_and_keeps_the_registry(world_run):
    _, warehouse, truth = world_run
    with duckdb.connect(str(warehouse), read_only=True) as con:
        before = con.execute("select * from marts.rpt_brand_ranking order by all").df()
    result = run_cli(
        "backfill", "--start", "2026-07-10", "--end", "2026-07-12", "--warehouse", str(warehouse)
    )
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(warehouse), read_only=True) as con:
        after = con.execute("select * from marts.rpt_brand_ranking order by all").df()
        facts = con.execute("select count(*) from marts.fct_customer_posts").fetchone()[0]
    pd.testing.assert_frame_equal(before, after)
    assert facts == len(truth)


def test_published_copy_is_movable_and_holds_no_customer_data(world_run, tmp_path):
    root, warehouse, _ = world_run
    moved = tmp_path / "elsewhere" / "copy.duckdb"
    moved.parent.mkdir()
    shutil.copyfile(warehouse.parent / "published" / "warehouse.duckdb", moved)
    posts = pd.read_json(root / "in" / "posts.jsonl", lines=True, dtype=False)
    accounts = pd.read_csv(root / "in" / "brand_accounts.csv", dtype=str)
    customers = posts[~posts["author_id"].astype(str).isin(set(accounts["account_id"]))]
    secrets = (
        set(customers["author_id"].astype(str))
        | {h.lower() for h in customers["author_handle"].astype(str)}
        | {t for t in customers["text"].astype(str) if len(t) > 12}
    )
    with duckdb.connect(str(moved), read_only=True) as con:
        tables = con.execute(
            "select schema_name, table_name from duckdb_tables() order by all"
        ).fetchall()
        assert {s for s, _ in tables} == {"marts", "registry", "audit"}
        assert not con.execute("select * from duckdb_views() where not internal").fetchall()
        published = {
            (schema, table): con.execute(f"select * from {schema}.{table}").df()
            for schema, table in tables
        }
    assert ("marts", "rpt_brand_ranking") in published and (
        "marts",
        "fct_customer_posts",
    ) in published
    for (schema, table), df in published.items():
        values = {str(v).lower() for column in df.columns for v in df[column].dropna()}
        leaked = values & {s.lower() for s in secrets}
        assert not leaked, f"{schema}.{table} holds customer data: {sorted(leaked)[:5]}"


def test_ranking_reads_the_published_copy_while_a_run_holds_the_warehouse(world_run):
    _, warehouse, _ = world_run
    with duckdb.connect(str(warehouse)) as writer:  # a run's lock on the live file
        writer.execute("select count(*) from marts.fct_customer_posts").fetchone()
        result = run_cli("ranking", "--warehouse", str(warehouse), "--limit", "5")
    assert result.returncode == 0, result.stderr
    assert "carerank 2026Q3 · all" in result.stdout and "Socially Devoted" in result.stdout


def test_headline_metrics_through_metricflow_equal_the_ranking(world_run, tmp_path):
    """The semantic layer's response rate and median response time, queried through MetricFlow
    per brand and quarter, equal the ranking's figures (network 'all', the default base)."""
    _, warehouse, _ = world_run
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("CARERANK_")},
        "CARERANK_WAREHOUSE": str(warehouse),
        "DBT_PROFILES_DIR": str(DBT_PROJECT_DIR),
        "DBT_TARGET_PATH": str(tmp_path / "target"),
    }
    tools = Path(sys.executable).parent
    query = ["--metrics", "response_rate,median_response_time"]
    query += ["--group-by", "brand,metric_time__quarter", "--csv", str(tmp_path / "mf.csv")]
    for command in ([str(tools / "dbt"), "parse", "--quiet"], [str(tools / "mf"), "query", *query]):
        done = subprocess.run(
            command, cwd=DBT_PROJECT_DIR, env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stdout + done.stderr
    metrics = pd.read_csv(tmp_path / "mf.csv")
    metrics["period"] = pd.to_datetime(metrics["metric_time__quarter"]).dt.to_period("Q")
    metrics["period"] = metrics["period"].astype(str)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        ranking = con.execute(
            "select period, brand_id as brand, response_rate, median_response_seconds "
            "from marts.rpt_brand_ranking where period_type = 'quarter' and network = 'all' "
            "and response_rate is not null"
        ).df()
    joined = ranking.merge(metrics, on=["period", "brand"], how="left", validate="one_to_one")
    assert len(joined) and joined["response_rate_y"].notna().all()
    assert (joined["response_rate_x"] - joined["response_rate_y"]).abs().max() < 1e-9
    assert (joined["median_response_seconds"] - joined["median_response_time"]).abs().max() < 1e-6
