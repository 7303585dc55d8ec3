"""The GX resource turns a validation result into a blocking check result with samples."""

from __future__ import annotations

import pandas as pd

from orchestration.resources import GreatExpectationsResource


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
