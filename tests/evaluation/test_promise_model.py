"""The word model of feedback promises: the shipped macro is what training gives, and the
warehouse's SQL reads a reply's words and adds their weights as the Python model does."""

from __future__ import annotations

import json

import duckdb
import pytest

from evaluation.promise_model import MACRO, macro_text, tokens, train, training_replies
from evaluation.written_phrasings import WRITTEN_SETS, read_csv
from tests.conftest import compile_macros

# what the tokenisation must agree on: case, the curly apostrophe, contractions, handles, links,
# umlauts and ß (also as capitals), punctuation and digits between words
TEXTS = [
    "I’ll pass this on to our Produkt team @bob_1 https://t.co/xY9?a=b",
    "We've SHARED your Feedback with the store manager! ^AB",
    "Ich habe Ihre Anregung an die Fachabteilung ÜBERMITTELT, Grüße aus München",
    "'quoted' words, i'd and don't; 3rd-party e-mail",
    "Please DM us your order number.",
    "",
]


@pytest.fixture(scope="module")
def compiled() -> dict[str, str]:
    score, model = compile_macros(
        "select {{ promise_model_score('text', promise_model().weights) }} from t",
        "{{ tojson(promise_model()) }}",
    )
    return {"score": score, "model": model}


def test_the_words_of_a_reply() -> None:
    assert tokens(TEXTS[0]) == ["i'll", "on", "our", "pass", "produkt", "team", "this", "to"]
    assert "übermittelt" in tokens(TEXTS[2]) and "grüße" in tokens(TEXTS[2])
    words = ["and", "don't", "e", "i'd", "mail", "party", "quoted", "rd", "words"]
    assert tokens(TEXTS[3]) == words


def test_the_sql_adds_the_weights_the_python_model_adds(compiled) -> None:
    model = json.loads(compiled["model"])
    con = duckdb.connect()
    con.execute("create table t (i integer, text varchar)")
    con.executemany("insert into t values (?, ?)", list(enumerate(TEXTS)))
    sql = compiled["score"].replace("from t", "from t order by i")
    in_sql = [row[0] for row in con.execute(sql).fetchall()]
    in_python = [sum(model["weights"].get(w, 0.0) for w in tokens(text)) for text in TEXTS]
    assert in_sql == pytest.approx(in_python, abs=1e-9)
    assert in_sql[0] > model["threshold_log_odds"] - model["bias"] > in_sql[4]


def test_the_shipped_model_is_what_training_gives(kaggle_sample) -> None:
    model = train(*training_replies(kaggle_sample.parent))
    assert macro_text(model) == MACRO.read_text(encoding="utf-8"), (
        "dbt_project/macros/promise_model.sql is not what the labelled replies train: "
        "run `python -m evaluation.promise_model`"
    )
    assert model.cv_precision >= 0.95 and 100 < len(model.weights) < 1000


def test_the_unseen_written_sets_stay_out_of_training(kaggle_sample) -> None:
    """The sets kept unseen measure the model on wordings it never learnt from: none of their
    replies may reach the training data."""
    unseen = [w for w in WRITTEN_SETS if w.unseen and w.label == "promises_feedback"]
    assert unseen
    texts, labels = training_replies(kaggle_sample.parent)
    assert len(texts) == len(labels)
    learnt = set(texts)
    for written in unseen:
        assert not learnt & set(read_csv(written.path).text), written.path.name
