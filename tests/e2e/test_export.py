"""The anonymised export as a researcher publishes it: every mart as Parquet and CSV with a data
dictionary, and nothing in it that leads to a customer or their post."""

from __future__ import annotations

import hashlib
import json

import duckdb
import pandas as pd
import pytest

from carerank.synthetic import generate_world
from tests.conftest import run_cli

# One pytest-xdist worker runs the module: the export is made once, not once per worker.
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("export")]


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    generate_world(n_brands=5, n_posts=600, n_days=10, seed=17).write(root / "in")
    warehouse = root / "data" / "warehouse.duckdb"
    files = {"--input": "posts.jsonl", "--brands": "brands.csv", "--accounts": "brand_accounts.csv"}
    options = [part for option, name in files.items() for part in (option, str(root / "in" / name))]
    run = run_cli("run", *options, "--warehouse", str(warehouse))
    assert run.returncode == 0, run.stdout + run.stderr
    result = run_cli(
        "export", "--anonymised", "--out", str(root / "out"), "--warehouse", str(warehouse)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return root


def test_every_mart_is_exported_with_its_dictionary(exported):
    out = exported / "out"
    dictionary = json.loads((out / "data_dictionary.json").read_text())
    tables = {t["name"]: t for t in dictionary["tables"]}
    marts = {"fct_customer_posts", "agg_brand_daily", "dim_brands", "rpt_brand_ranking"}
    marts |= {"rpt_industry_benchmarks", "rpt_country_benchmarks", "dim_days", "agg_agent_daily"}
    assert set(tables) == marts
    markdown = (out / "data_dictionary.md").read_text()
    for name, table in tables.items():
        parquet = duckdb.execute(f"select * from '{out / name}.parquet'").df()
        csv = pd.read_csv(out / f"{name}.csv")
        assert len(parquet) == len(csv) == table["rows"] > 0
        assert [c["name"] for c in table["columns"]] == list(parquet.columns)
        for column in table["columns"]:
            assert column["type"] and column["meaning"], f"{name}.{column['name']} undescribed"
            assert f"| {column['name']} |" in markdown


def test_nothing_in_the_export_leads_to_a_customer(exported):
    posts = pd.read_json(exported / "in" / "posts.jsonl", lines=True, dtype=False)
    accounts = pd.read_csv(exported / "in" / "brand_accounts.csv", dtype=str)
    customers = posts[~posts["author_id"].astype(str).isin(set(accounts["account_id"]))]
    secrets = (
        set(customers["author_id"].astype(str))
        | set(customers["author_handle"].astype(str).str.lower())
        | set(posts["post_id"].astype(str))  # every post id: the brands' replies lead there too
        | {t.lower() for t in customers["text"].astype(str) if len(t) > 8}
    )
    found = set()
    for path in (exported / "out").iterdir():
        if path.suffix == ".parquet":
            df = duckdb.execute(f"select * from '{path}'").df()
            values = {str(v).lower() for c in df.columns for v in df[c].dropna()}
        else:
            text = path.read_text().lower()
            values = {token for token in text.replace(",", " ").replace("|", " ").split()}
            values |= {t for t in secrets if len(t) > 8 and t in text}
        found |= values & secrets
    assert not found, f"the export holds customer data: {sorted(found)[:5]}"
    facts = duckdb.execute(
        f"select * from '{exported / 'out' / 'fct_customer_posts.parquet'}'"
    ).df()
    assert (facts["created_at"].dt.minute == 0).all() and (facts["created_at"].dt.second == 0).all()
    answered = facts["response_seconds"].dropna()
    assert len(answered) and (answered % 60 == 0).all()


def test_a_file_as_output_folder_is_one_line(exported, tmp_path):
    target = tmp_path / "a_file"
    target.write_text("keep me")
    warehouse = exported / "data" / "warehouse.duckdb"
    result = run_cli("export", "--anonymised", "--out", str(target), "--warehouse", str(warehouse))
    assert result.returncode == 2 and "is a file" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and target.read_text() == "keep me"


def test_a_parquet_snapshot_of_every_mart_sits_beside_the_published_copy(exported):
    published = exported / "data" / "published"
    snapshot = published / "parquet"
    with duckdb.connect(str(published / "warehouse.duckdb"), read_only=True) as con:
        counts = dict(
            con.execute(
                "select table_name, estimated_size from duckdb_tables() where schema_name = 'marts'"
            ).fetchall()
        )
        for table in counts:
            counts[table] = con.execute(f"select count(*) from marts.{table}").fetchone()[0]
    assert {p.stem for p in snapshot.glob("*.parquet")} == set(counts)
    for table, rows in counts.items():
        parquet = snapshot / f"{table}.parquet"
        assert duckdb.execute(f"select count(*) from '{parquet}'").fetchone()[0] == rows


def test_the_published_copy_records_how_its_figures_were_made(exported):
    """The run's record beside the marts: the input with its checksum and records, the rules in
    force, the landing counts and the checks, all readable from the published file alone."""
    posts = exported / "in" / "posts.jsonl"
    published = exported / "data" / "published" / "warehouse.duckdb"
    with duckdb.connect(str(published), read_only=True) as con:
        inputs = con.execute("select * from audit.run_inputs").df().set_index("file_name")
        settings = dict(con.execute("select name, value from audit.run_settings").fetchall())
        landed = con.execute("select sum(posts) from audit.landed_posts").fetchone()[0]
        checks = con.execute("select kind, passed from audit.check_results").df()
    assert inputs.loc["posts.jsonl", "sha256"] == hashlib.sha256(posts.read_bytes()).hexdigest()
    lines = len(posts.read_text().splitlines())
    assert inputs.loc["posts.jsonl", "records"] == lines == landed
    assert inputs.loc["brands.csv", "records"] == len(pd.read_csv(exported / "in" / "brands.csv"))
    assert settings["horizon_days"] == "7" and settings["ranking_base"] == "questions"
    assert {"observed_until.twitter", "carerank_version", "run_id"} <= set(settings)
    assert {"dbt test", "great-expectations"} <= set(checks["kind"])
    assert checks["passed"].any()
