"""Run-failure alerts as Slack-compatible JSON (``{"text": ...}``, also accepted by Mattermost,
Rocket.Chat and most chat webhooks), posted with retries to CARERANK_ALERT_WEBHOOK_URL."""

from __future__ import annotations

import httpx
from tenacity import retry, stop_after_attempt, wait_exponential_jitter


def alert_text(job: str, run_id: str, partitions: str, error: str) -> str:
    return (
        f":rotating_light: carerank run failed: job `{job}`, partitions {partitions}, "
        f"run `{run_id}`\n> {error.strip().splitlines()[0] if error.strip() else 'no message'}"
    )


@retry(stop=stop_after_attempt(3), wait=wait_exponential_jitter(initial=1, max=10), reraise=True)
def post_alert(url: str, text: str, timeout: float = 10.0) -> int:
    response = httpx.post(url, json={"text": text}, timeout=timeout)
    response.raise_for_status()
    return response.status_code
