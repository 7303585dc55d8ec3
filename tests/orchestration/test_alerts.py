"""A failed run posts one Slack-compatible message to the configured webhook (loopback server)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import dagster as dg

from orchestration.defs.alerts import failure_webhook
from orchestration.defs.resources import resources
from orchestration.resource_types import AlertsResource


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict]] = []

    def log_message(self, *args) -> None:
        pass

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        _Hook.received.append(json.loads(body))
        self.send_response(200)
        self.end_headers()


@dg.op
def broken_op() -> None:
    raise RuntimeError("landing failed: disk full")


@dg.job
def broken_job() -> None:
    broken_op()


def failed_run():
    """A run of broken_job, and the context the failure sensor gets for it."""
    instance = dg.DagsterInstance.ephemeral()
    result = broken_job.execute_in_process(instance=instance, raise_on_error=False)
    failure = next(e for e in result.all_events if e.event_type_value == "PIPELINE_FAILURE")
    context = dg.build_run_status_sensor_context(
        sensor_name="carerank_failure_webhook",
        dagster_instance=instance,
        dagster_run=result.dagster_run,
        dagster_event=failure,
    ).for_run_failure()
    return result, context


def test_failed_run_posts_to_webhook():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    result, context = failed_run()
    failure_webhook(context, alerts=AlertsResource(webhook_url=url))
    server.shutdown()
    (message,) = _Hook.received
    assert "carerank run failed" in message["text"] and "broken_job" in message["text"]
    assert result.run_id in message["text"]


def test_no_webhook_configured_skips():
    _, context = failed_run()
    assert isinstance(failure_webhook(context, alerts=AlertsResource()), dg.SkipReason)


def test_the_webhook_comes_from_the_settings_as_an_environment_reference(monkeypatch):
    monkeypatch.setenv("CARERANK_ALERT_WEBHOOK_URL", "http://127.0.0.1:9/hook")
    alerts = resources().resources["alerts"]
    assert isinstance(alerts.webhook_url, dg.EnvVar)  # the UI shows the name, not the secret
