"""Land canonical records as immutable Parquet: one file per source x network x UTC day.

Layout under the landing directory::

    posts/network=<network>/date=<YYYY-MM-DD>/<source>.parquet
    quarantine/<source>.parquet
    sources/<source>.json      what was landed from where: file name, format, records, sha256

Every file is written under a temporary name and renamed into place, so a reader (or a crash)
never sees half a file. Landing a source again replaces its files for the days landed, and
removes its file for a day of the window that no longer has records (a post deleted upstream
disappears).

The landing directory may also be an ``s3://bucket/prefix`` URL (``ingestion.storage``): the
files are then written in a local scratch folder and each uploaded whole in one PUT, the source
record last, so that a reader sees every object complete or not at all.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import hashlib
import json
import os
import re
import tempfile
import threading
import uuid
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import duckdb

from ingestion.duckdb_memory import memory_config
from ingestion.errors import IngestionError
from ingestion.readers import (
    CANONICAL_COLUMNS,
    detect_format,
    reader_query,
    remove_scratch,
    sql_literal,
)
from ingestion.storage import LandingZone

POSTS_DIR = "posts"


class QuarantineThresholdError(IngestionError):
    """Too many rejected records: a broken export, not a few bad rows. Nothing was landed."""

    def __init__(self, path: Path, result: LandingResult, total: int, limit: float):
        self.result = result
        rules = ", ".join(f"{rule}: {n}" for rule, n in sorted(result.quarantine_reasons.items()))
        super().__init__(
            f"{path}: {result.quarantined} of {total} records quarantined "
            f"({result.quarantined / total:.1%} > {limit:.1%}; {rules}); nothing landed, see "
            "audit.quarantine, fix the export or raise CARERANK_MAX_QUARANTINE_SHARE"
        )


QUARANTINE_DIR = "quarantine"
SOURCES_DIR = "sources"


@dataclass
class LandingResult:
    """What one landing did, reported as Dagster metadata and by the command line."""

    source: str
    rows_by_partition: dict[tuple[str, date], int] = field(default_factory=dict)
    quarantined: int = 0
    quarantine_reasons: dict[str, int] = field(default_factory=dict)
    quarantine_by_partition: dict[str, int] = field(default_factory=dict)  # day or "unknown"
    outside_window: int = 0
    removed_partitions: list[tuple[str, date]] = field(default_factory=list)

    @property
    def landed(self) -> int:
        return sum(self.rows_by_partition.values())


def source_name(path: Path, override: str | None = None) -> str:
    """A file's source name (its file name unless given), safe as a file name."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", override or path.name).strip("._") or "source"


def safe_segment(value: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", value) or "_"


def partition_key(network: str, day: date, source: str) -> str:
    """A landed file's path inside the landing zone, ``/``-separated (a local path or a key)."""
    return f"{POSTS_DIR}/network={safe_segment(network)}/date={day.isoformat()}/{source}.parquet"


def partition_path(landing_dir: Path, network: str, day: date, source: str) -> Path:
    return Path(landing_dir) / partition_key(network, day, source)


@contextmanager
def _scratch(zone: LandingZone) -> Iterator[Path]:
    """Where one landing writes its files before they go into place: inside a local landing
    zone (the same file system, so that a rename moves them), a temporary folder for S3."""
    if zone.remote:
        with tempfile.TemporaryDirectory(prefix="carerank-landing-") as scratch:
            yield Path(scratch)
        return
    scratch = zone.folder / ".tmp" / uuid.uuid4().hex
    scratch.mkdir(parents=True, exist_ok=True)
    try:
        yield scratch
    finally:
        remove_scratch(scratch)


def _place(zone: LandingZone, tmp: Path, relative: str) -> None:
    """Put a finished file in place: renamed in a local landing zone, uploaded whole to S3."""
    if zone.remote:
        zone.put(tmp, relative)
        return
    target = zone.folder / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(tmp, target)


def _remove(zone: LandingZone, relative: str) -> None:
    if zone.remote:
        zone.remove(relative)
    else:
        (zone.folder / relative).unlink(missing_ok=True)


def _connect(memory_limit: str | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(config=memory_config(memory_limit, in_memory=True))
    con.execute("set TimeZone = 'UTC'")
    return con


def _days(start: date, end: date) -> Iterator[date]:
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


# The reader's output for files this process has read once, as Parquet: (resolved path, size,
# modification time, format) -> file. `carerank run` scans an input for its days before the run
# and lands it inside the run; parsing a large JSONL or CSV file is most of either's cost, so the
# landing reads what the scan parsed. A file changed in between has another key and is re-read.
_PARSED_FILES: dict[tuple, Path] = {}
# Inputs being parsed on a thread of their own (parse_in_background), by the same key.
_PARSING: dict[tuple, Future[None]] = {}
_PARSING_THREADS: list[threading.Thread] = []
_PARSING_CONNECTIONS: set[duckdb.DuckDBPyConnection] = set()


def parse_in_background(
    paths: list[Path], fmt: str = "auto", memory_limit: str | None = None
) -> None:
    """Start parsing ``paths`` into this process's Parquet copies on a thread of its own.

    DuckDB parses without holding Python's interpreter lock, so a command can import its
    libraries (seconds of Python) while its input is read; scanning and landing the input then
    wait for the copy instead of parsing. A file that fails to parse here is parsed again where
    it is read, which raises its error there."""
    pending = [
        (path, key)
        for path in paths
        if (key := _file_key(path, fmt)) is not None and key not in _PARSING
    ]
    if not pending:
        return
    for _, key in pending:
        _PARSING[key] = Future()

    def parse_all() -> None:
        for path, key in pending:
            try:
                _parse_once(path, fmt, memory_limit, key, _PARSING_CONNECTIONS)
            except BaseException as exc:  # the reader's error is met again where it is read
                _PARSING[key].set_exception(exc)
            else:
                _PARSING[key].set_result(None)

    # a daemon, stopped when the process ends (stop_background_parses): a command that stops
    # early (an error, Ctrl-C) does not wait for the parse to finish
    thread = threading.Thread(target=parse_all, name="carerank-parse", daemon=True)
    if not _PARSING_THREADS:
        atexit.register(stop_background_parses)
    _PARSING_THREADS.append(thread)
    thread.start()


def stop_background_parses() -> None:
    """Interrupt the parses still running and let their threads end: DuckDB must not be inside
    a query when the interpreter shuts down (it aborts the process)."""
    for con in list(_PARSING_CONNECTIONS):
        con.interrupt()
    for thread in _PARSING_THREADS:
        thread.join(timeout=10)


def _parse_once(
    path: Path,
    fmt: str,
    memory_limit: str | None,
    key: tuple,
    running: set[duckdb.DuckDBPyConnection] | None = None,
) -> None:
    """Parse ``path`` into a Parquet copy under ``key`` unless one exists; its connection is in
    ``running`` meanwhile, where it can be interrupted."""
    if key in _PARSED_FILES:
        return
    with (
        _connect(memory_limit) as con,
        tempfile.TemporaryDirectory(prefix="carerank-scan-") as scratch,
    ):
        if running is not None:
            running.add(con)
        try:
            query = reader_query(con, path, fmt, Path(scratch))
            parsed = _parsed_dir() / f"{uuid.uuid4().hex}.parquet"
            con.execute(f"copy ({query.sql}) to {sql_literal(str(parsed))} (format parquet)")
        finally:
            if running is not None:
                running.discard(con)
    _PARSED_FILES[key] = parsed


def _wait_for_background_parse(key: tuple | None) -> None:
    """Let a background parse of ``key`` finish; its failure is the caller's to meet again."""
    future = _PARSING.get(key) if key is not None else None
    if future is not None:
        with contextlib.suppress(Exception):
            future.result()


def _file_key(path: Path, fmt: str) -> tuple | None:
    """None for what is no readable file (the reader says what is wrong with it)."""
    try:
        stat = Path(path).stat()
    except OSError:
        return None
    changed = (stat.st_ino, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns)
    return (str(Path(path).resolve()), *changed, fmt)


@functools.cache
def _parsed_dir() -> Path:
    """A folder for this process's parsed inputs, removed when the process ends."""
    folder = tempfile.TemporaryDirectory(prefix="carerank-parsed-")
    atexit.register(folder.cleanup)
    return Path(folder.name)


def _read_input(
    con: duckdb.DuckDBPyConnection, path: Path, fmt: str, scratch: Path
) -> tuple[str, tuple[str, ...]]:
    """The SQL of ``path``'s records as the reader gives them (and the tables it prepared):
    from what this process already parsed when it can."""
    key = _file_key(path, fmt)
    _wait_for_background_parse(key)
    parsed = _PARSED_FILES.get(key)
    if parsed is not None and parsed.exists():
        return f"select * from read_parquet({sql_literal(str(parsed))})", ()
    query = reader_query(con, path, fmt, scratch)
    return query.sql, query.prepared_tables


def scan_days(
    path: Path, fmt: str = "auto", memory_limit: str | None = None
) -> tuple[date, date] | None:
    """First and last UTC day with a readable record in ``path`` (None when it has none).

    The command line uses this to know which daily partitions an input covers. The records read
    are kept (as Parquet, for the life of the process) for the landing that follows.
    ``memory_limit`` as for ``land_file``."""
    key = _file_key(path, fmt)
    _wait_for_background_parse(key)
    if key is not None:
        _parse_once(path, fmt, memory_limit, key)
    with (
        _connect(memory_limit) as con,
        tempfile.TemporaryDirectory(prefix="carerank-scan-") as scratch,
    ):
        sql, _ = _read_input(con, path, fmt, Path(scratch))
        first, last = con.execute(
            f"select min(created_at::date), max(created_at::date) from ({sql}) "
            "where _reject_reason is null"
        ).fetchone()
    return None if first is None else (first, last)


def land_file(
    path: Path,
    landing_dir: Path | str | LandingZone,
    fmt: str = "auto",
    start: date | None = None,
    end: date | None = None,
    source: str | None = None,
    ingested_at: datetime | None = None,
    max_quarantine_share: float | None = None,
    memory_limit: str | None = None,
) -> LandingResult:
    """Read ``path`` and land its records of the UTC days ``start``..``end`` (all days if open).

    Records that break a row rule go to the source's quarantine file with the rule's name. When
    more than ``max_quarantine_share`` of the records are rejected, the file is not landed at all
    (its quarantine is written, so a person can see why) and QuarantineThresholdError says so.

    ``landing_dir``: a folder, an ``s3://bucket/prefix`` URL, or a LandingZone (an S3 URL with
    the endpoint of an S3-compatible server). ``memory_limit``: how much memory the parse may
    take before DuckDB spills to disk (ingestion.duckdb_memory)."""
    zone = LandingZone.of(landing_dir)
    src = source_name(path, source)
    ingested_at = ingested_at or datetime.now(UTC)
    result = LandingResult(source=src)
    with _connect(memory_limit) as con, _scratch(zone) as scratch:
        sql, prepared_tables = _read_input(con, path, fmt, scratch)
        con.execute(
            f"create temp table parsed as select *, created_at::date as _partition from ({sql})"
        )
        for table in prepared_tables:
            con.execute(f"drop table if exists {table}")
        window = "true"
        if start is not None:
            window += f" and _partition >= date {sql_literal(start.isoformat())}"
        if end is not None:
            window += f" and _partition <= date {sql_literal(end.isoformat())}"
        result.outside_window = con.execute(
            f"select count(*) from parsed where _reject_reason is null and not ({window})"
        ).fetchone()[0]
        if max_quarantine_share is not None:
            total, rejected = con.execute(
                "select count(*), count(_reject_reason) from parsed"
            ).fetchone()
            if total and rejected / total > max_quarantine_share:
                _write_quarantine(con, zone, scratch, src, ingested_at, result)
                raise QuarantineThresholdError(path, result, total, max_quarantine_share)
        _write_partitions(con, zone, scratch, src, window, ingested_at, result)
        if start is not None and end is not None:
            _remove_stale(zone, src, start, end, result)
        _write_quarantine(con, zone, scratch, src, ingested_at, result)
        records = con.execute("select count(*) from parsed").fetchone()[0]
        _write_source_record(path, fmt, records, zone, scratch, ingested_at, result)
    return result


def file_sha256(path: Path) -> str:
    """The file's SHA-256, read in blocks: a reader of the methodology can check that their copy
    of an input is the one the figures were computed from."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _write_source_record(
    path: Path,
    fmt: str,
    records: int,
    zone: LandingZone,
    scratch: Path,
    ingested_at: datetime,
    result: LandingResult,
) -> None:
    """Keep, beside the landed posts, which file a source came from and what it held: the
    report's methodology lists the inputs behind the figures with their checksums."""
    record = {
        "source": result.source,
        "file_name": path.name,
        "format": detect_format(path) if fmt == "auto" else fmt,
        "records": records,
        "landed": result.landed,
        "quarantined": result.quarantined,
        "sha256": file_sha256(path),
        "landed_at": ingested_at.isoformat(),
    }
    tmp = scratch / "source.json"
    tmp.write_text(json.dumps(record, indent=2) + "\n")
    _place(zone, tmp, f"{SOURCES_DIR}/{result.source}.json")


def _write_partitions(
    con: duckdb.DuckDBPyConnection,
    zone: LandingZone,
    scratch: Path,
    src: str,
    window: str,
    ingested_at: datetime,
    result: LandingResult,
) -> None:
    columns = ", ".join(CANONICAL_COLUMNS)
    out = scratch / "posts"
    # DuckDB reports each file it wrote with its row count and partition values, so no file
    # is read back to learn which day and network it holds
    written = con.execute(
        f"copy (select {columns}, {sql_literal(src)} as _source, "
        f"timestamptz {sql_literal(ingested_at.isoformat())} as _ingested_at, _partition "
        f"from parsed where _reject_reason is null and {window} order by network, _partition) "
        f"to {sql_literal(str(out))} (format parquet, partition_by (network, _partition), "
        "write_partition_columns true, compression zstd, return_stats true)"
    ).fetchall()
    files = sorted(
        (path, keys["network"], date.fromisoformat(keys["_partition"]), rows)
        for path, rows, _size, _footer, _stats, keys, *_ in written
    )
    for file, network, day, rows in files:
        _place(zone, Path(file), partition_key(network, day, src))
        result.rows_by_partition[(network, day)] = int(rows)


def _remove_stale(
    zone: LandingZone, src: str, start: date, end: date, result: LandingResult
) -> None:
    """A day of the window that this source no longer has records for loses its old file."""
    if zone.remote:
        _remove_stale_objects(zone, src, start, end, result)
        return
    posts = zone.folder / POSTS_DIR
    if not posts.exists():
        return
    wanted = {(safe_segment(n), d) for n, d in result.rows_by_partition}
    for network_dir in posts.glob("network=*"):
        network = network_dir.name.removeprefix("network=")
        for day in _days(start, end):
            old = network_dir / f"date={day.isoformat()}" / f"{src}.parquet"
            if (network, day) not in wanted and old.exists():
                old.unlink()
                result.removed_partitions.append((network, day))


def _remove_stale_objects(
    zone: LandingZone, src: str, start: date, end: date, result: LandingResult
) -> None:
    """The same on S3, from one listing of the source's objects (S3 has no folders to walk)."""
    wanted = {(safe_segment(n), d) for n, d in result.rows_by_partition}
    for url in zone.glob(f"{POSTS_DIR}/network=*/date=*/{src}.parquet"):
        network_part, date_part = url.split("/")[-3:-1]
        network = network_part.removeprefix("network=")
        day = date.fromisoformat(date_part.removeprefix("date="))
        if start <= day <= end and (network, day) not in wanted:
            _remove(zone, partition_key(network, day, src))
            result.removed_partitions.append((network, day))


def _write_quarantine(
    con: duckdb.DuckDBPyConnection,
    zone: LandingZone,
    scratch: Path,
    src: str,
    ingested_at: datetime,
    result: LandingResult,
) -> None:
    reasons = con.execute(
        "select _reject_reason, count(*) from parsed where _reject_reason is not null group by 1"
    ).fetchall()
    result.quarantine_reasons = {reason: count for reason, count in reasons}
    result.quarantine_by_partition = {
        str(day) if day else "unknown": count
        for day, count in con.execute(
            "select _partition, count(*) from parsed where _reject_reason is not null "
            "group by 1 order by 1"
        ).fetchall()
    }
    result.quarantined = sum(result.quarantine_reasons.values())
    target = f"{QUARANTINE_DIR}/{src}.parquet"
    if not result.quarantined:
        _remove(zone, target)
        return
    tmp = scratch / "quarantine.parquet"
    con.execute(
        f"copy (select {sql_literal(src)} as _source, _partition, _record_number, "
        "_reject_reason as rule, _raw_record as raw_record, network, post_id, "
        f"timestamptz {sql_literal(ingested_at.isoformat())} as _ingested_at "
        "from parsed where _reject_reason is not null order by _record_number) "
        f"to {sql_literal(str(tmp))} (format parquet)"
    )
    _place(zone, tmp, target)
