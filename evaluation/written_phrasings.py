"""Score the classification rules on the written phrasings of evaluation/synthetic/.

Run from the repository root: `python -m evaluation.written_phrasings` (`make eval` runs it after
the labelled set).

Feedback promises are about one brand reply in twenty, a hand-off to a private channel is worded
in more ways than the labelled dev half shows, and a customer's closing or thanks has as many
look-alikes that still need an answer; the labelled dev half holds too few families of wording
to write general rules from. evaluation/synthetic/ holds English posts written for this purpose
by writers who saw neither the rules nor the labelled set: for each label, posts that carry it
in many families of wording (`family` names each) and look-alikes that do not. They are
development sets: rules may be written from them, and the labelled holdout measures whether
those rules generalise. This prints precision and recall on them and the posts the rules get
wrong, by family.

Exit status: 0 when scored, 2 when `carerank classify` is unavailable or fails.
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evaluation.evaluate import (
    HEADER,
    HERE,
    ClassifierError,
    classify,
    default_command,
    flag,
    metric_line,
    prf,
    read_csv,
)

SYNTHETIC = HERE / "synthetic"


@dataclass(frozen=True)
class WrittenSet:
    """One file of written phrasings and the label it is scored on.

    Brand replies carry `text,<label>,family`; customer posts also a `parent`: the brand post
    they answer, or nothing when they open a conversation (a closing means something only after
    a brand's reply)."""

    path: Path
    label: str
    # the value of the label scored as the positive class: needs_reply is scored on false, the
    # value that excuses a brand from answering
    positive: bool = True
    # a test set only: written after the rules and the promise model, by writers asked for
    # wordings unlike the other sets, and kept out of both, so that its figures say how the
    # classification does on phrasings it was not built from (as the holdout does)
    unseen: bool = False

    @property
    def title(self) -> str:
        return self.label if self.positive else f"{self.label}=false"


WRITTEN_SETS = (
    WrittenSet(SYNTHETIC / "feedback_promises.csv", "promises_feedback"),
    WrittenSet(SYNTHETIC / "feedback_promises_more.csv", "promises_feedback"),
    WrittenSet(SYNTHETIC / "feedback_promises_realistic.csv", "promises_feedback"),
    WrittenSet(SYNTHETIC / "feedback_promises_german.csv", "promises_feedback"),
    WrittenSet(SYNTHETIC / "feedback_promises_sectors.csv", "promises_feedback", unseen=True),
    WrittenSet(SYNTHETIC / "feedback_promises_terse.csv", "promises_feedback", unseen=True),
    WrittenSet(SYNTHETIC / "private_handoffs.csv", "moved_to_private"),
    WrittenSet(SYNTHETIC / "customer_needs_reply.csv", "needs_reply", positive=False),
    WrittenSet(SYNTHETIC / "customer_needs_reply_hard.csv", "needs_reply", positive=False),
    WrittenSet(SYNTHETIC / "customer_needs_reply_realistic.csv", "needs_reply", positive=False),
    WrittenSet(SYNTHETIC / "customer_needs_reply_german.csv", "needs_reply", positive=False),
)

WRITTEN_AT, ONE_MINUTE_LATER = "Mon Mar 04 09:00:00 +0000 2024", "Mon Mar 04 09:01:00 +0000 2024"
BRAND = "AcmeCare"  # the care account of a reply whose customer post names none
COLUMNS = [
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
]


def addressed_brand(text: str) -> str:
    """The account a customer post addresses: its first @handle."""
    handle = re.search(r"@(\w+)", text)
    return handle.group(1) if handle else BRAND


def as_twcs(phrasings: pd.DataFrame) -> pd.DataFrame:
    """The phrasings in the Kaggle file's columns, in the order of the phrasings' rows.

    Without a `parent` column they are brand replies of one invented care account. With one
    they are customer posts (inbound, each by its own customer), each after the brand's post it
    answers where it has a parent, written a minute earlier by the account it addresses."""
    ids = [str(9_300_001 + i) for i in range(len(phrasings))]
    if "parent" not in phrasings:
        return pd.DataFrame(
            {
                "tweet_id": ids,
                "author_id": BRAND,
                "inbound": "False",
                "created_at": WRITTEN_AT,
                "text": phrasings["text"].to_list(),
                "response_tweet_id": "",
                "in_response_to_tweet_id": "",
            }
        )
    posts, parents = [], []
    for i, (post_id, row) in enumerate(zip(ids, phrasings.itertuples(), strict=True)):
        parent_id = str(9_600_001 + i) if row.parent else ""
        customer = str(700_001 + i)
        posts.append([post_id, customer, "True", ONE_MINUTE_LATER, row.text, "", parent_id])
        if parent_id:
            brand = addressed_brand(row.text)
            parents.append([parent_id, brand, "False", WRITTEN_AT, row.parent, post_id, ""])
    return pd.DataFrame(posts + parents, columns=COLUMNS)


def score(
    phrasings: pd.DataFrame, written: WrittenSet, command: list[str]
) -> tuple[dict, pd.DataFrame]:
    """The figures of the set's label, and the phrasings with the rules' verdict."""
    posts = as_twcs(phrasings)
    with tempfile.TemporaryDirectory(prefix="carerank-phrasings-") as folder:
        work = Path(folder)
        source = work / "written_phrasings.csv"
        posts.to_csv(source, index=False)
        predictions = classify(source, command, work)
    scored_ids = posts["tweet_id"].iloc[: len(phrasings)]
    predicted = scored_ids.map(predictions[written.label]).fillna("").map(flag)
    judged = phrasings.assign(
        gold=phrasings[written.label].map(flag) == written.positive,
        # a post the classifier did not return is a prediction of nothing, as in the labelled set
        pred=(predicted == written.positive) & scored_ids.isin(predictions.index),
    )
    return prf(judged["gold"], judged["pred"]), judged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    for written in WRITTEN_SETS:
        phrasings = read_csv(written.path)
        try:
            figures, judged = score(phrasings, written, default_command())
        except ClassifierError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        kind = "customer posts" if "parent" in phrasings else "brand replies"
        unseen = ", unseen (not used to build the rules or the model)" if written.unseen else ""
        print(f"\n== Written phrasings: {written.path.name}, {len(judged)} {kind}{unseen} ==")
        print(HEADER)
        print(metric_line(written.title, figures))
        for title, wrong in (
            ("missed", judged[judged["gold"] & ~judged["pred"]]),
            ("wrongly found", judged[~judged["gold"] & judged["pred"]]),
        ):
            for row in wrong.sort_values("family").itertuples():
                after = f" (after: {row.parent})" if getattr(row, "parent", "") else ""
                print(f"  {title}: [{row.family}] {row.text}{after}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
