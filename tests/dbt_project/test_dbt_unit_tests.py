"""The dbt unit tests of the matching rules (dbt_project/models/**/_*_unit_tests.yml), run by
pytest against an empty warehouse built with `dbt build --empty`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from ingestion.warehouse import refresh_raw_views
from orchestration.settings import DBT_PROJECT_DIR


def dbt(*args: str) -> tuple[bool, list[str]]:
    base = ["--project-dir", str(DBT_PROJECT_DIR), "--profiles-dir", str(DBT_PROJECT_DIR)]
    result = dbtRunner().invoke([*args, *base])
    failures = []
    for node in getattr(result.result, "results", None) or []:
        if str(node.status).lower() not in ("pass", "success"):
            failures.append(f"{node.node.name}: {node.status} {node.message}")
    return result.success, failures


@pytest.fixture(scope="module")
def empty_warehouse(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("dbt_unit")
    warehouse = root / "warehouse.duckdb"
    refresh_raw_views(warehouse, root / "landing")
    old = os.environ.get("CARERANK_WAREHOUSE")
    os.environ["CARERANK_WAREHOUSE"] = str(warehouse)
    ok, failures = dbt("build", "--empty", "--exclude-resource-type", "unit_test", "--quiet")
    assert ok, failures
    yield warehouse
    if old is None:
        os.environ.pop("CARERANK_WAREHOUSE", None)
    else:
        os.environ["CARERANK_WAREHOUSE"] = old


def test_matching_rules_unit_tests(empty_warehouse):
    ok, failures = dbt("test", "--select", "test_type:unit", "--quiet")
    assert ok, "\n".join(failures)
