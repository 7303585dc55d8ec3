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
