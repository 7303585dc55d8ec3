"""The warehouse's views over the landing zone: ``raw.posts``, ``audit.quarantine`` and
``audit.landed_sources``.

They are views, not copies: the landing zone is the immutable record, and a view over its glob
sees every file landed so far, so that runs into the same warehouse add up instead of each one
replacing what the previous ones landed.

On an S3 landing zone the views read ``s3://`` URLs through the landing zone's fsspec
filesystem, which DuckDB keeps per connection: every connection that reads them is opened with
the landing zone (``connect(..., landing=...)``), as dbt's connections are (its profile's
``filesystems``)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from ingestion.duckdb_memory import memory_config
from ingestion.landing import POSTS_DIR, QUARANTINE_DIR, SOURCES_DIR
from ingestion.readers import CANONICAL_TYPES, sql_literal
from ingestion.storage import LandingZone

EMPTY_POSTS = (
    "select "
    + ", ".join(
        f"cast(null as {type_}) as {column}"
        for column, type_ in {
            **CANONICAL_TYPES,
            "_source": "varchar",
            "_ingested_at": "timestamptz",
            "_partition": "date",
        }.items()
    )
    + " where false"
)

EMPTY_SOURCES = """
    select cast(null as varchar) as source, cast(null as varchar) as file_name,
        cast(null as varchar) as format, cast(null as bigint) as records,
        cast(null as bigint) as landed, cast(null as bigint) as quarantined,
        cast(null as varchar) as sha256, cast(null as timestamptz) as landed_at
    where false
"""

EMPTY_QUARANTINE = """
    select cast(null as varchar) as _source, cast(null as date) as _partition,
        cast(null as bigint) as _record_number, cast(null as varchar) as rule,
        cast(null as varchar) as raw_record, cast(null as varchar) as network,
        cast(null as varchar) as post_id, cast(null as timestamptz) as _ingested_at
    where false
"""


# Files written in DuckDB 2.0's own format cannot be opened by DuckDB 1.x, which many BI drivers
# embed: a new warehouse is created in a format that DuckDB 1.2 and later read (a setting).
STORAGE_COMPATIBILITY = "v1.2.0"


def connect(
    warehouse: Path,
    read_only: bool = False,
    storage_version: str = STORAGE_COMPATIBILITY,
    landing: LandingZone | None = None,
    memory_limit: str | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open the warehouse in UTC (creating its folder, and the file in ``storage_version``), as
    every carerank component does; with ``landing``, able to read the landing zone's views when
    they are on S3; within ``memory_limit`` (ingestion.duckdb_memory)."""
    warehouse = Path(warehouse)
    config = memory_config(memory_limit)
    if not read_only:
        warehouse.parent.mkdir(parents=True, exist_ok=True)
        if not warehouse.exists():
            config["storage_compatibility_version"] = storage_version
    con = duckdb.connect(str(warehouse), read_only=read_only, config=config)
    con.execute("set TimeZone = 'UTC'")
    if landing is not None:
        landing.register(con)
    return con


def refresh_raw_views(
    warehouse: Path,
    landing_dir: Path | str | LandingZone,
    storage_version: str = STORAGE_COMPATIBILITY,
) -> None:
    """(Re)create ``raw.posts``, ``audit.quarantine`` and ``audit.landed_sources`` over what the
    landing zone (a folder, an ``s3://`` URL or a LandingZone) holds now."""
    zone = LandingZone.of(landing_dir)
    if not zone.remote:
        zone = LandingZone(str(zone.folder.resolve()))
    posts = f"{POSTS_DIR}/*/*/*.parquet"
    quarantine = f"{QUARANTINE_DIR}/*.parquet"
    sources = f"{SOURCES_DIR}/*.json"
    posts_sql = (
        f"select * from read_parquet({sql_literal(zone.url(posts))}, "
        "union_by_name=true, hive_partitioning=false)"
        if _holds(zone, posts)
        else EMPTY_POSTS
    )
    quarantine_sql = (
        f"select * from read_parquet({sql_literal(zone.url(quarantine))}, "
        "union_by_name=true, hive_partitioning=false)"
        if _holds(zone, quarantine)
        else EMPTY_QUARANTINE
    )
    sources_sql = (
        f"select * from read_json({sql_literal(zone.url(sources))}, columns = {{"
        "source: 'varchar', file_name: 'varchar', format: 'varchar', records: 'bigint', "
        "landed: 'bigint', quarantined: 'bigint', sha256: 'varchar', landed_at: 'timestamptz'})"
        if _holds(zone, sources)
        else EMPTY_SOURCES
    )
    with connect(warehouse, storage_version=storage_version, landing=zone) as con:
        con.execute("create schema if not exists raw")
        con.execute("create schema if not exists audit")
        con.execute(f"create or replace view raw.posts as {posts_sql}")
        con.execute(f"create or replace view audit.quarantine as {quarantine_sql}")
        con.execute(f"create or replace view audit.landed_sources as {sources_sql}")


def _holds(zone: LandingZone, pattern: str) -> bool:
    """Whether the landing zone has a file matching ``pattern``: a view over a glob that matches
    nothing fails, so an empty landing zone gets an empty view of the same columns."""
    if zone.remote:
        return bool(zone.glob(pattern))
    return any(zone.folder.glob(pattern))
