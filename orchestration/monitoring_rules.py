"""The rules behind the monitoring checks, as plain functions over the warehouse (testable
without Dagster): stale networks, volume anomalies, schema drift in the landing zone."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import duckdb
import pandas as pd

from ingestion.landing import POSTS_DIR
from ingestion.readers import CANONICAL_TYPES
from ingestion.storage import LandingZone

LANDED_COLUMNS = {*CANONICAL_TYPES, "_source", "_ingested_at", "_partition"}
TRAILING_DAYS = 28


def stale_networks(
    con: duckdb.DuckDBPyConnection, now: datetime, due_hour: int
) -> dict[str, date | None]:
    """Networks whose yesterday (UTC) is not landed although it is past ``due_hour`` today:
    network -> last landed day."""
    if now.hour < due_hour:
        return {}
    yesterday = now.date() - timedelta(days=1)
    last = dict(
        con.execute("select network, max(_partition) from raw.posts group by network").fetchall()
    )
    return {network: day for network, day in last.items() if day is None or day < yesterday}


def volume_anomalies(
    con: duckdb.DuckDBPyConnection,
    start: date,
    end: date,
    ratio: float = 5.0,
    min_baseline: float = 20.0,
    trailing_days: int = TRAILING_DAYS,
) -> pd.DataFrame:
    """(network, brand, day) of start..end whose customer posts are more than ``ratio`` times
    above or below the median of the trailing ``trailing_days`` days (a missing day counts 0),
    where that median is at least ``min_baseline`` (quiet brands are too noisy to judge)."""
    return con.execute(
        """
        with days as (
            select cast(range as date) as post_date
            from range(cast(? as date) - to_days(?), cast(? as date) + interval 1 day,
                       interval 1 day)
        ),
        keys as (select distinct network, brand_id from marts.fct_customer_posts),
        counts as (
            select k.network, k.brand_id, d.post_date, count(f.post_id) as posts
            from keys as k
            cross join days as d
            left join marts.fct_customer_posts as f
                on f.network = k.network and f.brand_id = k.brand_id
                and f.post_date = d.post_date
            group by all
        ),
        judged as (
            select *,
                median(posts) over (
                    partition by network, brand_id order by post_date
                    rows between ? preceding and 1 preceding
                ) as baseline
            from counts
        )
        select network, brand_id, post_date, posts, baseline
        from judged
        where post_date between ? and ?
            and baseline >= ?
            and (posts > baseline * ? or posts < baseline / ?)
        order by network, brand_id, post_date
        """,
        [start, trailing_days, end, trailing_days, start, end, min_baseline, ratio, ratio],
    ).df()


def _top_level_columns(nodes: list[tuple[str, int]]) -> set[str]:
    """Parquet's schema is a flattened tree: the root, then each column followed by its nested
    children. Keep the root's direct children only."""
    position = 1

    def skip_subtree() -> None:
        nonlocal position
        _, children = nodes[position]
        position += 1
        for _ in range(children):
            skip_subtree()

    names = set()
    for _ in range(nodes[0][1]):
        names.add(nodes[position][0])
        skip_subtree()
    return names


def schema_drift(
    landing_dir: Path | str | LandingZone, first: date | None = None, last: date | None = None
) -> pd.DataFrame:
    """Landed files whose columns differ from the canonical landed record: those of the days
    first .. last (a night looks at what it landed, not at every file of the history), or all."""
    zone = LandingZone.of(landing_dir)
    pattern = f"{POSTS_DIR}/*/date=*/*.parquet"
    landed = zone.glob(pattern) if zone.remote else map(str, sorted(zone.folder.glob(pattern)))
    files = [
        file
        for file in landed
        if first is None
        or last is None
        or first.isoformat() <= file.split("/")[-2].removeprefix("date=") <= last.isoformat()
    ]
    if not files:
        return pd.DataFrame(columns=["file_name", "missing", "unexpected"])
    with duckdb.connect() as con:
        zone.register(con)
        schema_rows = con.execute(
            "select file_name, name, coalesce(num_children, 0) from parquet_schema(?)", [files]
        ).fetchall()
    by_file: dict[str, list[tuple[str, int]]] = {}
    for file_name, name, children in schema_rows:
        by_file.setdefault(file_name, []).append((name, children))
    rows = []
    for file_name, nodes in by_file.items():
        top = _top_level_columns(nodes)
        missing, unexpected = LANDED_COLUMNS - top, top - LANDED_COLUMNS
        if missing or unexpected:
            rows.append(
                {
                    "file_name": file_name,
                    "missing": sorted(missing),
                    "unexpected": sorted(unexpected),
                }
            )
    return pd.DataFrame(rows, columns=["file_name", "missing", "unexpected"])
