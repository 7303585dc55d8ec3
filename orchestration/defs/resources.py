"""Resources for every asset, built from environment variables (see orchestration/settings.py)."""

import dagster as dg
from dagster_dbt import DbtCliResource

from orchestration.dbt_project import carerank_dbt
from orchestration.resources import GreatExpectationsResource, WarehouseResource


@dg.definitions
def resources() -> dg.Definitions:
    return dg.Definitions(
        resources={
            "warehouse": WarehouseResource.from_env(),
            "dbt": DbtCliResource(project_dir=carerank_dbt),
            "great_expectations": GreatExpectationsResource(),
        }
    )
