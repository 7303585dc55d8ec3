"""Resources for every asset, built from environment variables (see orchestration/settings.py)."""

import shutil
import sys
from pathlib import Path

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import carerank_dbt
from orchestration.resources import GreatExpectationsResource, WarehouseResource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource.from_env(),
            # dbt beside this interpreter: a venv's python run without activating the venv
            # does not have dbt on PATH.
            "dbt": DbtCliResource(
                project_dir=carerank_dbt,
                dbt_executable=str(Path(sys.executable).with_name("dbt"))
                if Path(sys.executable).with_name("dbt").exists()
                else shutil.which("dbt") or "dbt",
            ),
            "great_expectations": GreatExpectationsResource(),
        }
    )
