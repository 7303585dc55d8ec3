"""The dbt models as assets, in two steps so that the blocking great-expectations check on
fct_customer_posts runs between the facts and what is built from them (aggregates, ranking).

Each step is one ``dbt build``: the models are incremental and rebuild what the run's window (its
tags, passed as the vars start_date / end_date) can change, so they are not partitioned: a run
over years is one materialisation per model. dbt tests become asset checks."""

from pathlib import Path
from typing import Any

import dagster as dg
from dagster_dbt import DbtCliResource, dbt_assets, get_asset_key_for_model

from orchestration.dbt_project import (
    build_args,
    carerank_dbt,
    effective_vars,
    rule_overrides,
    settings_vars,
)
from orchestration.resource_types import (
    GreatExpectationsResource,
    WarehouseResource,
    validate_window,
)
from orchestration.run_window import run_window
from orchestration.settings import load_settings

FACTS_SELECTION = "+fct_customer_posts +int_brands_unioned"


class DbtBuildConfig(dg.Config):
    """Run config of the facts step."""

    full_refresh: bool = False
    """Rebuild every incremental model from all landed data (dbt --full-refresh) instead of the
    window. Not needed after a change of vars, registry or code (the settings fingerprint does
    it); for the limits the README names (an unregistered brand's handle change) or to check
    that the incremental tables equal a clean build."""


def build(context: dg.AssetExecutionContext, dbt: DbtCliResource, full_refresh: bool = False):
    """One `dbt build` of this step's models over the run's window, with the settings of the run
    (read now, when the run starts)."""
    window = run_window(context)
    settings = load_settings().settings
    args = build_args(
        settings_vars(settings, window.first if window else None, window.last if window else None),
        full_refresh,
    )
    # One target folder per step, reused by every run (dagster-dbt's default is a new folder per
    # invocation, megabytes each, never cleaned); the "duckdb" pool runs one step at a time.
    target = Path("target") / "dagster" / context.op_def.name
    yield from dbt.cli(args, context=context, target_path=target).stream()


@dbt_assets(
    manifest=carerank_dbt.manifest_path,
    project=carerank_dbt,
    select=FACTS_SELECTION,
    pool="duckdb",
    name="dbt_facts",
)
def dbt_facts(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    """Registry, staging, attribution, reply matching and the SLA fact table: incremental, the
    run's window re-read and what it can change rebuilt (macros/rebuild_queue.sql)."""
    yield from build(context, dbt, full_refresh=config.full_refresh)


@dbt_assets(
    manifest=carerank_dbt.manifest_path,
    project=carerank_dbt,
    exclude=FACTS_SELECTION,
    pool="duckdb",
    name="dbt_marts",
)
def dbt_marts(context: dg.AssetExecutionContext, dbt: DbtCliResource, config: DbtBuildConfig):
    """Daily aggregates, brand dimension and the published ranking."""
    yield from build(context, dbt, full_refresh=config.full_refresh)


FCT_CUSTOMER_POSTS = get_asset_key_for_model([dbt_facts], "fct_customer_posts")
STG_POSTS = get_asset_key_for_model([dbt_facts], "stg_posts")


@dg.asset_check(
    asset=STG_POSTS,
    blocking=True,
    description="great-expectations suite stg_posts (deduplicated, UTC) over the partition window.",
)
def stg_posts_suite(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    great_expectations: GreatExpectationsResource,
) -> dg.AssetCheckResult:
    return validate_window(
        great_expectations,
        warehouse,
        run_window(context),
        "select network, post_id, author_id, created_at, "
        "post_date = cast(created_at as date) as utc_day_matches "
        "from staging.stg_posts where post_date >= ? and post_date < ?",
        "stg_posts",
        "staged posts",
    )


@dg.asset_check(
    asset=FCT_CUSTOMER_POSTS,
    blocking=True,
    description="great-expectations suite fct_customer_posts over the partition window and the "
    "rows the run rebuilt.",
)
def fct_customer_posts_suite(
    context: dg.AssetCheckExecutionContext,
    warehouse: WarehouseResource,
    great_expectations: GreatExpectationsResource,
) -> dg.AssetCheckResult:
    return validate_window(
        great_expectations,
        warehouse,
        run_window(context),
        # the window's rows and every row this run rebuilt (its lookback and threads)
        "select network, post_id, brand_id, status, first_reply_post_id, response_seconds "
        "from marts.fct_customer_posts where post_date >= ? and post_date < ? "
        "or (network, post_id) in (select network, post_id from intermediate.int_posts_queued)",
        "fct_customer_posts",
        "facts",
        parameters={"horizon_seconds": float(rules_var("horizon_days")) * 86400},
    )


RPT_BRAND_RANKING = get_asset_key_for_model([dbt_marts], "rpt_brand_ranking")


@dg.asset_check(
    asset=RPT_BRAND_RANKING,
    blocking=True,
    description="great-expectations suite rpt_brand_ranking: nothing inconsistent is published.",
)
def rpt_brand_ranking_suite(
    warehouse: WarehouseResource, great_expectations: GreatExpectationsResource
) -> dg.AssetCheckResult:
    return great_expectations.validate_in_database(
        warehouse, "select * from marts.rpt_brand_ranking", [], "rpt_brand_ranking", "ranking rows"
    )


def rules_var(name: str) -> Any:
    """A var's value in this run: dbt_project.yml's, or the settings' override (the checks judge
    by the thresholds the models were built with)."""
    return effective_vars(rule_overrides(load_settings().settings))[name]
