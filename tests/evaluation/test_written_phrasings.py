"""The written phrasings are scored through `carerank classify`, as the labelled set is."""

from __future__ import annotations

import pandas as pd
import pytest

from evaluation.evaluate import default_command
from evaluation.written_phrasings import (
    COLUMNS,
    WRITTEN_SETS,
    WrittenSet,
    as_twcs,
    read_csv,
    score,
)

BY_LABEL = {written.label: written for written in WRITTEN_SETS}


@pytest.mark.parametrize("written", WRITTEN_SETS, ids=lambda written: written.path.name)
def test_the_phrasings_are_labelled_and_varied(written: WrittenSet) -> None:
    phrasings = read_csv(written.path)
    assert set(phrasings[written.label]) == {"true", "false"}
    assert phrasings["text"].is_unique
    families = phrasings.groupby(written.label)["family"].nunique()
    # many ways of carrying the label scored, and look-alikes of more than one kind
    assert families[str(written.positive).lower()] >= 15
    assert families[str(not written.positive).lower()] >= 10


def test_each_reply_is_judged_by_the_classifier() -> None:
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
    figures, judged = score(phrasings, BY_LABEL["promises_feedback"], default_command())
    assert judged["pred"].to_list() == [True, False]
    assert figures["precision"] == figures["recall"] == 1.0


def test_a_customer_post_is_judged_after_the_brand_post_it_answers() -> None:
    """needs_reply is scored on false: a closing after the brand's answer excuses the brand, a
    new question after thanks does not."""
    answer = "@sam_b Sorry about that! Restarting the router should fix it ^JT"
    phrasings = pd.DataFrame(
        {
            "parent": [answer, answer],
            "text": [
                "@AcmeCare that did it, thanks!",
                "@AcmeCare thanks! and how do I change my wifi password?",
            ],
            "needs_reply": ["false", "true"],
            "family": ["thanks it worked", "thanks plus new question"],
        }
    )
    figures, judged = score(phrasings, BY_LABEL["needs_reply"], default_command())
    assert judged["gold"].to_list() == [True, False]
    assert judged["pred"].to_list() == [True, False]
    assert figures["precision"] == figures["recall"] == 1.0


def test_the_posts_are_in_the_kaggle_columns() -> None:
    replies = as_twcs(pd.DataFrame({"text": ["a", "b"]}))
    assert list(replies.columns) == COLUMNS
    assert set(replies["inbound"]) == {"False"} and replies["tweet_id"].is_unique
    written = {"parent": ["@x hi", ""], "text": ["@RailCo ok", "@RailCo why?"]}
    customers = as_twcs(pd.DataFrame(written))
    assert list(customers.columns) == COLUMNS
    first, second, parent = customers.to_dict("records")
    assert (first["inbound"], second["inbound"], parent["inbound"]) == ("True", "True", "False")
    assert first["in_response_to_tweet_id"] == parent["tweet_id"]
    assert not second["in_response_to_tweet_id"]
    assert parent["author_id"] == "RailCo" and parent["response_tweet_id"] == first["tweet_id"]
