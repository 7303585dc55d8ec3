"""The GX resource turns a validation result into a blocking check result with samples."""

from __future__ import annotations

import pandas as pd

from orchestration.resource_types import GreatExpectationsResource


def facts(**overrides) -> pd.DataFrame:
    rows = {
        "network": ["twitter", "twitter"],
        "post_id": ["1", "2"],
        "brand_id": ["acme", "acme"],
        "status": ["answered", "unanswered"],
        "first_reply_post_id": ["9", None],
        "response_seconds": [60.0, None],
    }
    rows.update(overrides)
    return pd.DataFrame(rows)


def test_consistent_facts_pass():
    result = GreatExpectationsResource().validate(
        facts(), "fct_customer_posts", parameters={"horizon_seconds": 7 * 86400}
    )
    assert result.passed
    assert result.severity.value == "ERROR"


def test_inconsistent_facts_fail_with_samples():
    bad = facts(
        post_id=["1", "1"],
        status=["answered", "maybe"],
        first_reply_post_id=[None, "9"],
        response_seconds=[-5.0, 30.0],
    )
    result = GreatExpectationsResource().validate(
        bad, "fct_customer_posts", parameters={"horizon_seconds": 7 * 86400}
    )
    assert not result.passed
    failed = {f["expectation"] for f in result.metadata["failures"].value}
    assert {
        "expect_compound_columns_to_be_unique",
        "expect_column_values_to_be_in_set",
        "expect_column_values_to_be_between",
        "expect_column_values_to_not_be_null",
        "expect_column_values_to_be_null",
    } <= failed
    samples = [f["sample"] for f in result.metadata["failures"].value]
    assert any(-5.0 in s for s in samples)


def test_ranking_suite_rejects_rates_outside_their_interval_and_missing_ranks():
    ranking = pd.DataFrame(
        {
            "period_type": ["quarter", "quarter"],
            "period": ["2024Q1", "2024Q1"],
            "network": ["all", "all"],
            "brand_id": ["a", "b"],
            "response_rate": [0.5, 1.2],
            "response_rate_ci_low": [0.6, 0.9],
            "response_rate_ci_high": [0.7, 1.0],
            "rank": [1.0, None],
            "is_eligible": [True, True],
        }
    )
    result = GreatExpectationsResource().validate(ranking, "rpt_brand_ranking")
    assert not result.passed
    failed = {f["expectation"] for f in result.metadata["failures"].value}
    assert {
        "expect_column_values_to_be_between",
        "expect_column_pair_values_a_to_be_greater_than_b",
        "expect_column_values_to_not_be_null",
    } <= failed
