"""matches_rule splits a rule's patterns into alternations DuckDB's RE2 can hold in one
automaton, without changing what the rule matches."""

from __future__ import annotations

import json
import re

import duckdb
import pytest

from tests.conftest import compile_macros

TEXTS = [
    "Great idea! I'll pass it on to our product team. ^AB",
    "Thanks for the feedback, we've shared it with the store manager.",
    "I've passed your refund request to our refunds team, they'll be in touch.",
    "Please DM us your order number.",
    "lol",
]


@pytest.fixture(scope="module")
def compiled() -> dict[str, str]:
    chunked, patterns = compile_macros(
        "select {{ matches_rule('text', 'promises_feedback') }} from t",
        "{{ tojson(classification_patterns()['promises_feedback']) }}",
    )
    return {"chunked": chunked, "patterns": patterns}


def literals(sql: str) -> list[str]:
    return re.findall(r"regexp_matches\(text, '((?:[^']|'')*)', 'i'\)", sql)


def test_a_long_rule_becomes_several_short_alternations(compiled) -> None:
    chunks = literals(compiled["chunked"])
    assert len(chunks) > 1
    assert all(len(chunk.replace("''", "'")) <= 6000 for chunk in chunks)


def test_the_short_alternations_match_what_one_alternation_matches(compiled) -> None:
    patterns = [p for group in json.loads(compiled["patterns"]).values() for p in group]
    con = duckdb.connect()
    con.execute("create table t (i integer, text varchar)")
    con.executemany("insert into t values (?, ?)", list(enumerate(TEXTS)))
    chunked = [
        row[0]
        for row in con.execute(
            compiled["chunked"].replace("from t", "from t order by i")
        ).fetchall()
    ]
    whole = [
        row[0]
        for row in con.execute(
            "select coalesce(regexp_matches(text, ?, 'i'), false) from t order by i",
            ["|".join(patterns)],
        ).fetchall()
    ]
    assert chunked == whole
    assert chunked[:2] == [True, True] and chunked[-2:] == [False, False]
