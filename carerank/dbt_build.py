"""One `dbt build` of the project in this process, without Dagster: for the tests and the
benchmark of the incremental models, which run many builds and measure dbt's own share. The
arguments and vars come from the same builder the Dagster assets use."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from unittest.mock import patch

from dbt.cli.main import dbtRunner

from orchestration.dbt_project import build_args, build_vars
from orchestration.settings import DBT_PROJECT_DIR


class DbtBuildError(RuntimeError):
    """A model, test or hook of the build failed."""


def window_vars(first: date, last: date, **overrides) -> dict:
    """The vars a run passes for the window first .. last, with ``overrides`` of the project's
    vars (thresholds, registry files)."""
    return build_vars(first, last, overrides)


def dbt_build(warehouse: Path, dbt_vars: dict, *args: str) -> None:
    """Build every model and data test (not the unit tests) into the warehouse; raise
    DbtBuildError naming what failed (warnings pass)."""
    full_refresh = "--full-refresh" in args
    extra = [a for a in args if a != "--full-refresh"]
    # dbt's profile reads the warehouse from the environment, for this build only
    with patch.dict(os.environ, {"CARERANK_WAREHOUSE": str(warehouse)}):
        result = dbtRunner().invoke(
            [
                *build_args(dbt_vars, full_refresh),
                "--quiet",
                "--project-dir",
                str(DBT_PROJECT_DIR),
                "--profiles-dir",
                str(DBT_PROJECT_DIR),
                *extra,
            ]
        )
    failures = [
        f"{r.node.name}: {r.status} {r.message}"
        for r in getattr(result.result, "results", None) or []
        if str(r.status).lower() not in ("pass", "success", "warn", "no-op")
    ]
    if not result.success or failures:
        raise DbtBuildError("; ".join(failures) or str(result.exception))
