"""One daily-partitioned asset per network API that is switched on with CARERANK_API_NETWORKS
(e.g. "x,bluesky"): each fetches the partition's days for every account of that network in the
registry and lands them like a file import. The fetching rules live in ingestion/connectors."""

import os
from datetime import timedelta
from pathlib import Path

import dagster as dg

from ingestion.connectors.base import load_accounts
from ingestion.connectors.ingest import NETWORKS, build_connector, ingest_day
from ingestion.warehouse import refresh_raw_views
from orchestration.partitions import api_partitions
from orchestration.resources import WarehouseResource
from orchestration.settings import DBT_PROJECT_DIR, settings_from_env


def enabled_networks() -> list[str]:
    raw = os.environ.get("CARERANK_API_NETWORKS", "")
    return [n.strip().lower() for n in raw.split(",") if n.strip()]


def accounts_file() -> Path:
    """CARERANK_ACCOUNTS_FILE, else the registry kept beside the warehouse, else the seed."""
    return settings_from_env().accounts_file or DBT_PROJECT_DIR / "seeds" / "brand_accounts.csv"


def api_asset(
    network_arg: str, partitions_def: dg.DailyPartitionsDefinition | None = None
) -> dg.AssetsDefinition:
    """The asset fetching one network's days: partitioned by UTC day from the first day the
    settings name (CARERANK_FIRST_DAY), so that the UI shows which days were fetched."""
    network = NETWORKS[network_arg][0]

    @dg.asset(
        key=dg.AssetKey(["landing", f"{network_arg}_api"]),
        partitions_def=partitions_def or api_partitions(settings_from_env().api_first_day),
        backfill_policy=dg.BackfillPolicy.single_run(),
        pool=f"api_{network_arg}",  # at most as many runs against one API as the pool allows
        retry_policy=dg.RetryPolicy(
            max_retries=2, delay=60, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
        ),
        group_name="landing",
        kinds={"api", "parquet"},
        description=f"{network} posts of the registry's accounts, fetched from the API per UTC "
        "day (resumable) and landed in the landing zone.",
    )
    def _asset(
        context: dg.AssetExecutionContext, warehouse: WarehouseResource
    ) -> dg.MaterializeResult:
        accounts = load_accounts(accounts_file(), network)
        connector = build_connector(network_arg)
        window = context.partition_time_window
        day, landed, pages = window.start.date(), 0, 0
        while day < window.end.date():
            result = ingest_day(connector, accounts, day, Path(warehouse.landing_dir))
            landed += result.landing.landed
            pages += sum(result.pages_by_account.values())
            context.log.info(f"{network} {day}: {result.landing.landed} posts landed")
            day += timedelta(days=1)
        refresh_raw_views(Path(warehouse.path), Path(warehouse.landing_dir))
        stats = connector.stats  # type: ignore[attr-defined]
        return dg.MaterializeResult(
            metadata={
                "accounts": len(accounts),
                "pages_fetched": pages,
                "posts_landed": landed,
                "requests": stats.requests,
                "retries": stats.retries,
                "rate_limit_waits": stats.rate_limit_waits,
                "seconds_waited": round(stats.waited_seconds, 1),
            }
        )

    return _asset


@dg.definitions
def api_assets() -> dg.Definitions:
    networks = [n for n in enabled_networks() if n in NETWORKS]
    if not networks:
        return dg.Definitions()
    partitions = api_partitions(settings_from_env().api_first_day)
    return dg.Definitions(assets=[api_asset(n, partitions) for n in networks])
