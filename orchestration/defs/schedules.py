"""The nightly job: every asset and check for yesterday's partition (UTC)."""

from datetime import timedelta

import dagster as dg

from orchestration.defs.monitoring import landing_freshness
from orchestration.partitions import daily_partitions

carerank_daily = dg.define_asset_job(
    "carerank_daily",
    # every asset and check but freshness, which runs hourly on its own (defs/monitoring.py)
    selection=dg.AssetSelection.all() - dg.AssetSelection.checks(landing_freshness),
    partitions_def=daily_partitions,
    description="Land, build and check one day (or, as a single-run backfill, a range of days).",
)


@dg.schedule(job=carerank_daily, cron_schedule="0 2 * * *", execution_timezone="UTC")
def carerank_nightly(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
    """At 02:00 UTC, yesterday's partition: its posts are complete and its replies mostly in."""
    day = (context.scheduled_execution_time - timedelta(days=1)).date().isoformat()
    return dg.RunRequest(run_key=day, partition_key=day)
