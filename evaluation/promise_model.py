"""A small word model of feedback promises, for the wordings the rules do not know.

The rules find a promise to pass feedback on by its wording ("I'll pass this on to the team").
Care teams word it in more ways than rules can list, and the labelled holdout showed promises
that match no pattern at all. This model learns which words make a promise from every labelled
reply the rules were written from: the dev half of the labelled set and the written promise
sets (never the holdout). It is an L1-regularised logistic regression on the words of a reply
(scikit-learn), so that only a few hundred words keep a weight; the threshold is the lowest
whose cross-validated precision reaches ``MIN_PRECISION``.

It ships as a dbt macro of its weights (``dbt_project/macros/promise_model.sql``, written by
this module: ``python -m evaluation.promise_model``), scored in SQL by macro
``promise_model_says``: nothing is downloaded or loaded at run time, and every warehouse the
dbt project builds on scores it the same way. A reply the model calls a promise still passes
the rules' own-case exclusions (a promise about the customer's own order is not feedback).

``tokens`` is the tokenisation the SQL repeats: lower case, the curly apostrophe as a straight
one, @handles and links removed, then every run of letters (a-z, ä, ö, ü, ß), with a
contraction ("i'll") kept whole.
"""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from evaluation import evaluate as ev
from evaluation.written_phrasings import WRITTEN_SETS

MACRO = ev.ROOT / "dbt_project" / "macros" / "promise_model.sql"
MIN_PRECISION = 0.95
# scikit-learn's default strength; the L1 penalty keeps a few hundred of some 2,000 words
REGULARISATION_C = 1.0
THRESHOLDS = np.round(np.arange(0.5, 0.96, 0.05), 2)
DECIMALS = 4

# The same expressions in SQL (macro promise_model_says): keep them in step.
REMOVED = re.compile(r"@[a-z0-9_]+|https?://[^ \t\n\r]+")
TOKEN = re.compile(r"[a-zäöüß]+(?:'[a-z]+)?")


def tokens(text: str) -> list[str]:
    """The distinct words of a reply, as the model and the SQL read them."""
    lowered = text.lower().replace("’", "'")
    return sorted(set(TOKEN.findall(REMOVED.sub(" ", lowered))))


@dataclass(frozen=True)
class PromiseModel:
    bias: float
    weights: dict[str, float]
    threshold: float
    cv_precision: float
    cv_recall: float
    replies: int
    promises: int

    def score(self, text: str) -> float:
        """The log-odds that the reply promises to pass feedback on."""
        return self.bias + sum(self.weights.get(token, 0.0) for token in tokens(text))

    @property
    def threshold_log_odds(self) -> float:
        return float(np.log(self.threshold / (1 - self.threshold)))


def training_replies(data: Path = ev.DATA) -> tuple[list[str], np.ndarray]:
    """The texts and labels the model learns from: the labelled replies of the dev half and
    the written promise sets, except those kept unseen."""
    texts: list[str] = []
    labels: list[bool] = []
    for name in ev.BRAND_FILES:
        labelled = ev.read_csv(ev.LABELS / name)
        labelled = labelled[labelled.split == "dev"]
        for source_file, part in labelled.groupby("source_file", sort=True):
            source = ev.read_csv(ev.source_path(source_file, data)).set_index("tweet_id")
            texts += [source.loc[tweet_id, "text"] for tweet_id in part.tweet_id]
            labels += list(part.promises_feedback.str.lower() == "true")
    for written in WRITTEN_SETS:
        if written.label == "promises_feedback" and not written.unseen:
            phrasings = ev.read_csv(written.path)
            texts += list(phrasings.text)
            labels += list(phrasings.promises_feedback.str.lower() == "true")
    return texts, np.array(labels)


def train(texts: list[str], labels: np.ndarray) -> PromiseModel:
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    vectorizer = CountVectorizer(analyzer=tokens, binary=True, min_df=2)
    features = vectorizer.fit_transform(texts)

    def model() -> LogisticRegression:
        # l1_ratio=1: the L1 penalty alone
        return LogisticRegression(
            l1_ratio=1.0, C=REGULARISATION_C, solver="liblinear", random_state=0, max_iter=1000
        )

    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    held_out = cross_val_predict(model(), features, labels, cv=folds, method="predict_proba")[:, 1]
    threshold, precision, recall = _threshold(held_out, labels)
    fitted = model().fit(features, labels)
    weights = {
        word: round(float(weight), DECIMALS)
        for word, weight in zip(vectorizer.get_feature_names_out(), fitted.coef_[0], strict=True)
        if round(float(weight), DECIMALS) != 0
    }
    return PromiseModel(
        bias=round(float(fitted.intercept_[0]), DECIMALS),
        weights=dict(sorted(weights.items())),
        threshold=threshold,
        cv_precision=precision,
        cv_recall=recall,
        replies=len(texts),
        promises=int(labels.sum()),
    )


def _threshold(probabilities: np.ndarray, labels: np.ndarray) -> tuple[float, float, float]:
    """The lowest threshold whose precision on the held-out folds reaches MIN_PRECISION, with
    that precision and recall."""
    for threshold in THRESHOLDS:
        called = probabilities >= threshold
        if called.sum() == 0:
            continue
        precision = float((called & labels).sum() / called.sum())
        if precision >= MIN_PRECISION:
            return float(threshold), precision, float((called & labels).sum() / labels.sum())
    raise RuntimeError(f"no threshold reaches a cross-validated precision of {MIN_PRECISION}")


def macro_text(model: PromiseModel) -> str:
    """The dbt macro that carries the model into the warehouse."""
    weights = ",\n".join(
        f"        '{word.replace(chr(39), chr(39) * 2)}': {weight!r}"
        for word, weight in model.weights.items()
    )
    return (
        "{#- Written by `python -m evaluation.promise_model`; do not edit: retrain instead.\n"
        f"    A logistic regression of feedback promises on the words of a reply, learnt from "
        f"{model.replies} labelled\n"
        f"    replies ({model.promises} promises): bias, threshold (a probability) and one "
        "weight per word. -#}\n"
        "{% macro promise_model() -%}\n"
        "    {{ return({\n"
        f"        'bias': {model.bias!r},\n"
        f"        'threshold': {model.threshold!r},\n"
        f"        'threshold_log_odds': {round(model.threshold_log_odds, DECIMALS)!r},\n"
        "        'weights': {\n"
        f"{weights}\n"
        "        },\n"
        "    }) }}\n"
        "{%- endmacro %}\n"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=MACRO, help="the macro file to write")
    args = parser.parse_args(argv)
    model = train(*training_replies())
    args.out.write_text(macro_text(model), encoding="utf-8")
    print(
        f"{len(model.weights)} words from {model.replies} replies ({model.promises} promises); "
        f"threshold {model.threshold} (cross-validated precision {model.cv_precision:.3f}, "
        f"recall {model.cv_recall:.3f}); written to {args.out}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
