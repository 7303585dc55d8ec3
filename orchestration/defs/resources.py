"""Resources for every asset, check and sensor, built from the settings when the definitions
load (never at import)."""

import shutil
import sys
from pathlib import Path

import dagster as dg

from orchestration.dbt_in_process import InProcessDbtResource
from orchestration.dbt_project import carerank_dbt
from orchestration.resource_types import (
    SUITES_DIR,
    AlertsResource,
    GreatExpectationsResource,
    MonitoringResource,
    WarehouseResource,
)
from orchestration.settings import env_name, load_settings


def dbt_executable() -> str:
    """dbt beside this interpreter: an environment that is not activated has no dbt on PATH.
    (The resource runs dbt in process; dagster-dbt still wants to know the executable.)"""
    beside = Path(sys.executable).with_name("dbt.exe" if sys.platform == "win32" else "dbt")
    return str(beside) if beside.exists() else shutil.which("dbt") or "dbt"


@dg.definitions
def resources() -> dg.Definitions:
    loaded = load_settings()
    settings = loaded.settings
    webhook = None
    if settings.alert_webhook_url is not None:
        # a secret from the environment stays a reference there, not a value in the UI
        from_env = loaded.sources["alert_webhook_url"].startswith("environment")
        secret = settings.alert_webhook_url.get_secret_value()
        webhook = dg.EnvVar(env_name("alert_webhook_url")) if from_env else secret
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource.from_settings(settings),
            "dbt": InProcessDbtResource(project_dir=carerank_dbt, dbt_executable=dbt_executable()),
            "great_expectations": GreatExpectationsResource(
                suites_dir=str(settings.gx_suites or SUITES_DIR),
                gx_sample_rows=settings.checks_gx_sample_rows,
            ),
            "monitoring": MonitoringResource(
                volume_ratio=settings.volume_ratio,
                volume_min_baseline=settings.volume_min_baseline,
                freshness_hour=settings.freshness_hour,
            ),
            "alerts": AlertsResource(webhook_url=webhook),
        }
    )
