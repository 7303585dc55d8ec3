"""Score `promises_feedback` on the written phrasings of evaluation/synthetic/.

Run from the repository root: `python -m evaluation.synthetic_feedback` (`make eval` runs it
after the labelled set).

Feedback promises are about one brand reply in twenty, so the labelled Kaggle set holds a few
dozen, too few families of wording to write general rules from. evaluation/synthetic/ holds
English brand replies written for this purpose by a writer who saw neither the rules nor the
labelled set: promises to pass feedback on in many families of wording (`family` names each),
and look-alikes that are not (the customer's own case handed to a team, a request to DM, thanks
alone). They are a development set: rules may be written from them, and the labelled holdout
measures whether those rules generalise. This prints precision and recall on them and the
replies the rules get wrong, by family.

Exit status: 0 when scored, 2 when `carerank classify` is unavailable or fails.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
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

PHRASINGS = HERE / "synthetic" / "feedback_promises.csv"


def as_twcs(phrasings: pd.DataFrame) -> pd.DataFrame:
    """The phrasings as brand replies in the Kaggle file's columns (one invented care account,
    no customer posts: the label depends on the reply's text alone)."""
    ids = [str(9_300_001 + i) for i in range(len(phrasings))]
    return pd.DataFrame(
        {
            "tweet_id": ids,
            "author_id": "AcmeCare",
            "inbound": "False",
            "created_at": "Mon Mar 04 09:00:00 +0000 2024",
            "text": phrasings["text"].to_list(),
            "response_tweet_id": "",
            "in_response_to_tweet_id": "",
        }
    )


def score(phrasings: pd.DataFrame, command: list[str]) -> tuple[dict, pd.DataFrame]:
    """The figures of promises_feedback, and the phrasings with the rules' verdict."""
    posts = as_twcs(phrasings)
    with tempfile.TemporaryDirectory(prefix="carerank-synthetic-") as folder:
        work = Path(folder)
        source = work / "synthetic_feedback.csv"
        posts.to_csv(source, index=False)
        predictions = classify(source, command, work)
    judged = phrasings.assign(
        gold=phrasings["promises_feedback"].map(flag),
        pred=posts["tweet_id"].map(predictions["promises_feedback"]).fillna("").map(flag),
    )
    return prf(judged["gold"], judged["pred"]), judged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phrasings", type=Path, default=PHRASINGS)
    args = parser.parse_args(argv)
    phrasings = read_csv(args.phrasings)
    try:
        figures, judged = score(phrasings, default_command())
    except ClassifierError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(f"== Written phrasings ({args.phrasings.name}, {len(judged)} brand replies) ==")
    print(HEADER)
    print(metric_line("promises_feedback", figures))
    for title, wrong in (
        ("missed", judged[judged["gold"] & ~judged["pred"]]),
        ("wrongly found", judged[~judged["gold"] & judged["pred"]]),
    ):
        for row in wrong.sort_values("family").itertuples():
            print(f"  {title}: [{row.family}] {row.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
