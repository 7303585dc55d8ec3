"""The Dagster definitions load and wire the assets, checks, jobs and schedule."""

from __future__ import annotations

import dagster as dg

from carerank.pipeline import load_definitions
from orchestration.dbt_project import ensure_dbt_manifest


def test_definitions_wire_assets_checks_and_schedule(monkeypatch):
    monkeypatch.delenv("CARERANK_API_NETWORKS", raising=False)
    ensure_dbt_manifest()
    defs = load_definitions()
    job = defs.resolve_job_def("carerank_daily")
    graph = defs.resolve_asset_graph()
    keys = {k.to_user_string() for k in graph.get_all_asset_keys()}
    assert {"raw/posts", "marts/fct_customer_posts", "marts/rpt_brand_ranking"} <= keys
    # cost follows the posts: without API networks nothing is partitioned by day, so a file
    # spanning years is one run with one materialisation per asset
    assert all(graph.get(k).partitions_def is None for k in graph.get_all_asset_keys())
    assert job.partitions_def is None
    checks = {c.name: c for c in graph.asset_check_keys}
    assert "landed_posts_suite" in checks and "fct_customer_posts_suite" in checks
    blocking = {
        spec.key.name: spec.blocking
        for assets_def in graph.assets_defs
        for spec in assets_def.check_specs
    }
    for suite in ("landed_posts", "stg_posts", "fct_customer_posts", "rpt_brand_ranking"):
        assert blocking[f"{suite}_suite"], suite
    assert not blocking["customer_post_volume"] and not blocking["landing_schema_drift"]
    # dbt tests appear as asset checks too
    assert any(name.startswith("unique_combination_fct_customer_posts") for name in blocking)
    schedule = defs.resolve_schedule_def("carerank_nightly")
    assert schedule.job_name == job.name


def test_api_assets_are_the_only_daily_partitioned_assets(monkeypatch):
    monkeypatch.setenv("CARERANK_API_NETWORKS", "x,bluesky")
    monkeypatch.setenv("CARERANK_FIRST_DAY", "2025-03-01")
    ensure_dbt_manifest()
    graph = load_definitions().resolve_asset_graph()
    partitioned = {
        k.to_user_string(): graph.get(k).partitions_def
        for k in graph.get_all_asset_keys()
        if graph.get(k).partitions_def is not None
    }
    assert set(partitioned) == {"landing/x_api", "landing/bluesky_api"}
    for partitions in partitioned.values():
        assert isinstance(partitions, dg.DailyPartitionsDefinition)
        assert partitions.get_first_partition_key() == "2025-03-01"
