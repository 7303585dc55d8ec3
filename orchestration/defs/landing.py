"""The landing asset: files of the run (or of the inbox folder) into the landing zone, then the
warehouse's raw views. The reading and landing rules live in ``ingestion``; this only wires."""

from datetime import date
from pathlib import Path

import dagster as dg
from pydantic import Field

from ingestion.landing import QuarantineThresholdError, land_file
from ingestion.postgres import load_posts, load_registry
from orchestration.dbt_project import holidays_file
from orchestration.defs.api_ingestion import enabled_networks
from orchestration.resource_types import (
    GreatExpectationsResource,
    WarehouseResource,
    validate_window,
)
from orchestration.run_window import run_window
from orchestration.settings import load_settings

RAW_POSTS = dg.AssetKey(["raw", "posts"])


class LandingConfig(dg.Config):
    """Which files to land. Without ``paths``, every file in the inbox folder (setting
    inbox_dir), so that a scheduled run picks up what an export job dropped there."""

    paths: list[str] = Field(default_factory=list)
    format: str = "auto"
    source: str | None = None


def land_files(
    context: dg.AssetExecutionContext, config: LandingConfig, warehouse: WarehouseResource
) -> dg.MaterializeResult:
    window = run_window(context)
    first_day, last_day = (window.first, window.last) if window else (None, None)
    paths = [Path(p) for p in config.paths] or sorted(
        p for p in Path(warehouse.inbox_dir).glob("*") if p.is_file() and not p.name.startswith(".")
    )
    landed = quarantined = 0
    per_file: dict[str, dict] = {}
    for path in paths:
        try:
            result = land_file(
                path,
                warehouse.landing(),
                fmt=config.format,
                start=first_day,
                end=last_day,
                source=config.source if len(paths) == 1 else None,
                max_quarantine_share=warehouse.max_quarantine_share,
                memory_limit=warehouse.memory_limit,
            )
        except QuarantineThresholdError as exc:
            warehouse.refresh_raw_views()
            raise dg.Failure(
                description=str(exc),
                metadata={
                    "quarantine_reasons": dg.MetadataValue.json(exc.result.quarantine_reasons),
                    "rows_quarantined": exc.result.quarantined,
                },
                allow_retries=False,
            ) from None
        landed += result.landed
        quarantined += result.quarantined
        per_file[result.source] = {
            "landed": result.landed,
            "quarantined": result.quarantined,
            "quarantine_reasons": result.quarantine_reasons,
            "quarantined_per_partition": result.quarantine_by_partition,
            "outside_window": result.outside_window,
            "partitions": len(result.rows_by_partition),
        }
        context.log.info(
            f"{path}: landed {result.landed} posts in {len(result.rows_by_partition)} "
            f"network-day partitions, quarantined {result.quarantined}"
        )
    warehouse.refresh_raw_views()
    copied = copy_to_postgres(context, warehouse, first_day, last_day)
    return dg.MaterializeResult(
        metadata={
            "files": len(paths),
            "rows_landed": landed,
            "rows_quarantined": quarantined,
            "window": str(window or "every day of the files"),
            "per_file": dg.MetadataValue.json(per_file),
            **({"rows_copied_to_postgres": copied} if copied is not None else {}),
        }
    )


def copy_to_postgres(
    context: dg.AssetExecutionContext,
    warehouse: WarehouseResource,
    first_day: date | None,
    last_day: date | None,
) -> int | None:
    """On the postgres target: the landed posts of the window (every landed day without one)
    and the registry files in force, copied into PostgreSQL for dbt. None on DuckDB."""
    postgres = warehouse.postgres()
    if postgres is None:
        return None
    settings = load_settings().settings
    load_registry(
        postgres,
        {
            "brands": settings.brands_file,
            "brand_accounts": settings.accounts_file,
            "public_holidays": holidays_file(settings),
        },
    )
    with warehouse.connect(read_only=True) as con:
        copied = load_posts(postgres, con, first_day, last_day)
    context.log.info(f"copied {copied} landed posts to PostgreSQL at {postgres.describe()}")
    return copied


def landed_posts_asset(api_networks: list[str]) -> dg.AssetsDefinition:
    """raw/posts, after the API assets switched on in the settings (they land first)."""
    return dg.asset(
        land_files,
        key=RAW_POSTS,
        deps=[dg.AssetKey(["landing", f"{n}_api"]) for n in api_networks],
        pool="duckdb",
        group_name="landing",
        kinds={"duckdb", "parquet"},
        description="Posts landed as immutable Parquet per source x network x UTC day, seen by "
        "the warehouse as the view raw.posts. Not partitioned: a run lands the days of its "
        "window (every day of its files when it has none).",
    )


@dg.definitions
def landing() -> dg.Definitions:
    # built when the definitions load: the API networks switched on are a setting
    return dg.Definitions(
        assets=[landed_posts_asset(enabled_networks())], asset_checks=[landed_posts_suite]
    )


@dg.asset_check(
    asset=RAW_POSTS,
    blocking=True,
    description="great-expectations suite landed_posts over the records of the partition window.",
)
def landed_posts_suite(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    great_expectations: GreatExpectationsResource,
) -> dg.AssetCheckResult:
    import pandas as pd

    window = run_window(context)
    first, end = (window.first, window.end) if window else (date(1970, 1, 1), date(9999, 1, 1))
    return validate_window(
        great_expectations,
        warehouse,
        window,
        "select network, post_id, author_id, created_at, _partition from raw.posts "
        "where _partition >= ? and _partition < ?",
        "landed_posts",
        "landed records",
        parameters={
            "window_start": pd.Timestamp(first, tz="UTC"),
            "window_end": pd.Timestamp(end, tz="UTC"),
        },
    )
