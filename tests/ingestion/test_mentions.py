import duckdb
import pytest

from ingestion.mentions import extract_mentions, mentions_sql

CASES = [
    ("twitter", "@Acme help!", ["acme"]),
    ("twitter", "@acmehelp is not @acme's twin", ["acme", "acmehelp"]),
    ("twitter", "mail help@acme.com please", []),
    ("twitter", "cc @ACME.", ["acme"]),
    ("twitter", "@a_b1 @A_B1 twice", ["a_b1"]),
    ("twitter", "no mention here", []),
    ("bluesky", "hi @acme.bsky.social.", ["acme.bsky.social"]),
    (
        "bluesky",
        "@acmehelp.bsky.social vs @acme.bsky.social",
        ["acme.bsky.social", "acmehelp.bsky.social"],
    ),
    ("mastodon", "@acme@mastodon.social hello", ["acme@mastodon.social"]),
    ("bluesky", "write to x@acme.bsky.social", []),
]


@pytest.mark.parametrize(("network", "text", "expected"), CASES)
def test_python_extraction(network, text, expected):
    assert extract_mentions(text, network) == expected


@pytest.mark.parametrize(("network", "text", "expected"), CASES)
def test_sql_extraction_agrees_with_python(network, text, expected):
    got = duckdb.execute(
        f"select {mentions_sql('t', 'n')} from (select ?::varchar as t, ?::varchar as n)",
        [text, network],
    ).fetchone()[0]
    assert got == expected


def test_null_text_has_no_mentions():
    assert extract_mentions(None, "twitter") == []
    assert (
        duckdb.execute(f"select {mentions_sql('null', chr(39) + 'twitter' + chr(39))}").fetchone()[
            0
        ]
        == []
    )
