"""PostgreSQL as the warehouse the dbt models build in (setting dbt_target = postgres).

The landing zone stays the system of record: Parquet files, seen by the DuckDB file as the view
``raw.posts``. For PostgreSQL, the landed posts of a run's days are copied into the table
``raw.posts`` of the same columns (and a user's registry files into ``raw.registry_*``), each in
one transaction, so that a crash leaves the previous rows. Everything here is plain code over
psycopg2; Dagster only wires it.

The password never leaves this module in text: ``PostgresTarget`` keeps it out of its repr, and
every error re-raised from psycopg2 is masked first (libpq's messages may quote the URL)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb

from ingestion.errors import IngestionError
from ingestion.readers import CANONICAL_TYPES

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

URL_SETTING = "CARERANK_POSTGRES_URL"
CONNECT_TIMEOUT = 5

# The landed record as the DuckDB view raw.posts shows it, in PostgreSQL's types.
PG_TYPES = {"varchar": "text", "timestamptz": "timestamptz", "varchar[]": "text[]"}
RAW_POSTS_COLUMNS = {
    **{name: PG_TYPES.get(type_, type_) for name, type_ in CANONICAL_TYPES.items()},
    "_source": "text",
    "_ingested_at": "timestamptz",
    "_partition": "date",
}
# The user's registry files, read by the models' registry_source macro on PostgreSQL.
REGISTRY_TABLES = {
    "brands": "registry_brands",
    "brand_accounts": "registry_brand_accounts",
    "public_holidays": "registry_public_holidays",
}


class PostgresError(IngestionError):
    """PostgreSQL cannot be used: one line, never the password."""


@dataclass(frozen=True)
class PostgresTarget:
    """Where the postgres target builds: the parts of CARERANK_POSTGRES_URL."""

    host: str
    port: int
    user: str
    dbname: str
    password: str = field(default="", repr=False)
    sslmode: str = "prefer"

    # The variables dbt's profile reads (profiles.yml, output postgres). dbt masks the values of
    # DBT_ENV_SECRET_* variables in its logs; PGTZ makes libpq set each session to UTC, as the
    # DuckDB target is.
    DBT_ENV_NAMES = (
        "CARERANK_PG_HOST",
        "CARERANK_PG_PORT",
        "CARERANK_PG_USER",
        "CARERANK_PG_DBNAME",
        "CARERANK_PG_SSLMODE",
        "DBT_ENV_SECRET_CARERANK_PG_PASSWORD",
        "PGTZ",
    )

    @classmethod
    def from_url(cls, url: str) -> PostgresTarget:
        """postgresql://user:password@host:port/dbname?sslmode=...; a socket folder may be given
        as ?host=/path (libpq's own form)."""
        try:
            parts = urlsplit(url)
            port = parts.port or 5432
        except ValueError:
            raise PostgresError(f"{URL_SETTING} is not a PostgreSQL URL") from None
        if parts.scheme not in ("postgresql", "postgres"):
            raise PostgresError(f"{URL_SETTING} must start with postgresql://")
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        host = query.get("host") or unquote(parts.hostname or "") or "localhost"
        user = unquote(parts.username or "") or query.get("user") or "postgres"
        return cls(
            host=host,
            port=int(query.get("port", port)),
            user=user,
            dbname=unquote(parts.path.lstrip("/")) or query.get("dbname") or user,
            password=unquote(parts.password or "") or query.get("password", ""),
            sslmode=query.get("sslmode", "prefer"),
        )

    def describe(self) -> str:
        """host:port/dbname, for messages (no user, no password)."""
        return f"{self.host}:{self.port}/{self.dbname}"

    def dbt_env(self) -> dict[str, str]:
        values = (self.host, str(self.port), self.user, self.dbname, self.sslmode)
        return dict(zip(self.DBT_ENV_NAMES, (*values, self.password, "UTC"), strict=True))

    def mask(self, text: str) -> str:
        """``text`` with the password (and its URL-encoded form) replaced."""
        if not self.password:
            return text
        for secret in {self.password, _url_quoted(self.password)}:
            text = text.replace(secret, "********")
        return text

    @contextmanager
    def connect(self, timeout: int = 30) -> Iterator[Any]:
        """A psycopg2 connection in UTC; committed when the block ends, rolled back on error.
        Errors come out as PostgresError with the password masked."""
        import psycopg2

        try:
            con = psycopg2.connect(
                host=self.host,
                port=self.port,
                user=self.user,
                password=self.password or None,
                dbname=self.dbname,
                sslmode=self.sslmode,
                connect_timeout=timeout,
                options="-c TimeZone=UTC",
                application_name="carerank",
            )
        except psycopg2.Error as exc:
            raise self.unreachable(exc) from None
        try:
            with con:  # one transaction: commit on success, rollback on error
                yield con
        except psycopg2.Error as exc:
            raise PostgresError(
                f"PostgreSQL at {self.describe()}: {self.mask(_first_line(exc))}"
            ) from None
        finally:
            con.close()

    def unreachable(self, exc: BaseException) -> PostgresError:
        return PostgresError(
            f"PostgreSQL at {self.describe()} unreachable: {self.mask(_first_line(exc))}; "
            f"check {URL_SETTING}"
        )


def _url_quoted(text: str) -> str:
    from urllib.parse import quote

    return quote(text, safe="")


def _first_line(exc: BaseException) -> str:
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def check_reachable(target: PostgresTarget) -> None:
    """Connect once with a short timeout: a run into an unreachable server stops before it
    writes anything."""
    with target.connect(timeout=CONNECT_TIMEOUT) as con, con.cursor() as cur:
        cur.execute("select 1")


def _create_raw_posts(cur: Any) -> None:
    columns = ", ".join(f'"{name}" {type_}' for name, type_ in RAW_POSTS_COLUMNS.items())
    cur.execute("create schema if not exists raw")
    cur.execute(f"create table if not exists raw.posts ({columns})")
    cur.execute("create index if not exists posts_partition on raw.posts (_partition)")


def _posts_csv(warehouse: duckdb.DuckDBPyConnection, first: date | None, last: date | None) -> str:
    """The landed posts of first .. last (all when None) as CSV in raw.posts' column order, the
    mentioned handles as PostgreSQL array literals."""
    selected = []
    for name, type_ in RAW_POSTS_COLUMNS.items():
        if type_ == "text[]":
            quoted = "'\"' || replace(replace(h, '\\', '\\\\'), '\"', '\\\"') || '\"'"
            selected.append(
                f"case when {name} is null then null else "
                f"'{{' || array_to_string(list_transform({name}, lambda h: {quoted}), ',') || '}}' "
                f"end as {name}"
            )
        elif type_ == "timestamptz":
            selected.append(f"strftime({name}, '%Y-%m-%d %H:%M:%S.%f+00') as {name}")
        else:
            selected.append(f'"{name}"')
    where = "where _partition between ? and ?" if first and last else ""
    frame = warehouse.execute(
        f"select {', '.join(selected)} from raw.posts {where}", [first, last] if where else []
    ).fetchall()
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for row in frame:
        writer.writerow(["\\N" if v is None else v for v in row])
    return out.getvalue()


def load_posts(
    target: PostgresTarget,
    warehouse: duckdb.DuckDBPyConnection,
    first: date | None = None,
    last: date | None = None,
) -> int:
    """Replace the posts of the days first .. last (every day when None) in PostgreSQL's
    raw.posts with those the landing zone holds (``warehouse``: a DuckDB connection with the
    view raw.posts), in one transaction; return the rows copied. A raw.posts still empty gets
    every landed day: a warehouse switched to PostgreSQL starts from the whole landing zone."""
    with target.connect() as con, con.cursor() as cur:
        _create_raw_posts(cur)
        cur.execute("select exists (select 1 from raw.posts)")
        if not cur.fetchone()[0]:
            first = last = None
        if first and last:
            cur.execute("delete from raw.posts where _partition between %s and %s", [first, last])
        else:
            cur.execute("delete from raw.posts")
        columns = ", ".join(f'"{name}"' for name in RAW_POSTS_COLUMNS)
        cur.copy_expert(
            f"copy raw.posts ({columns}) from stdin with (format csv, null '\\N')",
            io.StringIO(_posts_csv(warehouse, first, last)),
        )
        return cur.rowcount


def load_registry(target: PostgresTarget, files: dict[str, Path | None]) -> None:
    """A user's registry files (seed name -> CSV, or None: the seed) as text tables
    raw.registry_<seed>, read instead of the seed on PostgreSQL. Column names are matched as the
    preflight does: trimmed, without case."""
    with target.connect() as con, con.cursor() as cur:
        cur.execute("create schema if not exists raw")
        for seed, path in files.items():
            if path is not None:
                _replace_registry_table(cur, REGISTRY_TABLES[seed], Path(path))


def _replace_registry_table(cur: Any, table: str, path: Path) -> None:
    """The table's rows replaced by the file's; the table itself replaced only when the file's
    columns differ (the staging views read it: dropping it drops them, until dbt's next build)."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header = [name.strip().lower() for name in rows[0]]
    cur.execute(
        "select column_name from information_schema.columns "
        "where table_schema = 'raw' and table_name = %s order by ordinal_position",
        [table],
    )
    if [name for (name,) in cur.fetchall()] != header:
        cur.execute(f"drop table if exists raw.{table} cascade")
        columns = ", ".join(f'"{name}" text' for name in header)
        cur.execute(f"create table raw.{table} ({columns})")
    cur.execute(f"delete from raw.{table}")
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows[1:])
    out.seek(0)
    cur.copy_expert(f"copy raw.{table} from stdin with (format csv)", out)


_PARAM = re.compile(r"\?")


def to_pyformat(sql: str) -> str:
    """DuckDB's ``?`` parameters as psycopg2's ``%s`` (a literal % doubled)."""
    return _PARAM.sub("%s", sql.replace("%", "%%"))


def query_df(target: PostgresTarget, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
    """A query written for DuckDB with ``?`` parameters, run on PostgreSQL, as a DataFrame with
    DuckDB's pandas types (numerics as floats, times as datetime64)."""
    import pandas as pd

    with target.connect() as con, con.cursor() as cur:
        cur.execute(to_pyformat(sql), list(params or []))
        names = [d.name for d in cur.description]
        codes = [d.type_code for d in cur.description]
        frame = pd.DataFrame(cur.fetchall(), columns=names, dtype=object)
    for name, code in zip(names, codes, strict=True):
        if code in (1082, 1114):  # date, timestamp
            frame[name] = pd.to_datetime(frame[name])
        elif code == 1184:  # timestamptz
            frame[name] = pd.to_datetime(frame[name], utc=True)
        elif code in (20, 21, 23):  # integers: nullable when nulls occur
            frame[name] = frame[name].astype("Int64" if frame[name].isna().any() else "int64")
        elif code in (700, 701, 1700):  # floats, numeric
            frame[name] = frame[name].astype("float64")
        elif code == 16:  # boolean
            frame[name] = frame[name].astype("boolean" if frame[name].isna().any() else "bool")
    return frame


# PostgreSQL type (pg_catalog name) -> DuckDB type, for the published copy.
DUCKDB_TYPES = {
    "text": "VARCHAR",
    "varchar": "VARCHAR",
    "bpchar": "VARCHAR",
    "int2": "SMALLINT",
    "int4": "INTEGER",
    "int8": "BIGINT",
    "float4": "FLOAT",
    "float8": "DOUBLE",
    "numeric": "DOUBLE",
    "bool": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "timestamptz": "TIMESTAMP WITH TIME ZONE",
    "_text": "VARCHAR[]",
    "_varchar": "VARCHAR[]",
}


def table_columns(target: PostgresTarget, schemas: Sequence[str]) -> dict[tuple[str, str], list]:
    """(schema, table) -> [(column, DuckDB type)] of the tables (not views) in ``schemas``."""
    sql = """
        select c.table_schema, c.table_name, c.column_name, c.udt_name
        from information_schema.columns as c
        inner join information_schema.tables as t
            on t.table_schema = c.table_schema and t.table_name = c.table_name
        where c.table_schema = any(%s) and t.table_type = 'BASE TABLE'
        order by c.table_schema, c.table_name, c.ordinal_position
    """
    tables: dict[tuple[str, str], list] = {}
    with target.connect() as con, con.cursor() as cur:
        cur.execute(sql, [list(schemas)])
        for schema, table, column, udt in cur.fetchall():
            duckdb_type = DUCKDB_TYPES.get(udt, "VARCHAR")
            tables.setdefault((schema, table), []).append((column, duckdb_type))
    return tables


def read_table(target: PostgresTarget, schema: str, table: str, columns: list) -> pa.Table:
    """A table's rows as Arrow, typed for DuckDB (numeric as double, arrays as lists)."""
    import pyarrow as pa

    arrow_types = {
        "VARCHAR": pa.string(),
        "SMALLINT": pa.int16(),
        "INTEGER": pa.int32(),
        "BIGINT": pa.int64(),
        "FLOAT": pa.float32(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "DATE": pa.date32(),
        "TIMESTAMP": pa.timestamp("us"),
        "TIMESTAMP WITH TIME ZONE": pa.timestamp("us", tz="UTC"),
        "VARCHAR[]": pa.list_(pa.string()),
    }
    selected = ", ".join(f'"{name}"' for name, _ in columns)
    with target.connect() as con, con.cursor() as cur:
        cur.execute(f'select {selected} from "{schema}"."{table}"')
        rows = cur.fetchall()
    arrays = []
    for index, (_, type_) in enumerate(columns):
        values = [row[index] for row in rows]
        if type_ in ("DOUBLE", "FLOAT"):
            values = [None if v is None else float(v) for v in values]
        elif type_ == "VARCHAR" and values and not isinstance(values[0], str | type(None)):
            values = [None if v is None else str(v) for v in values]
        arrays.append(pa.array(values, type=arrow_types[type_]))
    return pa.Table.from_arrays(arrays, names=[name for name, _ in columns])
