"""Monitoring rules on small warehouses built here."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from ingestion.landing import land_file, partition_path
from ingestion.warehouse import connect, refresh_raw_views
from orchestration.monitoring_rules import schema_drift, stale_networks, volume_anomalies


def facts_warehouse(tmp_path, daily: dict[date, int]):
    con = connect(tmp_path / "wh.duckdb")
    con.execute("create schema marts")
    con.execute(
        "create table marts.fct_customer_posts (post_id varchar, network varchar, "
        "brand_id varchar, post_date date)"
    )
    n = 0
    for day, posts in daily.items():
        for _ in range(posts):
            n += 1
            con.execute(
                "insert into marts.fct_customer_posts values (?, 'twitter', 'acme', ?)",
                [str(n), day],
            )
    return con


def test_volume_spike_and_drop_are_flagged_quiet_days_are_not(tmp_path):
    start = date(2024, 1, 1)
    daily = {start + timedelta(days=i): 40 for i in range(30)}
    daily[date(2024, 1, 29)] = 400  # spike
    daily[date(2024, 1, 30)] = 2  # collapse
    con = facts_warehouse(tmp_path, daily)
    found = volume_anomalies(con, date(2024, 1, 28), date(2024, 1, 30))
    assert list(found["post_date"].astype(str)) == ["2024-01-29", "2024-01-30"]
    assert volume_anomalies(con, date(2024, 1, 28), date(2024, 1, 28)).empty


def test_stale_network_after_due_hour(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    src = tmp_path / "x.jsonl"
    row = '{"network": "%s", "post_id": "%s", "author_id": "a", "created_at": "%sT10:00:00Z"}\n'
    src.write_text(row % ("twitter", "1", "2024-01-01") + row % ("bluesky", "2", "2024-01-02"))
    land_file(src, landing)
    refresh_raw_views(warehouse, landing)
    with duckdb.connect(str(warehouse)) as con:
        assert stale_networks(con, datetime(2024, 1, 3, 7, tzinfo=UTC), 6) == {
            "twitter": date(2024, 1, 1)
        }
        assert stale_networks(con, datetime(2024, 1, 3, 5, tzinfo=UTC), 6) == {}


def test_schema_drift_names_the_file_and_columns(tmp_path):
    landing = tmp_path / "landing"
    src = tmp_path / "ok.jsonl"
    src.write_text(
        '{"network": "twitter", "post_id": "1", "author_id": "a", "created_at": "2024-01-01"}\n'
    )
    land_file(src, landing)
    assert schema_drift(landing).empty
    alien = partition_path(landing, "twitter", date(2024, 1, 1), "alien")
    pq.write_table(pa.table({"network": ["twitter"], "post_id": ["9"], "extra": [1]}), alien)
    drift = schema_drift(landing)
    assert list(drift["file_name"]) == [str(alien)]
    assert "extra" in drift["unexpected"][0] and "created_at" in drift["missing"][0]
    # a night looks at the files of its window only
    assert schema_drift(landing, date(2024, 1, 2), date(2024, 1, 5)).empty
    assert len(schema_drift(landing, date(2024, 1, 1), date(2024, 1, 1))) == 1
