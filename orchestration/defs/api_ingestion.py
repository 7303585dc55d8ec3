"""One daily-partitioned asset per network API switched on in the settings (api_networks, e.g.
"x,bluesky"): each fetches the partition's days for every account of that network in the
registry and lands them like a file import. The fetching rules live in ingestion/connectors."""

from datetime import timedelta
from pathlib import Path

import dagster as dg

from ingestion.connectors.base import load_accounts
from ingestion.connectors.ingest import NETWORKS, build_connector, checkpoint_root, ingest_day
from orchestration.partitions import api_partitions
from orchestration.resource_types import WarehouseResource
from orchestration.settings import DBT_PROJECT_DIR, Settings, api_access, load_settings


def enabled_networks(settings: Settings | None = None) -> list[str]:
    """The API networks switched on (their --network names: x, facebook, mastodon, bluesky)."""
    settings = settings or load_settings().settings
    return [n for n in settings.api_networks if n in NETWORKS]


def accounts_file(settings: Settings) -> Path:
    """The accounts file in force, else the seed."""
    return settings.accounts_file or DBT_PROJECT_DIR / "seeds" / "brand_accounts.csv"


def api_asset(network_arg: str, settings: Settings) -> dg.AssetsDefinition:
    """The asset fetching one network's days: partitioned by UTC day from the settings' first
    day, so that the UI shows which days were fetched."""
    network = NETWORKS[network_arg][0]

    @dg.asset(
        key=dg.AssetKey(["landing", f"{network_arg}_api"]),
        partitions_def=api_partitions(settings.first_day),
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
        accounts = load_accounts(accounts_file(settings), network)
        connector = build_connector(network_arg, api_access(settings, network_arg))
        window = context.partition_time_window
        day, landed, pages = window.start.date(), 0, 0
        while day < window.end.date():
            result = ingest_day(
                connector,
                accounts,
                day,
                warehouse.landing(),
                max_quarantine_share=warehouse.max_quarantine_share,
                checkpoint_dir=checkpoint_root(warehouse.landing(), Path(warehouse.path)),
            )
            landed += result.landing.landed
            pages += sum(result.pages_by_account.values())
            context.log.info(f"{network} {day}: {result.landing.landed} posts landed")
            day += timedelta(days=1)
        warehouse.refresh_raw_views()
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
    settings = load_settings().settings
    return dg.Definitions(assets=[api_asset(n, settings) for n in enabled_networks(settings)])
