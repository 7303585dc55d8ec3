"""The great-expectations suites as SQL: one query per suite over a check's batch query, run in
the warehouse (DuckDB or PostgreSQL), that counts the rows each expectation finds unexpected.

Why: a check reads its whole window otherwise, and 10 million posts in pandas make the checks a
pandas job. The SQL judges every row in the database; GX then validates only a sample of the
window (``resource_types``), a second implementation of the same suites.

The rules are GX 1.x's as its pandas engine applies them, null handling included: in_set,
between and regex judge non-null values only; a compound key's every duplicated row counts;
``row_condition`` and ``ignore_row_if`` drop rows first, and ``mostly`` is measured over the rows
left. A type or option not translated here raises ValueError rather than passing unchecked.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

Dialect = Literal["duckdb", "postgres"]

# The fixed seed of the DuckDB sample, so that a run's sample is the same when it is run again.
SAMPLE_SEED = 20240101

_COLUMN = {"column", "row_condition", "mostly"}
OPTIONS: dict[str, set[str]] = {
    "expect_column_values_to_not_be_null": _COLUMN,
    "expect_column_values_to_be_null": _COLUMN,
    "expect_column_values_to_be_in_set": _COLUMN | {"value_set"},
    "expect_column_values_to_be_between": _COLUMN
    | {"min_value", "max_value", "strict_min", "strict_max"},
    "expect_column_values_to_match_regex": _COLUMN | {"regex"},
    "expect_compound_columns_to_be_unique": {
        "column_list",
        "row_condition",
        "mostly",
        "ignore_row_if",
    },
    "expect_column_pair_values_a_to_be_greater_than_b": {
        "column_A",
        "column_B",
        "or_equal",
        "ignore_row_if",
        "row_condition",
        "mostly",
    },
}
COMPARISONS = {"==": "=", ">": ">", ">=": ">=", "<": "<", "<=": "<="}
# ignore_row_if's names per type, GX's default first: rows missing all values dropped, rows
# missing any dropped, none dropped.
IGNORE_ROW_IF = {
    "expect_compound_columns_to_be_unique": (
        "all_values_are_missing",
        "any_value_is_missing",
        "never",
    ),
    "expect_column_pair_values_a_to_be_greater_than_b": (
        "both_values_are_missing",
        "either_value_is_missing",
        "neither",
    ),
}

# Column types pandas reads into its nullable dtypes (Int64, boolean): there a null compared
# with != is NA and the row is dropped, where in object, str and float columns it is kept.
_NULLABLE_DTYPE = {
    "duckdb": "typeof({col}) in ('TINYINT', 'SMALLINT', 'INTEGER', 'BIGINT', 'UTINYINT', "
    "'USMALLINT', 'UINTEGER', 'UBIGINT', 'BOOLEAN')",
    "postgres": "cast(pg_typeof({col}) as text) in ('smallint', 'integer', 'bigint', 'boolean')",
}


@dataclass(frozen=True)
class Fragment:
    """SQL text and the values of its ``?`` placeholders, in order: values are always bound."""

    text: str
    params: tuple[Any, ...] = ()


def cat(*parts: Fragment | str) -> Fragment:
    """Fragments and plain text in a row, their parameters in the same order."""
    fragments = [Fragment(p) if isinstance(p, str) else p for p in parts]
    return Fragment(
        "".join(f.text for f in fragments), tuple(v for f in fragments for v in f.params)
    )


def join(parts: Iterable[Fragment | str], separator: str) -> Fragment:
    items: list[Fragment | str] = []
    for part in parts:
        items += [separator, part] if items else [part]
    return cat(*items)


def both(*conditions: Fragment) -> Fragment:
    """Conditions joined with and, those always true left out (a readable query)."""
    kept = [c for c in conditions if c.text != "true"]
    return join(kept, " and ") if kept else Fragment("true")


@dataclass(frozen=True)
class Translation:
    """One expectation as SQL conditions over a row of the batch."""

    type: str
    kwargs: dict[str, Any]
    """Its options, parameters replaced by their values (for the check's metadata)."""
    judged: Fragment
    """The rows it judges: GX's denominator of ``mostly``."""
    unexpected: Fragment
    """The judged rows it finds unexpected."""
    value: str
    """What is sampled of an unexpected row."""
    mostly: float
    group_rows: Fragment | None = None
    """Compound uniqueness: a window counting the judged rows that share the row's key."""


@dataclass(frozen=True)
class SuiteQuery:
    sql: str
    params: list[Any]
    translations: list[Translation]


@dataclass(frozen=True)
class SqlOutcome:
    """What the SQL found for one expectation."""

    type: str
    kwargs: dict[str, Any]
    unexpected_count: int
    judged_count: int
    success: bool
    sample: list[Any]


def quote(name: str) -> str:
    """A column name as a quoted identifier (both dialects): never pasted as SQL."""
    return '"' + name.replace('"', '""') + '"'


def bindable(value: Any) -> Any:
    """A value both database drivers bind: pandas timestamps and numpy scalars as Python's."""
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (list, dict)):
        return value.item()
    return value


def resolve(value: Any, parameters: dict[str, Any], suite: str) -> Any:
    """A ``{"$PARAMETER": name}`` option as the value the check passes for it."""
    if isinstance(value, dict) and "$PARAMETER" in value:
        name = value["$PARAMETER"]
        if name not in parameters:
            raise ValueError(f"suite {suite}: the check passes no parameter {name}")
        return bindable(parameters[name])
    return value


def row_condition(condition: Any, dialect: Dialect, suite: str, type_: str) -> Fragment:
    """The rows a ``row_condition`` keeps, as pandas' ``DataFrame.query`` keeps them (GX's
    pandas engine): a null compares false, except with != on a column pandas does not read into
    a nullable dtype, where it compares true (``_NULLABLE_DTYPE``)."""
    if condition is None:
        return Fragment("true")
    if not isinstance(condition, dict) or condition.get("type") != "comparison":
        raise ValueError(f"suite {suite}: {type_} row_condition {condition!r} is not translated")
    col = quote(condition["column"]["name"])
    operator, value = condition["operator"], condition["parameter"]
    if value is None:
        raise ValueError(f"suite {suite}: {type_} row_condition compares with null")
    if operator == "!=":
        nullable = _NULLABLE_DTYPE[dialect].format(col=col)
        return Fragment(f"coalesce({col} <> ?, not ({nullable}))", (bindable(value),))
    if operator not in COMPARISONS:
        raise ValueError(f"suite {suite}: {type_} row_condition operator {operator} not translated")
    return Fragment(f"coalesce({col} {COMPARISONS[operator]} ?, false)", (bindable(value),))


def _fails(expected: Fragment) -> Fragment:
    """The negation of a condition, a null (no verdict) counting as unexpected: GX's pandas
    masks are False there."""
    return cat("not coalesce(", expected, ", false)")


def _column_map(
    type_: str, col: str, kw: dict[str, Any], dialect: Dialect, suite: str
) -> tuple[Fragment, Fragment]:
    """(judged, unexpected) of a single-column expectation, before its row condition."""
    if type_ == "expect_column_values_to_not_be_null":
        return Fragment("true"), Fragment(f"{col} is null")
    if type_ == "expect_column_values_to_be_null":
        return Fragment("true"), Fragment(f"{col} is not null")
    nonnull = Fragment(f"{col} is not null")  # these judge non-null values only
    if type_ == "expect_column_values_to_be_in_set":
        values = kw.get("value_set")
        if values is None:  # GX: vacuously true
            return nonnull, Fragment("false")
        if not values:
            return nonnull, Fragment("true")
        marks = ", ".join("?" for _ in values)
        return nonnull, _fails(Fragment(f"{col} in ({marks})", tuple(map(bindable, values))))
    if type_ == "expect_column_values_to_be_between":
        low, high = kw.get("min_value"), kw.get("max_value")
        if low is None and high is None:
            raise ValueError(f"suite {suite}: {type_} on {col} has neither min_value nor max_value")
        bounds = []
        if low is not None:
            bounds.append(Fragment(f"{col} {'>' if kw.get('strict_min') else '>='} ?", (low,)))
        if high is not None:
            bounds.append(Fragment(f"{col} {'<' if kw.get('strict_max') else '<='} ?", (high,)))
        return nonnull, _fails(join(bounds, " and "))
    if type_ == "expect_column_values_to_match_regex":
        # a search, not a full match, like Python's re.search in GX's pandas engine
        test = f"regexp_matches({col}, ?)" if dialect == "duckdb" else f"{col} ~ ?"
        return nonnull, _fails(Fragment(test, (kw["regex"],)))
    raise AssertionError(type_)


def _kept(columns: Sequence[str], kw: dict[str, Any], suite: str, type_: str) -> Fragment:
    """The rows ``ignore_row_if`` keeps (GX's pandas engine drops the others first)."""
    all_missing, any_missing, never = IGNORE_ROW_IF[type_]
    ignore_row_if = kw.get("ignore_row_if", all_missing)
    present = [f"{c} is not null" for c in columns]
    if ignore_row_if == all_missing:
        return Fragment("(" + " or ".join(present) + ")")
    if ignore_row_if == any_missing:
        return Fragment("(" + " and ".join(present) + ")")
    if ignore_row_if == never:
        return Fragment("true")
    raise ValueError(f"suite {suite}: {type_} ignore_row_if {ignore_row_if} is not translated")


def translate(
    expectation: dict[str, Any],
    index: int,
    dialect: Dialect,
    parameters: dict[str, Any],
    suite: str,
) -> Translation:
    """One expectation of a suite as SQL conditions; ValueError for what is not translated."""
    type_ = expectation.get("type", "?")
    if type_ not in OPTIONS:
        raise ValueError(f"suite {suite}: expectation type {type_} has no SQL translation")
    given = expectation.get("kwargs", {})
    unknown = sorted(set(given) - OPTIONS[type_])
    if unknown:
        raise ValueError(f"suite {suite}: {type_} option {', '.join(unknown)} is not translated")
    kw = {k: v if k == "row_condition" else resolve(v, parameters, suite) for k, v in given.items()}
    condition = row_condition(kw.get("row_condition"), dialect, suite, type_)
    mostly = float(kw.get("mostly", 1.0))
    if "column" in kw:
        col = quote(kw["column"])
        judged, unexpected = _column_map(type_, col, kw, dialect, suite)
        judged = both(condition, judged)
        return Translation(type_, kw, judged, both(judged, unexpected), col, mostly)
    if type_ == "expect_compound_columns_to_be_unique":
        columns = [quote(c) for c in kw["column_list"]]
        kept = _kept(columns, kw, suite, type_)
        judged = both(condition, kept)
        # every row of a combination that occurs twice or more is unexpected (pandas'
        # duplicated(keep=False)); nulls are equal to each other there, as in a partition
        alias = quote(f"_carerank_group_rows_{index}")
        window = cat(
            "sum(case when ",
            judged,
            f" then 1 else 0 end) over (partition by {', '.join(columns)}) as {alias}",
        )
        unexpected = both(judged, Fragment(f"{alias} > 1"))
        values = ", ".join(f"cast({c} as varchar)" for c in columns)
        return Translation(type_, kw, judged, unexpected, f"array[{values}]", mostly, window)
    a, b = quote(kw["column_A"]), quote(kw["column_B"])
    kept = _kept([a, b], kw, suite, type_)
    judged = both(condition, kept)
    # a null on either side is unexpected unless ignore_row_if dropped the row (NaN >= x is
    # False in pandas)
    greater = Fragment(f"{a} {'>=' if kw.get('or_equal') else '>'} {b}")
    value = f"array[cast({a} as varchar), cast({b} as varchar)]"
    return Translation(type_, kw, judged, both(judged, _fails(greater)), value, mostly)


def suite_query(
    config: dict[str, Any],
    batch_sql: str,
    batch_params: Sequence[Any],
    dialect: Dialect,
    parameters: dict[str, Any] | None = None,
    sample_size: int = 10,
    suite: str | None = None,
) -> SuiteQuery:
    """One query over the batch query that returns, in one row: the batch's row count, then per
    expectation the rows it judges, the rows it finds unexpected and up to ``sample_size``
    unexpected values. One scan of the window, whatever the number of expectations."""
    suite = suite or config.get("name", "?")
    translations = [
        translate(e, i, dialect, parameters or {}, suite)
        for i, e in enumerate(config["expectations"])
    ]
    parts: list[Fragment | str] = [
        Fragment(f"with batch as (\n{batch_sql}\n)", tuple(bindable(p) for p in batch_params))
    ]
    source = "batch"
    windows = [t.group_rows for t in translations if t.group_rows is not None]
    if windows:
        parts += [", checked as (select *, ", join(windows, ", "), " from batch)"]
        source = "checked"
    columns: list[Fragment | str] = ["count(*)"]
    for t in translations:
        columns += [
            cat("count(*) filter (where ", t.judged, ")"),
            cat("count(*) filter (where ", t.unexpected, ")"),
            cat(f"(array_agg({t.value}) filter (where ", t.unexpected, f"))[1:{int(sample_size)}]"),
        ]
    query = cat(*parts, "\nselect ", join(columns, ",\n  "), f"\nfrom {source}")
    return SuiteQuery(query.text, list(query.params), translations)


def outcomes(query: SuiteQuery, row: Sequence[Any]) -> tuple[int, list[SqlOutcome]]:
    """The batch's row count and each expectation's outcome from the row ``suite_query``
    returns. Success as GX decides it: no rows judged is vacuously true, else the share of
    judged rows that are expected must reach ``mostly``."""
    rows, *values = row
    found = []
    for i, t in enumerate(query.translations):
        judged, unexpected, sample = values[3 * i : 3 * i + 3]
        success = judged == 0 or (judged - unexpected) / judged >= t.mostly
        found.append(SqlOutcome(t.type, t.kwargs, unexpected, judged, success, _sample(t, sample)))
    return int(rows), found


def _sample(translation: Translation, values: Sequence[Any] | None) -> list[Any]:
    """Unexpected values; of several columns, as {column: value as text}."""
    kw = translation.kwargs
    columns = kw.get("column_list") or (
        [kw["column_A"], kw["column_B"]] if "column_A" in kw else None
    )
    if columns is None:
        return list(values or [])
    return [dict(zip(columns, v, strict=True)) for v in values or []]


def sample_query(batch_sql: str, rows: int, dialect: Dialect) -> str:
    """At most ``rows`` rows of the batch, the same ones each time it runs on the same data:
    DuckDB's reservoir sample with a fixed seed; on PostgreSQL the rows first by a hash of
    their content (no seeded sample of a query there)."""
    if dialect == "duckdb":
        return (
            f"select * from (\n{batch_sql}\n) as batch "
            f"using sample reservoir({int(rows)} rows) repeatable ({SAMPLE_SEED})"
        )
    return (
        f"select * from (\n{batch_sql}\n) as batch "
        f"order by md5(cast(row_to_json(batch) as text)) limit {int(rows)}"
    )
