"""The nightly job: every asset and check, for yesterday (UTC)."""

from datetime import timedelta

import dagster as dg

from orchestration.defs.api_ingestion import enabled_networks
from orchestration.defs.monitoring import landing_freshness
from orchestration.run_window import window_tags

carerank_daily = dg.define_asset_job(
    "carerank_daily",
    # every asset and check but freshness, which runs hourly on its own (defs/monitoring.py)
    selection=dg.AssetSelection.all() - dg.AssetSelection.checks(landing_freshness),
    description="Land, build and check one day (or, as one run, a range of days).",
)

carerank_import = dg.define_asset_job(
    "carerank_import",
    # the daily job without the API assets: `carerank run` lands files, it fetches nothing
    selection=dg.AssetSelection.all()
    - dg.AssetSelection.key_prefixes("landing")
    - dg.AssetSelection.checks(landing_freshness),
    description="Land the run's files (or the inbox), build and check: the daily job without "
    "fetching the networks' APIs.",
)


@dg.schedule(job=carerank_daily, cron_schedule="0 2 * * *", execution_timezone="UTC")
def carerank_nightly(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 02:00 UTC, yesterday: its posts are complete and its replies mostly in. The window is a
    run tag; the API assets (when switched on) take yesterday's partition."""
    yesterday = (context.scheduled_execution_time - timedelta(days=1)).date()
    return dg.RunRequest(
        run_key=yesterday.isoformat(),
        partition_key=yesterday.isoformat() if enabled_networks() else None,
        tags=window_tags(yesterday, yesterday),
    )
