"""Tell a chat channel when a run fails (CARERANK_ALERT_WEBHOOK_URL; nothing when unset)."""

import dagster as dg

from orchestration.alert_webhook import alert_text, post_alert
from orchestration.resource_types import AlertsResource


@dg.run_failure_sensor(
    name="carerank_failure_webhook",
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Posts a Slack-compatible message to CARERANK_ALERT_WEBHOOK_URL per failed run.",
)
def failure_webhook(
    context: dg.RunFailureSensorContext, alerts: AlertsResource
) -> dg.SkipReason | None:
    url = (alerts.webhook_url or "").strip()
    if not url:
        return dg.SkipReason("CARERANK_ALERT_WEBHOOK_URL is not set")
    run = context.dagster_run
    tags = run.tags
    partitions = tags.get("dagster/partition") or (
        f"{tags.get('dagster/asset_partition_range_start', '?')}.."
        f"{tags.get('dagster/asset_partition_range_end', '?')}"
    )
    error = context.failure_event.message or ""
    post_alert(url, alert_text(run.job_name, run.run_id, partitions, error))
    return None
