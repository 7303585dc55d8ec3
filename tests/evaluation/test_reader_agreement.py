"""The agreement of two blind readings: the ceiling the classification is measured against."""

import pandas as pd
import pytest

from evaluation.evaluate import agreement, reader_agreement


def test_kappa_corrects_for_chance():
    first = pd.Series(["true"] * 8 + ["false"] * 2)
    # same label frequencies, agreeing on 8 of 10: chance alone gives 0.68
    second = pd.Series(["true"] * 7 + ["false", "true", "false"])
    result = agreement(first, second)
    assert result["agreement"] == 0.8
    assert result["kappa"] == pytest.approx((0.8 - 0.68) / (1 - 0.68), abs=1e-4)


def test_identical_readings_agree_fully():
    labels = pd.Series(["question", "other", "praise"])
    assert agreement(labels, labels.copy()) == {"posts": 3, "agreement": 1.0, "kappa": 1.0}


def test_only_posts_read_twice_are_compared(tmp_path):
    pd.DataFrame(
        {
            "tweet_id": ["1", "2", "3"],
            "source_file": ["f.csv"] * 3,
            "split": ["holdout", "holdout", "dev"],
            "category": ["question", "praise", "other"],
            "needs_reply": ["true", "false", "false"],
            "notes": ["", "", ""],
        }
    ).to_csv(tmp_path / "customer_posts.csv", index=False)
    pd.DataFrame(
        {
            "tweet_id": ["1", "2"],
            "source_file": ["f.csv"] * 2,
            "category": ["question", "other"],
            "needs_reply": ["true", "true"],
            "notes": ["", ""],
        }
    ).to_csv(tmp_path / "second_reading_customer_posts.csv", index=False)
    result = reader_agreement(tmp_path, ["customer_posts.csv", "german_customer_posts.csv"])
    assert result["needs_reply"]["posts"] == 2
    assert result["needs_reply"]["agreement"] == 0.5
    assert result["category"]["agreement"] == 0.5
