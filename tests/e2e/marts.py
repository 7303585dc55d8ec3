"""The marts of two warehouses side by side: read them, and require them equal row for row (in
any order; floats to a relative 1e-9, as two engines may sum in another order)."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

Marts = dict[str, tuple[list[str], list[tuple]]]


def mart_rows_duckdb(warehouse: Path) -> Marts:
    """Columns and rows of every table in the schema marts of a DuckDB warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' order by 1"
            ).fetchall()
        ]
        out = {}
        for table in tables:
            cursor = con.execute(f'select * from marts."{table}"')
            out[table] = ([d[0] for d in cursor.description], cursor.fetchall())
    return out


def normalise(value: Any) -> Any:
    """One representation for every driver: floats for decimals, naive UTC timestamps, tuples
    for lists."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    if isinstance(value, list | tuple):
        return tuple(normalise(v) for v in value)
    return value


def sort_key(row: tuple) -> tuple:
    # floats rounded for sorting only (they are compared with a tolerance below); None first
    return tuple(
        (0, "") if v is None else (1, round(v, 6) if isinstance(v, float) else v) for v in row
    )


def same(left: Any, right: Any) -> bool:
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is right
        return math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-12)
    return left == right


def assert_same_marts(duck: Marts, other: Marts, engine: str = "PG") -> None:
    """Every mart of ``duck`` in ``other`` (built by ``engine``), with the same columns in the
    same order and the same rows."""
    assert set(duck) == set(other)
    for table, (columns, rows) in duck.items():
        other_columns, other_rows = other[table]
        assert columns == other_columns, table
        left = sorted((tuple(normalise(v) for v in r) for r in rows), key=sort_key)
        right = sorted((tuple(normalise(v) for v in r) for r in other_rows), key=sort_key)
        assert len(left) == len(right), (
            f"{table}: {len(left)} rows in DuckDB, {len(right)} in {engine}"
        )
        for a, b in zip(left, right, strict=True):
            differing = [(c, x, y) for c, x, y in zip(columns, a, b, strict=True) if not same(x, y)]
            assert not differing, f"{table}: {differing}"


# Brand replies whose feedback promise only the word model finds, or that test how each engine
# reads their words (capitals beyond ASCII, the curly apostrophe, handles and links): post id of
# the customer post -> (customer text, reply text, whether the reply promises feedback).
PROMISE_REPLIES = {
    "990000001": (
        "@{brand} you should add a dark mode to the app",
        "@{customer} Thanks for the suggestion! Our product team reads every idea we receive. ^AB",
        True,
    ),
    "990000002": (
        "@{brand} bitte mehr vegane Produkte im Sortiment",
        "@{customer} Tolle Idee, danke! Die Anregung ist bei unserem Team ÜBERMITTELT. Grüße ^MK",
        True,
    ),
    "990000003": (
        "@{brand} my order is late again",
        "@{customer} I’m sorry, our team is looking into your order @{brand} https://t.co/x1 ^AB",
        False,
    ),
}


def add_promise_replies(world: Path) -> None:
    """Append PROMISE_REPLIES to a written world's posts.jsonl: each customer post and, an hour
    later, the reply of the world's first Twitter brand account, on the world's first day."""
    import csv
    import json

    posts = world / "posts.jsonl"
    lines = posts.read_text().splitlines()
    first_day = min(json.loads(line)["created_at"][:10] for line in lines)
    with (world / "brand_accounts.csv").open(newline="") as f:
        account = next(row for row in csv.DictReader(f) if row["network"] == "twitter")
    added = []
    for number, (post_id, (asked, answered, _)) in enumerate(PROMISE_REPLIES.items()):
        customer = {"id": f"88000000{number}", "handle": f"promise_customer{number}"}
        texts = {"brand": account["handle"], "customer": customer["handle"]}
        common = {"network": "twitter", "conversation_id": None, "lang": None}
        added.append(
            {
                **common,
                "post_id": post_id,
                "author_id": customer["id"],
                "author_handle": customer["handle"],
                "created_at": f"{first_day}T10:0{number}:00+00:00",
                "text": asked.format(**texts),
                "in_reply_to_post_id": None,
                "in_reply_to_author_id": None,
            }
        )
        added.append(
            {
                **common,
                "post_id": f"{post_id}9",
                "author_id": account["account_id"],
                "author_handle": account["handle"],
                "created_at": f"{first_day}T11:0{number}:00+00:00",
                "text": answered.format(**texts),
                "in_reply_to_post_id": post_id,
                "in_reply_to_author_id": customer["id"],
            }
        )
    posts.write_text("\n".join(lines + [json.dumps(post) for post in added]) + "\n")


def assert_promises_found(duck: Marts) -> None:
    """The marts of a run that read PROMISE_REPLIES say of each reply what it promises."""
    columns, rows = duck["fct_customer_posts"]
    post, promises = columns.index("post_id"), columns.index("reply_promises_feedback")
    found = {row[post]: row[promises] for row in rows if row[post] in PROMISE_REPLIES}
    assert found == {post_id: expected for post_id, (_, _, expected) in PROMISE_REPLIES.items()}
