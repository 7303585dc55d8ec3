"""The written phrasings are scored through `carerank classify`, as the labelled set is."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.evaluate import default_command
from evaluation.written_phrasings import PHRASINGS, as_twcs, read_csv, score


@pytest.mark.parametrize("label", sorted(PHRASINGS))
def test_the_phrasings_are_labelled_and_varied(label: str) -> None:
    phrasings = read_csv(PHRASINGS[label])
    assert set(phrasings[label]) == {"true", "false"}
    assert phrasings["text"].is_unique
    assert phrasings.loc[phrasings[label] == "true", "family"].nunique() >= 25


def test_each_phrasing_is_judged_by_the_classifier() -> None:
    """A promise and a look-alike about the customer's own case, scored one by one."""
    phrasings = pd.DataFrame(
        {
            "text": [
                "Great idea! I'll pass it on to our product team. ^AB",
                "I've passed your refund request to our refunds team, they'll be in touch. ^AB",
            ],
            "promises_feedback": ["true", "false"],
            "family": ["pass on", "own case"],
        }
    )
    figures, judged = score(phrasings, "promises_feedback", default_command())
    assert judged["pred"].to_list() == [True, False]
    assert figures["precision"] == figures["recall"] == 1.0


def test_the_replies_are_brand_posts_in_the_kaggle_columns() -> None:
    posts = as_twcs(pd.DataFrame({"text": ["a", "b"]}))
    assert list(posts.columns) == [
        "tweet_id",
        "author_id",
        "inbound",
        "created_at",
        "text",
        "response_tweet_id",
        "in_response_to_tweet_id",
    ]
    assert set(posts["inbound"]) == {"False"} and posts["tweet_id"].is_unique
