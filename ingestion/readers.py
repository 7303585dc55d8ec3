"""File readers: turn a TWCS CSV, a canonical JSONL or a Parquet file into canonical raw records.

Every reader is a DuckDB query (set-based; no Python per row). Each produces the columns of the
canonical raw record (``CANONICAL_TYPES``: the one shape every file format and network API is
turned into before landing) plus three bookkeeping columns:

* ``_record_number`` — the record's position in the file (1-based), so a quarantined record can
  be found again;
* ``_reject_reason`` — null for a good record, otherwise the first rule it broke;
* ``_raw_record`` — the record as read (JSON text), kept only for rejected records.

Rejected records are not dropped here: the landing step writes them to the quarantine.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.errors import IngestionError
from ingestion.mentions import mentions_sql

FORMATS = ("twcs", "jsonl", "parquet")

# The canonical raw record, whatever the source, and its DuckDB types; author_is_brand is the
# source's own word that the author is a brand (TWCS inbound = False), null when it does not say.
CANONICAL_TYPES = {
    "network": "varchar",
    "post_id": "varchar",
    "author_id": "varchar",
    "author_handle": "varchar",
    "created_at": "timestamptz",
    "text": "varchar",
    "in_reply_to_post_id": "varchar",
    "in_reply_to_author_id": "varchar",
    "conversation_id": "varchar",
    "mentioned_handles": "varchar[]",
    "lang": "varchar",
    "source": "varchar",
    "raw": "varchar",
    "author_is_brand": "boolean",
}
CANONICAL_COLUMNS = tuple(CANONICAL_TYPES)

TWCS_REQUIRED = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "in_response_to_tweet_id",
)
TWITTER_DATE_FORMAT = "%a %b %d %H:%M:%S %z %Y"


# The longest record (a line, or a CSV row with its quoted line breaks) a reader accepts: a
# post with a 100 MB text still lands. DuckDB's CSV reader would otherwise buffer 16 times this
# at once, one block of 3.2 GB (or the whole file), more than a run with a memory limit has:
# the buffer is set just above the longest record instead.
MAX_RECORD_BYTES = 200_000_000
CSV_BUFFER_BYTES = 256 * 1024 * 1024
CSV_LIMITS = f"max_line_size={MAX_RECORD_BYTES}, buffer_size={CSV_BUFFER_BYTES}"


def sql_literal(value: str) -> str:
    """Quote a string for DuckDB. Table functions take no bound parameters for their file path."""
    return "'" + value.replace("'", "''") + "'"


def normalised_id(expr: str) -> str:
    """Ids as text: trimmed, empty as null, and ``3.0`` (pandas' float export) as ``3``."""
    return (
        f"case when nullif(trim({expr}), '') is null then null "
        f"when regexp_full_match(trim({expr}), '[0-9]+\\.0+') "
        f"then regexp_replace(trim({expr}), '\\.0+$', '') "
        f"else trim({expr}) end"
    )


def is_scientific(expr: str) -> str:
    """True for ids such as ``1.2e+17``: a spreadsheet mangled them and their digits are lost."""
    return f"coalesce(regexp_full_match(trim({expr}), '[0-9.]+[eE][+-]?[0-9]+'), false)"


def parsed_timestamp(expr: str) -> str:
    """ISO 8601 with any UTC offset (naive means UTC), or Twitter's ``Tue Oct 31 … +0000 2017``."""
    return (
        f"coalesce(try_cast(trim({expr}) as timestamptz), "
        f"try_strptime(trim({expr}), '{TWITTER_DATE_FORMAT}'))"
    )


def in_future(expr: str) -> str:
    """A timestamp more than a day ahead of now: a broken clock or a unit mix-up, not a post."""
    return f"coalesce({expr} > now() + interval 1 day, false)"


def first_reason(*checks: tuple[str, str]) -> str:
    """A CASE expression naming the first failed rule, or null."""
    whens = " ".join(f"when {cond} then '{reason}'" for cond, reason in checks)
    return f"case {whens} else null end"


@dataclass(frozen=True)
class ReaderQuery:
    """The SELECT that reads one file, and the DuckDB tables it needs created first."""

    sql: str
    prepared_tables: tuple[str, ...] = ()


def detect_format(path: Path) -> str:
    """Guess the format from the file name; TWCS is the only CSV dialect carerank reads."""
    name = path.name.lower()
    for suffix in (".gz", ".zst"):
        name = name.removesuffix(suffix)
    if name.endswith(".csv"):
        return "twcs"
    if name.endswith((".jsonl", ".ndjson", ".json")):
        return "jsonl"
    if name.endswith(".parquet"):
        return "parquet"
    raise IngestionError(
        f"{path}: cannot tell the format from the file name; pass --format twcs|jsonl|parquet"
    )


def _has_carriage_return(path: Path, chunk_size: int = 1 << 24) -> bool:
    with path.open("rb") as handle:
        while chunk := handle.read(chunk_size):
            if b"\r" in chunk:
                return True
    return False


def without_carriage_returns(path: Path, scratch_dir: Path) -> Path:
    """The TWCS export has stray carriage returns inside unquoted text, which CSV readers take as
    line breaks, and some copies mix CRLF and LF line ends. Return the file itself when it has no
    CR, else a copy in ``scratch_dir`` with CRLF as LF and every other CR as a space."""
    if path.suffix in (".gz", ".zst") or not _has_carriage_return(path):
        return path
    cleaned = scratch_dir / f"{path.name}.cr-cleaned"
    with path.open("rb") as src, cleaned.open("wb") as dst:
        tail = b""
        while chunk := src.read(1 << 24):
            block = tail + chunk
            # A block ending in CR may be the first half of CRLF: judge it with the next chunk.
            block, tail = (block[:-1], block[-1:]) if block.endswith(b"\r") else (block, b"")
            dst.write(block.replace(b"\r\n", b"\n").replace(b"\r", b" "))
        dst.write(tail.replace(b"\r", b"\n"))
    return cleaned


def _csv_columns(path: Path) -> list[str]:
    """The header row. Read by hand: DuckDB's sniffer gives up on a file with one bad row."""
    try:
        with path.open("rb") as handle:
            first = handle.readline(1 << 20).decode("utf-8-sig")
        header = next(csv.reader([first]), [])
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise IngestionError(f"{path}: not a readable CSV file ({exc})") from exc
    return [c.strip() for c in header]


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__


def twcs_query(con: duckdb.DuckDBPyConnection, path: Path, scratch_dir: Path) -> ReaderQuery:
    """The Kaggle "Customer Support on Twitter" CSV: brands have their handle as ``author_id``,
    ``inbound`` says whether the author is a customer; rows the CSV parser cannot split into the
    header's columns are kept as rejects (DuckDB's ``store_rejects``)."""
    readable = without_carriage_returns(path, scratch_dir)
    columns = _csv_columns(readable)
    names = [c.strip().lower() for c in columns]
    missing = [c for c in TWCS_REQUIRED if c not in names]
    if missing:
        raise IngestionError(
            f"{path}: not a TWCS file: missing column(s) {', '.join(missing)} "
            f"(found {', '.join(columns) or 'none'})"
        )
    as_varchar = ", ".join(f"{sql_literal(f'c{i}')}: 'VARCHAR'" for i in range(len(columns)))
    by_name = {c.strip().lower(): f"c{i}" for i, c in enumerate(columns)}
    con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
    con.execute(
        "create or replace temp table twcs_rows as "
        "select row_number() over () as _record_number, * "
        f"from read_csv({sql_literal(str(readable))}, header=true, auto_detect=false, "
        f"columns={{{as_varchar}}}, delim=',', quote='\"', escape='\"', store_rejects=true, "
        f"{CSV_LIMITS})"
    )

    def col(name: str) -> str:
        return '"' + by_name[name].replace('"', '""') + '"'

    tweet_id, author_id, inbound = col("tweet_id"), col("author_id"), col("inbound")
    created_at, text, in_reply = col("created_at"), col("text"), col("in_response_to_tweet_id")
    inbound_flag = (
        f"case when lower(trim({inbound})) in ('true', 't', '1', 'yes') then true "
        f"when lower(trim({inbound})) in ('false', 'f', '0', 'no') then false end"
    )
    reason = first_reason(
        (f"nullif(trim({tweet_id}), '') is null", "missing tweet_id"),
        (is_scientific(tweet_id), "tweet_id in scientific notation (digits lost)"),
        (f"nullif(trim({author_id}), '') is null", "missing author_id"),
        (f"{inbound_flag} is null", "inbound is not True/False"),
        (f"{parsed_timestamp(created_at)} is null", "unparsable created_at"),
        (in_future(parsed_timestamp(created_at)), "created_at in the future"),
    )
    raw_record = (
        "json_object("
        + ", ".join(
            f"{sql_literal(name)}, {col_id}"
            for name, col_id in zip(columns, by_name.values(), strict=True)
        )
        + ")"
    )
    good = f"""
        select
            'twitter' as network,
            {normalised_id(tweet_id)} as post_id,
            trim({author_id}) as author_id,
            trim({author_id}) as author_handle,
            {parsed_timestamp(created_at)} as created_at,
            {text} as text,
            {normalised_id(in_reply)} as in_reply_to_post_id,
            cast(null as varchar) as in_reply_to_author_id,
            cast(null as varchar) as conversation_id,
            {mentions_sql(text, "'twitter'")} as mentioned_handles,
            cast(null as varchar) as lang,
            cast(null as varchar) as source,
            cast(null as varchar) as raw,
            not {inbound_flag} as author_is_brand,
            _record_number,
            {reason} as _reject_reason,
            case when {reason} is not null then {raw_record}::varchar end as _raw_record
        from twcs_rows
    """
    return ReaderQuery(_with_rejected_lines(con, good, "malformed CSV line"), ("twcs_rows",))


def _with_rejected_lines(con: duckdb.DuckDBPyConnection, sql: str, label: str) -> str:
    """Add the lines DuckDB's CSV reader could not read (``store_rejects``: wrong number of
    columns, invalid UTF-8, ...) to the rejects, so that they reach the quarantine too."""
    has_rejects = con.execute(
        "select count(*) from duckdb_tables() where table_name = 'reject_errors'"
    ).fetchone()[0]
    if not has_rejects:
        return sql
    con.execute(
        "create or replace temp table rejected_lines as "
        "select line, any_value(error_type) as error_type, any_value(csv_line) as csv_line "
        "from reject_errors group by line"
    )
    broken = f"""
        select {", ".join(_null_canonical())},
            cast(line as bigint) as _record_number,
            '{label}: ' || error_type as _reject_reason,
            csv_line as _raw_record
        from rejected_lines
    """
    return f"{sql} union all by name {broken}"


def _null_canonical() -> list[str]:
    return [f"cast(null as {type_}) as {column}" for column, type_ in CANONICAL_TYPES.items()]


def given_mentions(list_expr: str) -> str:
    """A source's own list of mentioned handles, normalised like extracted ones."""
    return f"list_transform({list_expr}, lambda h: lower(ltrim(trim(h), '@')))"


# The fields of a JSONL record, each extracted once per line into its own column (f_<field>):
# a JSON path read from the whole line parses the line again every time.
JSONL_FIELDS = (
    "network",
    "post_id",
    "author_id",
    "author_handle",
    "created_at",
    "text",
    "in_reply_to_post_id",
    "in_reply_to_author_id",
    "conversation_id",
    "mentioned_handles",
    "lang",
    "source",
    "raw",
    "author_is_brand",
)


def _json_text(field: str) -> str:
    """A scalar JSON field as text; objects and arrays count as missing (wrong type)."""
    return (
        f"case when json_type(f_{field}) in ('OBJECT', 'ARRAY', 'NULL') then null "
        f"else f_{field}->>'$' end"
    )


def _json_timestamp(field: str) -> str:
    numeric = f"json_type(f_{field}) in ('UBIGINT', 'BIGINT', 'DOUBLE')"
    epoch = f"try_cast(f_{field}->>'$' as double)"
    return (
        f"case when {numeric} then to_timestamp(case when {epoch} > 1e11 then {epoch} / 1000 "
        f"else {epoch} end) else {parsed_timestamp(_json_text(field))} end"
    )


def jsonl_query(con: duckdb.DuckDBPyConnection, path: Path, scratch_dir: Path) -> ReaderQuery:
    """Canonical JSONL: one canonical record (``CANONICAL_TYPES``) per line. Lines are read as
    text first, so a line that is not JSON becomes a reject instead of failing the whole file."""
    lines = (
        f"read_csv({sql_literal(str(path))}, columns={{'line': 'VARCHAR'}}, header=false, "
        f"delim='\\0', quote='', escape='', auto_detect=false, {CSV_LIMITS}, "
        "store_rejects=true)"
    )
    con.execute("drop table if exists reject_errors; drop table if exists reject_scans")
    try:
        paths = ", ".join(f"'$.{field}'" for field in JSONL_FIELDS)
        fields = ", ".join(f"v[{i}] as f_{f}" for i, f in enumerate(JSONL_FIELDS, start=1))
        con.execute(
            "create or replace temp table jsonl_lines as "
            f"select _record_number, line, json_type(j) as j_type, {fields} "
            f"from (select *, json_extract(j, [{paths}]) as v from ("
            "select row_number() over () as _record_number, line, try_cast(line as json) as j "
            f"from {lines}))"
        )
    except duckdb.Error as exc:
        raise IngestionError(f"{path}: not a readable text file ({_first_line(exc)})") from exc
    given_list = "cast(f_mentioned_handles as varchar[])"
    mentions_given = (
        f"case when json_type(f_mentioned_handles) = 'ARRAY' then {given_mentions(given_list)} end"
    )
    network = f"lower(trim({_json_text('network')}))"
    text = _json_text("text")
    reason = first_reason(
        ("j_type is null", "malformed JSON"),
        ("j_type <> 'OBJECT'", "not a JSON object"),
        (f"nullif({network}, '') is null", "missing network"),
        (f"nullif(trim({_json_text('post_id')}), '') is null", "missing post_id"),
        (is_scientific(_json_text("post_id")), "post_id in scientific notation (digits lost)"),
        (f"nullif(trim({_json_text('author_id')}), '') is null", "missing author_id"),
        (f"{_json_timestamp('created_at')} is null", "unparsable created_at"),
        (in_future(_json_timestamp("created_at")), "created_at in the future"),
    )
    sql = f"""
        select
            {network} as network,
            {normalised_id(_json_text("post_id"))} as post_id,
            {normalised_id(_json_text("author_id"))} as author_id,
            ltrim(trim({_json_text("author_handle")}), '@') as author_handle,
            {_json_timestamp("created_at")} as created_at,
            {text} as text,
            {normalised_id(_json_text("in_reply_to_post_id"))} as in_reply_to_post_id,
            {normalised_id(_json_text("in_reply_to_author_id"))} as in_reply_to_author_id,
            {normalised_id(_json_text("conversation_id"))} as conversation_id,
            list_sort(list_distinct(list_concat(
                coalesce({mentions_given}, []), {mentions_sql(text, network)}
            ))) as mentioned_handles,
            {_json_text("lang")} as lang,
            {_json_text("source")} as source,
            case when json_type(f_raw) is not null and json_type(f_raw) <> 'NULL'
                then f_raw::varchar end as raw,
            try_cast({_json_text("author_is_brand")} as boolean) as author_is_brand,
            _record_number,
            {reason} as _reject_reason,
            case when {reason} is not null then line end as _raw_record
        from jsonl_lines
        where nullif(trim(line), '') is not null
    """
    return ReaderQuery(_with_rejected_lines(con, sql, "malformed line"), ("jsonl_lines",))


def parquet_query(con: duckdb.DuckDBPyConnection, path: Path, scratch_dir: Path) -> ReaderQuery:
    """Canonical Parquet: the canonical record's columns (``CANONICAL_TYPES``), matched by name;
    absent optional ones are null."""
    src = f"read_parquet({sql_literal(str(path))})"
    try:
        present = {c.lower(): c for c in con.sql(f"select * from {src} limit 0").columns}
    except duckdb.Error as exc:
        raise IngestionError(f"{path}: not a readable Parquet file ({_first_line(exc)})") from exc
    missing = [c for c in ("network", "post_id", "author_id", "created_at") if c not in present]
    if missing:
        raise IngestionError(f"{path}: missing required column(s) {', '.join(missing)}")

    def col(name: str, type_: str = "varchar") -> str:
        if name not in present:
            return f"cast(null as {type_})"
        return f'try_cast("{present[name]}" as {type_})'

    created = (
        f'coalesce(try_cast("{present["created_at"]}" as timestamptz), '
        f"{parsed_timestamp(col('created_at'))})"
    )
    network = f"lower(trim({col('network')}))"
    mentions_given = given_mentions(col("mentioned_handles", "varchar[]"))
    reason = first_reason(
        (f"nullif({network}, '') is null", "missing network"),
        (f"nullif(trim({col('post_id')}), '') is null", "missing post_id"),
        (is_scientific(col("post_id")), "post_id in scientific notation (digits lost)"),
        (f"nullif(trim({col('author_id')}), '') is null", "missing author_id"),
        (f"{created} is null", "unparsable created_at"),
        (in_future(created), "created_at in the future"),
    )
    sql = f"""
        select
            {network} as network,
            {normalised_id(col("post_id"))} as post_id,
            {normalised_id(col("author_id"))} as author_id,
            ltrim(trim({col("author_handle")}), '@') as author_handle,
            {created} as created_at,
            {col("text")} as text,
            {normalised_id(col("in_reply_to_post_id"))} as in_reply_to_post_id,
            {normalised_id(col("in_reply_to_author_id"))} as in_reply_to_author_id,
            {normalised_id(col("conversation_id"))} as conversation_id,
            list_sort(list_distinct(list_concat(
                coalesce({mentions_given}, []), {mentions_sql(col("text"), network)}
            ))) as mentioned_handles,
            {col("lang")} as lang,
            {col("source")} as source,
            {col("raw")} as raw,
            {col("author_is_brand", "boolean")} as author_is_brand,
            row_number() over () as _record_number,
            {reason} as _reject_reason,
            case when {reason} is not null then to_json(t)::varchar end as _raw_record
        from {src} as t
    """
    return ReaderQuery(sql)


READERS: dict[str, Callable[[duckdb.DuckDBPyConnection, Path, Path], ReaderQuery]] = {
    "twcs": twcs_query,
    "jsonl": jsonl_query,
    "parquet": parquet_query,
}


def reader_query(
    con: duckdb.DuckDBPyConnection, path: Path, fmt: str, scratch_dir: Path
) -> ReaderQuery:
    """The query reading ``path`` in format ``fmt`` (``auto`` guesses from the name)."""
    if not path.is_file():
        raise IngestionError(f"{path}: no such file")
    resolved = detect_format(path) if fmt == "auto" else fmt
    if resolved not in READERS:
        raise IngestionError(f"unknown format {fmt!r}; use one of auto, {', '.join(FORMATS)}")
    scratch_dir.mkdir(parents=True, exist_ok=True)
    return READERS[resolved](con, path, scratch_dir)


def remove_scratch(scratch_dir: Path) -> None:
    shutil.rmtree(scratch_dir, ignore_errors=True)
