"""Monitoring checks (warnings, not blocking): schema drift in the landing zone and volume
anomalies per network and brand run with every build; freshness (yesterday's partition missing
by CARERANK_FRESHNESS_HOUR, default 6 UTC) runs hourly in its own job, so that backfills of
history do not warn about today."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import dagster as dg
import duckdb

from orchestration.defs.dbt import FCT_CUSTOMER_POSTS
from orchestration.defs.landing import RAW_POSTS
from orchestration.monitoring_rules import (
    TRAILING_DAYS,
    schema_drift,
    stale_networks,
    volume_anomalies,
)
from orchestration.resource_types import MonitoringResource, WarehouseResource
from orchestration.run_window import run_window


def _sample(df, rows: int = 20) -> dg.MetadataValue:
    return dg.MetadataValue.json(
        json.loads(df.head(rows).to_json(orient="records", date_format="iso"))
    )


@dg.asset_check(
    asset=RAW_POSTS, description="Files landed for the partition window have the canonical columns."
)
def landing_schema_drift(
    context: dg.AssetCheckExecutionContext, warehouse: WarehouseResource
) -> dg.AssetCheckResult:
    window = run_window(context)
    drift = schema_drift(
        warehouse.landing(),
        window.first if window else None,
        window.last if window else None,
    )
    return dg.AssetCheckResult(
        passed=drift.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"drifted_files": len(drift), "files": _sample(drift)},
    )


@contextmanager
def facts_connection(
    warehouse: WarehouseResource, since: date
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A DuckDB connection holding marts.fct_customer_posts for the volume rule: the warehouse
    itself, or on the postgres target an in-memory copy of the facts' keys since ``since`` (the
    rule's SQL is DuckDB's; the trailing window is all it reads)."""
    if warehouse.postgres() is None:
        with warehouse.connect(read_only=True) as con:
            yield con
        return
    facts = warehouse.query_df(
        "select network, brand_id, post_date, post_id from marts.fct_customer_posts "
        "where post_date >= ?",
        [since],
    )
    with duckdb.connect() as con:
        con.execute("create schema marts")
        con.register("facts", facts)
        con.execute(
            "create table marts.fct_customer_posts as select network, brand_id, "
            "cast(post_date as date) as post_date, post_id from facts"
        )
        yield con


@dg.asset_check(
    asset=FCT_CUSTOMER_POSTS,
    description="Customer posts per network, brand and day within CARERANK_VOLUME_RATIO (5x) of "
    "the trailing 28 days' median (for brands with a median of CARERANK_VOLUME_MIN_BASELINE, 20).",
)
def customer_post_volume(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    monitoring: MonitoringResource,
) -> dg.AssetCheckResult:
    window = run_window(context)
    if window is None:
        return dg.AssetCheckResult(
            passed=True,
            severity=dg.AssetCheckSeverity.WARN,
            description="no window: a run over everything landed is not judged by volume",
        )
    with facts_connection(warehouse, window.first - timedelta(days=TRAILING_DAYS)) as con:
        anomalies = volume_anomalies(
            con,
            window.first,
            window.last,
            ratio=monitoring.volume_ratio,
            min_baseline=monitoring.volume_min_baseline,
        )
    return dg.AssetCheckResult(
        passed=anomalies.empty,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"anomalies": len(anomalies), "sample": _sample(anomalies)},
    )


@dg.asset_check(asset=RAW_POSTS, description="Yesterday's posts of every network are landed.")
def landing_freshness(
    warehouse: WarehouseResource, monitoring: MonitoringResource
) -> dg.AssetCheckResult:
    due = monitoring.freshness_hour
    with warehouse.connect(read_only=True) as con:
        stale = stale_networks(con, datetime.now(UTC), due)
    return dg.AssetCheckResult(
        passed=not stale,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"stale_networks": dg.MetadataValue.json({k: str(v) for k, v in stale.items()})},
    )


carerank_freshness = dg.define_asset_job(
    "carerank_freshness",
    selection=dg.AssetSelection.checks(landing_freshness),
    description="Is yesterday landed? (hourly)",
)

freshness_schedule = dg.ScheduleDefinition(
    name="carerank_freshness_hourly", job=carerank_freshness, cron_schedule="15 * * * *"
)
