"""The suites as SQL: on the same rows, the SQL finds what great-expectations finds (counts and
verdicts, nulls and options included); every suite translates; what is not translated is a
one-line error; a violation the GX sample misses fails the check all the same."""

from __future__ import annotations

import json
from datetime import date

import pandas as pd
import pytest

from orchestration.gx_validation import gx_outcomes
from orchestration.resource_types import (
    SUITES_DIR,
    GreatExpectationsResource,
    WarehouseResource,
    validate_window,
)
from orchestration.sql_expectations import outcomes, sample_query, suite_query

# As the checks read a window: two parameters, its first day and the day after its last.
BATCH = "select * from cases where id >= ? and id < ?"
WINDOW = [0, 1000]

# Every column type the checks read, with nulls: varchar, integer (a nullable dtype in pandas),
# double, boolean (nullable too) and timestamptz.
ROWS = """
create table cases as select * from (values
  (1, 'a', 1, 0.5, 0.4, true, timestamptz '2024-01-01 10:00:00+00', 'p', 1),
  (2, 'b', 2, 1.5, 1.5, false, timestamptz '2024-01-02 00:00:00+00', 'p', 1),
  (3, null, null, null, 0.2, null, null, 'q', null),
  (4, 'c', 0, -1.0, null, true, timestamptz '2023-12-31 23:59:00+00', 'q', null),
  (5, 'Bad!', 5, 2.0, 3.0, null, timestamptz '2024-01-03 00:00:00+00', null, null),
  (6, 'a', null, 0.0, 0.0, false, timestamptz '2024-01-02 12:00:00+00', null, null),
  (7, null, 3, null, null, true, timestamptz '2024-01-01 00:00:00+00', 'r', 2),
  (8, 'b', -1, 1.0, 2.0, false, timestamptz '2024-01-01 05:00:00+00', 'r', 3),
  (9, 'zz', 7, 1.0, null, true, timestamptz '2024-01-02 23:00:00+00', null, 3),
  (10, 'a', 4, 0.7, 0.7, true, null, null, 3)
) as t(id, s, n, x, y, flag, ts, k1, k2)
"""
PARAMETERS = {
    "high": 1.5,
    "window_start": pd.Timestamp("2024-01-01", tz="UTC"),
    "window_end": pd.Timestamp("2024-01-03", tz="UTC"),
}


def condition(column: str, operator: str, parameter) -> dict:
    return {
        "column": {"name": column},
        "operator": operator,
        "parameter": parameter,
        "type": "comparison",
    }


def case(type_: str, **kwargs) -> dict:
    return {"type": f"expect_{type_}", "kwargs": kwargs}


CASES = [
    case("column_values_to_not_be_null", column="id"),
    case("column_values_to_not_be_null", column="s"),
    case("column_values_to_not_be_null", column="n", mostly=0.7),
    case("column_values_to_not_be_null", column="n", mostly=0.9),
    case("column_values_to_not_be_null", column="x", row_condition=condition("flag", "==", True)),
    case("column_values_to_not_be_null", column="n", row_condition=condition("x", "<=", 1.0)),
    case("column_values_to_not_be_null", column="n", row_condition=condition("x", "<", 1.0)),
    # != keeps the rows whose column is null in varchar and double columns ...
    case("column_values_to_be_null", column="y", row_condition=condition("s", "!=", "a")),
    case("column_values_to_be_null", column="s", row_condition=condition("x", "!=", 1.0)),
    # ... and drops them in integer and boolean ones (pandas' nullable dtypes)
    case("column_values_to_be_null", column="s", row_condition=condition("n", "!=", 1)),
    case("column_values_to_be_null", column="s", row_condition=condition("flag", "!=", True)),
    case("column_values_to_be_null", column="k2", mostly=0.5),
    case("column_values_to_be_in_set", column="s", value_set=["a", "b", "c"]),
    case("column_values_to_be_in_set", column="s", value_set=["a", "b", "c"], mostly=0.5),
    case("column_values_to_be_in_set", column="flag", value_set=[True]),
    case(
        "column_values_to_be_in_set",
        column="s",
        value_set=["a", "b"],
        row_condition=condition("n", ">", 0),
    ),
    case(
        "column_values_to_be_in_set",
        column="n",
        value_set=[0, 1, 2, 3],
        row_condition=condition("x", ">=", 1.0),
    ),
    case("column_values_to_be_between", column="x", min_value=0, max_value=1.5),
    case("column_values_to_be_between", column="x", min_value=-5, max_value=5),
    case(
        "column_values_to_be_between",
        column="x",
        min_value=0,
        max_value={"$PARAMETER": "high"},
        strict_max=True,
    ),
    case("column_values_to_be_between", column="x", min_value=0, max_value=2, strict_min=True),
    case("column_values_to_be_between", column="n", min_value=0),
    case("column_values_to_be_between", column="n", max_value=3, strict_max=True),
    case(
        "column_values_to_be_between",
        column="ts",
        min_value={"$PARAMETER": "window_start"},
        max_value={"$PARAMETER": "window_end"},
    ),
    case("column_values_to_match_regex", column="s", regex="^[a-z]+$"),
    case(
        "column_values_to_match_regex", column="s", regex="a", row_condition=condition("n", ">=", 1)
    ),
    case("compound_columns_to_be_unique", column_list=["k1", "k2"]),
    case(
        "compound_columns_to_be_unique",
        column_list=["k1", "k2"],
        ignore_row_if="any_value_is_missing",
    ),
    case("compound_columns_to_be_unique", column_list=["k1", "k2"], ignore_row_if="never"),
    case(
        "compound_columns_to_be_unique",
        column_list=["k1", "k2"],
        row_condition=condition("flag", "==", True),
    ),
    case("column_pair_values_a_to_be_greater_than_b", column_A="x", column_B="y"),
    case("column_pair_values_a_to_be_greater_than_b", column_A="x", column_B="y", mostly=0.1),
    case(
        "column_pair_values_a_to_be_greater_than_b",
        column_A="x",
        column_B="y",
        or_equal=True,
        ignore_row_if="either_value_is_missing",
    ),
    case(
        "column_pair_values_a_to_be_greater_than_b",
        column_A="x",
        column_B="y",
        or_equal=True,
        ignore_row_if="neither",
    ),
]


def case_id(expectation: dict) -> str:
    kwargs = {k: v for k, v in expectation["kwargs"].items() if k != "row_condition"}
    rc = expectation["kwargs"].get("row_condition")
    where = f" where {rc['column']['name']} {rc['operator']} {rc['parameter']}" if rc else ""
    return f"{expectation['type'].removeprefix('expect_')} {kwargs}{where}"


def warehouse_at(folder, target: str = "duckdb") -> WarehouseResource:
    return WarehouseResource(
        path=str(folder / "warehouse.duckdb"),
        landing_dir=str(folder / "landing"),
        inbox_dir=str(folder / "inbox"),
        published=str(folder / "published" / "warehouse.duckdb"),
        target=target,
    )


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory) -> WarehouseResource:
    warehouse = warehouse_at(tmp_path_factory.mktemp("cases"))
    with warehouse.connect() as con:
        con.execute(ROWS)
    return warehouse


@pytest.fixture(scope="module")
def postgres_warehouse(tmp_path_factory) -> WarehouseResource:
    """The same rows in a real PostgreSQL server (pgserver), the warehouse of the postgres
    target."""
    pgserver = pytest.importorskip("pgserver")
    folder = tmp_path_factory.mktemp("pg")
    server = pgserver.get_server(folder / "data", cleanup_mode="stop")
    try:
        with pytest.MonkeyPatch.context() as env:
            env.setenv("CARERANK_POSTGRES_URL", server.get_uri())
            warehouse = warehouse_at(folder, "postgres")
            with warehouse.postgres().connect() as con, con.cursor() as cur:
                cur.execute(ROWS)
            yield warehouse
    finally:
        server.cleanup()


def assert_same_verdict(warehouse: WarehouseResource, expectation: dict) -> None:
    suite = {"name": "cases", "expectations": [expectation]}
    query = suite_query(suite, BATCH, WINDOW, warehouse.dialect, PARAMETERS)
    rows, [by_sql] = outcomes(query, warehouse.query_row(query.sql, query.params))
    # GX as the checks run it: on the frame the warehouse gives pandas
    frame = warehouse.query_df(BATCH, WINDOW)
    [by_gx] = gx_outcomes(frame, "cases", suite, PARAMETERS)
    assert by_gx.exception_info.get("raised_exception") is not True, by_gx.exception_info
    assert rows == len(frame) == 10
    assert by_sql.unexpected_count == by_gx.result["unexpected_count"]
    assert by_sql.success == by_gx.success


@pytest.mark.parametrize("expectation", CASES, ids=case_id)
def test_sql_finds_what_great_expectations_finds(warehouse, expectation):
    assert_same_verdict(warehouse, expectation)


@pytest.mark.e2e
@pytest.mark.xdist_group("postgres")
@pytest.mark.parametrize("expectation", CASES, ids=case_id)
def test_on_postgres_sql_finds_what_great_expectations_finds(postgres_warehouse, expectation):
    assert_same_verdict(postgres_warehouse, expectation)


def test_the_cases_cover_passing_and_failing_expectations(warehouse):
    suite = {"name": "cases", "expectations": CASES}
    query = suite_query(suite, BATCH, WINDOW, "duckdb", PARAMETERS)
    _, found = outcomes(query, warehouse.query_row(query.sql, query.params))
    verdicts = {o.success for o in found}
    assert verdicts == {True, False}
    # mostly lets some expectations pass with unexpected rows
    assert any(o.success and o.unexpected_count for o in found)


def test_a_failure_names_its_unexpected_values(warehouse):
    in_set = case("column_values_to_be_in_set", column="s", value_set=["a", "b", "c"])
    unique = case("compound_columns_to_be_unique", column_list=["k1", "k2"])
    suite = {"name": "cases", "expectations": [in_set, unique]}
    query = suite_query(suite, BATCH, WINDOW, "duckdb", PARAMETERS, sample_size=2)
    _, (in_set, unique) = outcomes(query, warehouse.query_row(query.sql, query.params))
    assert in_set.unexpected_count == 2 and sorted(in_set.sample) == ["Bad!", "zz"]
    assert unique.unexpected_count == 6 and len(unique.sample) == 2
    assert set(unique.sample[0]) == {"k1", "k2"}


def parameter_names(value) -> set[str]:
    if isinstance(value, dict):
        if "$PARAMETER" in value:
            return {value["$PARAMETER"]}
        return set().union(*(parameter_names(v) for v in value.values()))
    if isinstance(value, list):
        return set().union(*(parameter_names(v) for v in value))
    return set()


@pytest.mark.parametrize("path", sorted(SUITES_DIR.glob("*.json")), ids=lambda p: p.stem)
def test_every_suite_translates(path):
    config = json.loads(path.read_text())
    parameters = dict.fromkeys(parameter_names(config), 0)
    for dialect in ("duckdb", "postgres"):
        query = suite_query(
            config, "select * from t where d >= ? and d < ?", WINDOW, dialect, parameters
        )
        assert len(query.translations) == len(config["expectations"])
        assert query.sql.count("?") == len(query.params)


@pytest.mark.parametrize(
    ("expectation", "message"),
    [
        (
            case("column_values_to_be_unique", column="post_id"),
            "expectation type expect_column_values_to_be_unique has no SQL translation",
        ),
        (
            case("column_values_to_not_be_null", column="s", result_format="BOOLEAN_ONLY"),
            "expect_column_values_to_not_be_null option result_format is not translated",
        ),
        (
            case("column_values_to_not_be_null", column="s", row_condition='s == "a"'),
            "expect_column_values_to_not_be_null row_condition 's == \"a\"' is not translated",
        ),
        (
            case("compound_columns_to_be_unique", column_list=["s", "n"], ignore_row_if="neither"),
            "expect_compound_columns_to_be_unique ignore_row_if neither is not translated",
        ),
    ],
)
def test_what_is_not_translated_is_a_one_line_error(expectation, message):
    with pytest.raises(ValueError) as info:
        suite_query({"name": "odd", "expectations": [expectation]}, BATCH, WINDOW, "duckdb")
    assert str(info.value) == f"suite odd: {message}"


def test_postgres_gets_its_own_regex_and_sample():
    suite = {
        "name": "cases",
        "expectations": [case("column_values_to_match_regex", column="s", regex="^a")],
    }
    query = suite_query(suite, BATCH, WINDOW, "postgres")
    assert '"s" ~ ?' in query.sql and "regexp_matches" not in query.sql
    assert query.params == [*WINDOW, "^a", "^a"]
    duckdb_query = suite_query(suite, BATCH, WINDOW, "duckdb")
    assert 'regexp_matches("s", ?)' in duckdb_query.sql
    assert "order by md5(" in sample_query(BATCH, 100, "postgres")
    assert "using sample reservoir(100 rows)" in sample_query(BATCH, 100, "duckdb")


def test_a_violation_the_sample_misses_fails_the_check(tmp_path):
    warehouse = warehouse_at(tmp_path)
    with warehouse.connect() as con:
        con.execute(
            "create table posts as select 'twitter' as network, cast(i as varchar) as post_id, "
            "'author' as author_id, timestamptz '2024-01-01 00:00:00+00' + i * interval 1 second "
            "as created_at, true as utc_day_matches, date '2024-01-01' as post_date "
            "from range(50000) as r(i)"
        )
        con.execute("update posts set network = 'Bad Network' where post_id = '31337'")
    result = validate_window(
        GreatExpectationsResource(gx_sample_rows=100),
        warehouse,
        None,
        "select network, post_id, author_id, created_at, utc_day_matches from posts "
        "where post_date >= ? and post_date < ?",
        "stg_posts",
        "staged posts",
    )
    assert not result.passed and result.severity.value == "ERROR"
    assert result.metadata["rows_validated"].value == 50000
    assert result.metadata["gx_sample_rows"].value == 100
    [failure] = result.metadata["failures"].value
    assert failure["expectation"] == "expect_column_values_to_match_regex"
    assert failure["found_by"] == ["sql"]
    assert failure["unexpected_count"] == 1 and failure["sample"] == ["Bad Network"]


def test_a_window_without_violations_passes(tmp_path):
    warehouse = warehouse_at(tmp_path)
    with warehouse.connect() as con:
        con.execute(
            "create table facts as select 'twitter' as network, cast(i as varchar) as post_id, "
            "'acme' as brand_id, 'answered' as status, 'r' || i as first_reply_post_id, "
            "60.0 as response_seconds, date '2024-01-02' as post_date from range(300) as r(i)"
        )
    result = GreatExpectationsResource(gx_sample_rows=50).validate_in_database(
        warehouse,
        "select * from facts where post_date >= ? and post_date < ?",
        [date(2024, 1, 1), date(2024, 1, 3)],
        "fct_customer_posts",
        "facts",
        parameters={"horizon_seconds": 86400.0},
    )
    assert result.passed, result.metadata["failures"].value
    assert result.metadata["rows_validated"].value == 300
    assert result.metadata["gx_sample_rows"].value == 50
