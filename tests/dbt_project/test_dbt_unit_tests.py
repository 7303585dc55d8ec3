"""The dbt unit tests of the matching rules (dbt_project/models/**/_*_unit_tests.yml), one pytest
item each, so that a failure names the rule that broke.

dbt stays the judge: one `dbt test --select test_type:unit` per session, against an empty
warehouse built once with `dbt build --empty`, writes run_results.json; each item reads its own
result there. The items are listed from dbt's manifest, and a last item checks that the run held
no unit test the manifest did not list (a manifest older than the project)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from dbt.cli.main import dbtRunner

from ingestion.warehouse import refresh_raw_views
from orchestration.dbt_project import ensure_dbt_manifest
from orchestration.settings import DBT_PROJECT_DIR

# One worker builds the warehouse and runs dbt once for all of them (pytest-xdist --dist
# loadgroup), instead of once per worker.
pytestmark = pytest.mark.xdist_group("dbt_unit_tests")


def listed_unit_tests() -> dict[str, str]:
    """pytest id (model.test) -> dbt unique_id of every enabled unit test of the project."""
    manifest = json.loads(ensure_dbt_manifest().read_text())
    return {
        f"{node['model']}.{node['name']}": unique_id
        for unique_id, node in sorted(manifest.get("unit_tests", {}).items())
    }


UNIT_TESTS = listed_unit_tests()


def dbt(target: Path, *args: str):
    """dbt in this process, writing its artifacts into target rather than the project's own
    target folder, which other processes (a run, `dagster dev`) read the manifest from."""
    return dbtRunner().invoke(
        [
            *args,
            "--project-dir",
            str(DBT_PROJECT_DIR),
            "--profiles-dir",
            str(DBT_PROJECT_DIR),
            "--target-path",
            str(target),
            "--log-path",
            str(target),
            "--no-use-colors",
        ]
    )


def failed(result) -> list[str]:
    return [
        f"{node.node.name}: {node.status} {node.message}"
        for node in getattr(result.result, "results", None) or []
        if str(node.status).lower() not in ("pass", "success")
    ]


@pytest.fixture(scope="session")
def unit_test_results(tmp_path_factory) -> dict[str, dict]:
    """unique_id -> its result in run_results.json of one `dbt test` over every unit test."""
    root = tmp_path_factory.mktemp("dbt_unit")
    warehouse = root / "warehouse.duckdb"
    refresh_raw_views(warehouse, root / "landing")
    target = root / "target"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CARERANK_WAREHOUSE", str(warehouse))
        # the unit tests read the column types of their models' inputs from the warehouse
        built = dbt(target, "build", "--empty", "--exclude-resource-type", "unit_test", "--quiet")
        assert built.success, "\n".join(failed(built)) or str(built.exception)
        tested = dbt(target, "test", "--select", "test_type:unit", "--quiet")
    run_results = target / "run_results.json"
    assert tested.exception is None and run_results.exists(), str(tested.exception)
    results = json.loads(run_results.read_text())["results"]
    return {r["unique_id"]: r for r in results if r["unique_id"].startswith("unit_test.")}


@pytest.mark.parametrize("unique_id", list(UNIT_TESTS.values()), ids=list(UNIT_TESTS))
def test_matching_rules_unit_tests(unit_test_results, unique_id):
    assert unique_id in unit_test_results, f"dbt did not run {unique_id}"
    result = unit_test_results[unique_id]
    if result["status"] != "pass":
        # dbt's own report (for a failure: the rows that differ), without a Python traceback
        pytest.fail(f"{unique_id} {result['status']}:\n{result['message']}", pytrace=False)


def test_every_unit_test_run_has_its_own_item(unit_test_results):
    assert UNIT_TESTS, "the manifest lists no unit test"
    unlisted = sorted(set(unit_test_results) - set(UNIT_TESTS.values()))
    assert not unlisted, f"dbt ran unit tests the manifest did not list (it is stale): {unlisted}"
