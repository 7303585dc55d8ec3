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
def empty_warehouse(tmp_path_factory) -> tuple[Path, Path]:
    """(warehouse, dbt target folder) of every model built empty: the unit tests read their
    inputs' column types there, and the docs read its catalog."""
    root = tmp_path_factory.mktemp("dbt_unit")
    warehouse = root / "warehouse.duckdb"
    refresh_raw_views(warehouse, root / "landing")
    target = root / "target"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CARERANK_WAREHOUSE", str(warehouse))
        built = dbt(target, "build", "--empty", "--exclude-resource-type", "unit_test", "--quiet")
    assert built.success, "\n".join(failed(built)) or str(built.exception)
    return warehouse, target


@pytest.fixture(scope="session")
def unit_test_results(empty_warehouse) -> dict[str, dict]:
    """unique_id -> its result in run_results.json of one `dbt test` over every unit test."""
    warehouse, target = empty_warehouse
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CARERANK_WAREHOUSE", str(warehouse))
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


def test_docs_describe_every_mart_and_column_offline(empty_warehouse):
    """`dbt docs generate --static` with every network route closed (a proxy on a closed port):
    one HTML file that opens from disk, documenting every mart, every column of it, and the
    exposures that read them."""
    warehouse, target = empty_warehouse
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CARERANK_WAREHOUSE", str(warehouse))
        for proxy in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"):
            env.setenv(proxy, "http://127.0.0.1:9")
        generated = dbt(target, "docs", "generate", "--static", "--quiet")
    assert generated.success, str(generated.exception)
    assert (target / "static_index.html").stat().st_size > 100_000
    manifest = json.loads((target / "manifest.json").read_text())
    catalog = json.loads((target / "catalog.json").read_text())
    marts = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["fqn"][1] == "marts"
    }
    assert len(marts) >= 6
    undescribed = [node["name"] for node in marts.values() if not node["description"].strip()]
    for unique_id, node in marts.items():
        built_columns = catalog["nodes"][unique_id]["columns"]
        described = {name for name, c in node["columns"].items() if c["description"].strip()}
        undescribed += [f"{node['name']}.{c}" for c in built_columns if c not in described]
    assert not undescribed, f"undocumented in dbt docs: {undescribed}"
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {"carerank_report", "carerank_anonymised_export"} <= set(exposures)
    assert "model.carerank.rpt_brand_ranking" in exposures["carerank_report"]["depends_on"]["nodes"]
