"""Score the reply labels on the written phrasings of evaluation/synthetic/.

Run from the repository root: `python -m evaluation.written_phrasings` (`make eval` runs it after
the labelled set).

Feedback promises are about one brand reply in twenty, and a hand-off to a private channel is
worded in more ways than the labelled dev half shows, so that half holds too few families of
wording to write general rules from. evaluation/synthetic/ holds English brand replies written
for this purpose by writers who saw neither the rules nor the labelled set: for each label,
replies that carry it in many families of wording (`family` names each) and look-alikes that do
not. They are development sets: rules may be written from them, and the labelled holdout
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

# label -> its written phrasings (columns text, <label>, family)
PHRASINGS = {
    "promises_feedback": HERE / "synthetic" / "feedback_promises.csv",
    "moved_to_private": HERE / "synthetic" / "private_handoffs.csv",
}


def as_twcs(phrasings: pd.DataFrame) -> pd.DataFrame:
    """The phrasings as brand replies in the Kaggle file's columns (one invented care account,
    no customer posts: the labels depend on the reply's text alone)."""
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


def score(phrasings: pd.DataFrame, label: str, command: list[str]) -> tuple[dict, pd.DataFrame]:
    """The figures of ``label``, and the phrasings with the rules' verdict."""
    posts = as_twcs(phrasings)
    with tempfile.TemporaryDirectory(prefix="carerank-phrasings-") as folder:
        work = Path(folder)
        source = work / "written_phrasings.csv"
        posts.to_csv(source, index=False)
        predictions = classify(source, command, work)
    judged = phrasings.assign(
        gold=phrasings[label].map(flag),
        pred=posts["tweet_id"].map(predictions[label]).fillna("").map(flag),
    )
    return prf(judged["gold"], judged["pred"]), judged


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.parse_args(argv)
    for label, path in PHRASINGS.items():
        phrasings = read_csv(path)
        try:
            figures, judged = score(phrasings, label, default_command())
        except ClassifierError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        print(f"\n== Written phrasings: {path.name}, {len(judged)} brand replies ==")
        print(HEADER)
        print(metric_line(label, figures))
        for title, wrong in (
            ("missed", judged[judged["gold"] & ~judged["pred"]]),
            ("wrongly found", judged[~judged["gold"] & judged["pred"]]),
        ):
            for row in wrong.sort_values("family").itertuples():
                print(f"  {title}: [{row.family}] {row.text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
