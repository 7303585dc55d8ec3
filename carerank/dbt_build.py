"""One `dbt build` of the project in this process, without Dagster: for the tests and the
benchmark of the incremental models, which run many builds and measure dbt's own share."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

from dbt.cli.main import dbtRunner

from orchestration.dbt_project import project_checksum
from orchestration.settings import DBT_PROJECT_DIR


class DbtBuildError(RuntimeError):
    """A model, test or hook of the build failed."""


def window_vars(first: date, last: date, **more) -> dict:
    """The vars a Dagster run passes for the partition window first .. last."""
    return {
        "start_date": first.isoformat(),
        "end_date": last.isoformat(),
        "project_checksum": project_checksum(),
        **more,
    }


def dbt_build(warehouse: Path, dbt_vars: dict, *args: str) -> None:
    """Build every model and data test (not the unit tests) into the warehouse; raise
    DbtBuildError naming what failed (warnings pass)."""
    import json

    old = os.environ.get("CARERANK_WAREHOUSE")
    os.environ["CARERANK_WAREHOUSE"] = str(warehouse)
    try:
        result = dbtRunner().invoke(
            [
                "build",
                "--exclude-resource-type",
                "unit_test",
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                "--vars",
                json.dumps(dbt_vars),
                *args,
            ]
        )
    finally:
        if old is None:
            os.environ.pop("CARERANK_WAREHOUSE", None)
        else:
            os.environ["CARERANK_WAREHOUSE"] = old
    failures = [
        f"{r.node.name}: {r.status} {r.message}"
        for r in getattr(result.result, "results", None) or []
        if str(r.status).lower() not in ("pass", "success", "warn")
    ]
    if not result.success or failures:
        raise DbtBuildError("; ".join(failures) or str(result.exception))
