"""Checks run before anything else, so that a wrong input is one clear line, not a traceback.

Without them a registry file lacking ``account_id`` ends in a dbt Binder Error, an account of an
unknown brand in a relationships test that names no row, a network called ``tiktok`` or a time
zone ``Mars/Olympus`` is accepted silently, and an unwritable warehouse path or a directory given
as an input fails deep inside Dagster. Every check here raises ``IngestionError`` with one line
that names the file, the line (1-based, the header is line 1) and the value at fault.

The rules follow what the dbt models do with the registry (``registry_source`` macro,
``stg_brands``, ``stg_brand_accounts``): a user's brands or accounts file *replaces* the seed of
the same name, values are trimmed, column names are matched without case or surrounding spaces,
``account_id``, ``is_primary``, ``timezone`` and ``business_hours`` may be empty (null, false,
UTC, none), handles are unique per network without ``@`` and case.
"""

from __future__ import annotations

import contextlib
import csv
import io
import os
import tempfile
import zoneinfo
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import duckdb

from ingestion.business_hours import EXAMPLE, ScheduleError, parse_schedule
from ingestion.connectors.ingest import NETWORKS
from ingestion.errors import IngestionError
from ingestion.readers import detect_format

BRAND_COLUMNS = ("brand_id", "brand_name", "industry", "country")
ACCOUNT_COLUMNS = (
    "brand_id",
    "network",
    "account_id",
    "handle",
    "is_primary",
    "timezone",
    "business_hours",
)

# The network names written into landed posts (the readers' and connectors' canonical names).
KNOWN_NETWORKS = tuple(sorted({canonical for canonical, _ in NETWORKS.values()}))
# Names the code accepts as another network's alias (``carerank ingest --network x``). The dbt
# models compare the registry's network with the landed posts' as written, so an alias in the
# registry would match nothing: it is refused with the right name.
NETWORK_ALIASES = {
    name: canonical for name, (canonical, _) in NETWORKS.items() if name != canonical
}

MAX_LISTED = 3


@dataclass(frozen=True)
class Problem:
    """One mistake in one file, at a line when there is one."""

    path: Path
    text: str
    line: int | None = None

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}" if self.line else str(self.path)

    def __str__(self) -> str:
        return f"{self.where}: {self.text}"


class RegistryError(IngestionError):
    """The brand registry is wrong. The message is the first problem and how many others there
    are (one line); ``problems`` holds them all, for a caller that wants to list them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first, others = problems[0], problems[1:]
        message = str(first)
        if others:
            message += f" (and {len(others)} more: {_locations(others)})"
        super().__init__(message)


def _locations(problems: list[Problem]) -> str:
    """Where the other problems are, short: ``a.csv lines 3, 4, 5, …; b.csv``."""
    lines: dict[Path, list[int]] = {}
    for problem in problems:
        found = lines.setdefault(problem.path, [])
        if problem.line and problem.line not in found:
            found.append(problem.line)
    parts = []
    for path, numbers in lines.items():
        if not numbers:
            parts.append(str(path))
            continue
        shown = ", ".join(map(str, numbers[:MAX_LISTED]))
        more = ", …" if len(numbers) > MAX_LISTED else ""
        parts.append(f"{path} line{'s' if len(numbers) > 1 else ''} {shown}{more}")
    return "; ".join(parts)


@dataclass
class _Table:
    """A registry CSV as read: its header and its rows with the line each starts on."""

    path: Path
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)
    malformed: int = 0  # rows that could not be split into the header's columns


def _normalised(name: str) -> str:
    """Column names as DuckDB's read_csv binds them: without surrounding spaces, any case."""
    return name.strip().lower()


def _read_table(
    path: Path, required: tuple[str, ...], row_kind: str, problems: list[Problem]
) -> _Table | None:
    """Read one registry file; a problem that makes its rows meaningless returns None."""
    if not path.exists():
        problems.append(Problem(path, "no such file"))
        return None
    if path.is_dir():
        problems.append(Problem(path, "is a directory; give the CSV file"))
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        problems.append(Problem(path, f"cannot read it ({exc.strerror or exc})"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        bad = data[exc.start : exc.end].hex(" ").upper()
        problems.append(
            Problem(path, f"not UTF-8 (byte {bad}); save the file as UTF-8 and try again", line)
        )
        return None
    if not text.strip():
        problems.append(
            Problem(path, f"the file is empty; it needs the header {','.join(required)}")
        )
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except csv.Error as exc:
        problems.append(Problem(path, f"not a CSV header ({exc})", 1))
        return None
    names = [_normalised(c) for c in header]
    missing = [c for c in required if c not in names]
    if missing:
        found = ", ".join(repr(c.strip()) for c in header)
        hint = f"; the columns are {','.join(required)}"
        if len(header) == 1 and any(sep in header[0] for sep in ";\t|"):
            hint = "; separate the columns with commas"
        problems.append(
            Problem(path, f"missing column(s) {', '.join(missing)} (found {found}){hint}", 1)
        )
        return None
    seen: dict[str, int] = {}
    for position, name in enumerate(names, start=1):
        if name and name in seen:
            problems.append(
                Problem(
                    path,
                    f"column {name!r} appears twice in the header (columns {seen[name]} and "
                    f"{position}); keep one",
                    1,
                )
            )
            return None
        seen[name] = position
    table = _Table(path, names)
    while True:
        start = reader.line_num + 1
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            problems.append(Problem(path, f"not a CSV line ({exc})", start))
            return None
        if not fields:
            continue
        if len(fields) != len(names):
            problems.append(
                Problem(
                    path,
                    f"{len(fields)} field(s) where the header has {len(names)}; quote a value "
                    "that contains a comma, and give every column (empty is fine)",
                    start,
                )
            )
            table.malformed += 1
            continue
        table.rows.append((start, dict(zip(names, fields, strict=True))))
    if not table.rows and not any(p.path == path for p in problems):
        problems.append(Problem(path, f"a header but no rows; add one row per {row_kind}"))
        return None
    return table


def _check_brands(table: _Table, problems: list[Problem]) -> set[str]:
    """Brand ids must be given and unique (stg_brands drops an empty one; dbt's unique test
    fails on a repeated one without naming it). Returns the brand ids."""
    first_line: dict[str, int] = {}
    for line, row in table.rows:
        brand_id = row["brand_id"].strip()
        if not brand_id:
            problems.append(
                Problem(table.path, "empty brand_id; fill it in or delete the row", line)
            )
        elif brand_id in first_line:
            problems.append(
                Problem(
                    table.path,
                    f"brand_id {brand_id!r} again (first on line {first_line[brand_id]}); "
                    "a brand_id must be unique",
                    line,
                )
            )
        else:
            first_line[brand_id] = line
    return set(first_line)


@cache
def _time_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def _time_zone_problem(value: str) -> str | None:
    """None for an IANA time zone name, else what is wrong with it."""
    try:
        zoneinfo.ZoneInfo(value)
        if value in _time_zones():
            return None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        pass
    near = sorted(z for z in _time_zones() if z.lower() == value.lower())
    hint = f"did you mean {near[0]!r}?" if near else "use a name such as Europe/London"
    return f"time zone {value!r} is not an IANA time zone; {hint} (an empty timezone means UTC)"


def _booleans(values: set[str]) -> dict[str, bool | None]:
    """Each value as DuckDB casts it to a boolean, as the seed load and stg_brand_accounts do
    (null when it is no boolean spelling)."""
    if not values:
        return {}
    with duckdb.connect() as con:
        rows = con.execute(
            "select v, try_cast(v as boolean) from unnest(?::varchar[]) as t(v)", [sorted(values)]
        ).fetchall()
    return dict(rows)


def _network_problem(raw: str) -> str | None:
    network = raw.strip().lower()
    if network in KNOWN_NETWORKS:
        return None
    if not network:
        return f"empty network; use one of {', '.join(KNOWN_NETWORKS)}"
    if network in NETWORK_ALIASES:
        right = NETWORK_ALIASES[network]
        return (
            f"network {raw.strip()!r} is only a --network name of `carerank ingest`; landed "
            f"posts say {right!r}, so write {right}"
        )
    return f"unknown network {raw.strip()!r}; use one of {', '.join(KNOWN_NETWORKS)}"


def _check_accounts(
    table: _Table,
    brand_ids: set[str] | None,
    brands_path: Path,
    accounts_are_seed: bool,
    problems: list[Problem],
) -> None:
    """Each account row against the rules stg_brand_accounts and its dbt tests apply, and its
    brand_id against the brands in force (``None``: the brands file could not be read)."""
    path = table.path
    handles: dict[tuple[str, str], int] = {}
    account_ids: dict[tuple[str, str], int] = {}
    spellings = {row["is_primary"] for _, row in table.rows if row["is_primary"].strip()}
    booleans = _booleans(spellings | {value.strip() for value in spellings})
    for line, row in table.rows:
        brand_id = row["brand_id"].strip()
        network = row["network"].strip().lower()
        handle = row["handle"].strip().lstrip("@")
        account_id = row["account_id"].strip()
        if not brand_id:
            problems.append(Problem(path, "empty brand_id; fill it in or delete the row", line))
        elif brand_ids is not None and brand_id not in brand_ids:
            hint = "add it there or correct the brand_id"
            if accounts_are_seed:
                hint = (
                    "these are the seed's accounts, used because no accounts file was given: "
                    "give one for your brands too (--accounts)"
                )
            problems.append(
                Problem(path, f"brand_id {brand_id!r} is not in {brands_path}; {hint}", line)
            )
        if (problem := _network_problem(row["network"])) is not None:
            problems.append(Problem(path, problem, line))
        if not handle:
            problems.append(
                Problem(path, f"empty handle (brand {brand_id!r}); every account needs one", line)
            )
        else:
            key = (network, handle.lower())
            if key in handles:
                problems.append(
                    Problem(
                        path,
                        f"handle {handle!r} on {network} again (first on line {handles[key]}; "
                        "handles are compared without '@' and case); keep one row per account",
                        line,
                    )
                )
            else:
                handles[key] = line
        if account_id:
            key = (network, account_id)
            if key in account_ids:
                problems.append(
                    Problem(
                        path,
                        f"account_id {account_id!r} on {network} again (first on line "
                        f"{account_ids[key]}); keep one row per account",
                        line,
                    )
                )
            else:
                account_ids[key] = line
        timezone = row["timezone"].strip()
        if timezone and (problem := _time_zone_problem(timezone)) is not None:
            problems.append(Problem(path, problem, line))
        if (problem := _business_hours_problem(row["business_hours"])) is not None:
            problems.append(Problem(path, problem, line))
        is_primary = row["is_primary"]
        if is_primary.strip() and booleans.get(is_primary) is None:
            hint = (
                "remove the spaces around it"
                if booleans.get(is_primary.strip()) is not None
                else "use true or false (empty means false)"
            )
            problems.append(
                Problem(path, f"is_primary {is_primary!r} is not a boolean; {hint}", line)
            )


def _business_hours_problem(value: str) -> str | None:
    """What is wrong with an account's opening hours, in one line (None: nothing)."""
    try:
        parse_schedule(value)
    except ScheduleError as exc:
        return (
            f"business_hours {value.strip()!r}: {exc}; write e.g. {EXAMPLE!r} "
            "(empty means always open)"
        )
    return None


def check_registry(brands_file: Path | None, accounts_file: Path | None, seeds_dir: Path) -> None:
    """Check the brand registry the run will use, before dbt sees it.

    ``brands_file`` / ``accounts_file`` are the user's files; None means the seed of that name in
    ``seeds_dir`` is used. A user's file replaces its seed (it is not added to it), so an account
    must name a brand of the brands file in force: the user's, else the seed. Raises
    RegistryError (an IngestionError) with the first problem and how many others there are."""
    problems: list[Problem] = []
    brands_path = Path(brands_file) if brands_file else Path(seeds_dir) / "brands.csv"
    accounts_path = Path(accounts_file) if accounts_file else Path(seeds_dir) / "brand_accounts.csv"
    brands = _read_table(brands_path, BRAND_COLUMNS, "brand", problems)
    brand_ids = _check_brands(brands, problems) if brands is not None else None
    if brands is not None and brands.malformed:
        brand_ids = None  # a brand on a malformed row would show up as an unknown brand
    accounts = _read_table(accounts_path, ACCOUNT_COLUMNS, "account", problems)
    if accounts is not None:
        # The seed's accounts against the seed's brands are the project's own business; what
        # matters is a user's brands file that leaves the seed accounts without their brands.
        _check_accounts(
            accounts,
            brand_ids,
            brands_path,
            accounts_are_seed=accounts_file is None and brands_file is not None,
            problems=problems,
        )
    if problems:
        raise RegistryError(problems)


def check_input_files(paths: list[Path]) -> None:
    """Each input exists, is a regular file and can be read, so that a typo or a folder fails
    before the run starts, not in the middle of Dagster's landing step. An empty file is fine
    (landing reports it); its format and columns are the readers' business."""
    for path in map(Path, paths):
        if not path.exists():
            if path.is_symlink():
                raise IngestionError(f"{path}: a link to {os.readlink(path)}, which does not exist")
            raise IngestionError(f"{path}: no such file")
        if path.is_dir():
            raise IngestionError(f"{path}: is a directory; give a file ({_files_in(path)})")
        if not path.is_file():
            raise IngestionError(f"{path}: not a regular file; give a file")
        try:
            with path.open("rb") as handle:
                handle.read(1)
        except OSError as exc:
            raise IngestionError(f"{path}: cannot read it ({exc.strerror or exc})") from exc


def _files_in(folder: Path) -> str:
    """The files of ``folder`` carerank can read, as a hint for someone who gave the folder."""
    readable = []
    try:
        for child in sorted(folder.iterdir()):
            try:
                if child.is_file():
                    detect_format(child)
                    readable.append(child)
            except IngestionError:
                continue
    except OSError:
        return "it cannot be listed"
    if not readable:
        return "it holds no .csv, .jsonl or .parquet file"
    shown = ", ".join(p.name for p in readable[:MAX_LISTED])
    return f"it holds {shown}{', …' if len(readable) > MAX_LISTED else ''}"


def check_writable(path: Path, what: str) -> None:
    """The file ``path`` (``what`` names it, e.g. ``--warehouse``) can be created: its folder
    exists or can be made, and a file can be written in it. Checked up front because DuckDB and
    Dagster report an unwritable location as a long traceback at the end of the run. Folders
    made for the check are removed again."""
    path = Path(path)
    if path.is_dir():
        raise IngestionError(
            f"{what} {path}: is a directory; give a file in it, such as {path / 'warehouse.duckdb'}"
        )
    folder = path.parent
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if existing.exists() and not existing.is_dir():
        raise IngestionError(f"{what} {path}: {existing} is a file, not a folder")
    made: list[Path] = []
    try:
        missing = [p for p in (folder, *folder.parents) if not p.exists()]
        for parent in reversed(missing):
            parent.mkdir()
            made.append(parent)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".carerank-write-check-"):
            pass
        if path.exists() and not os.access(path, os.W_OK):
            raise PermissionError(13, "Permission denied")
    except OSError as exc:
        raise IngestionError(f"{what} {path}: cannot write there ({exc.strerror or exc})") from exc
    finally:
        for parent in reversed(made):
            with contextlib.suppress(OSError):
                parent.rmdir()


def check_window(start: date, end: date, first_allowed: date | None = None) -> None:
    """The run's window is a real range of days starting on or after ``first_allowed`` (the first
    daily partition): Dagster refuses partitions outside its definition with a traceback."""
    if end < start:
        raise IngestionError(f"--end {end} is before --start {start}; swap them")
    if first_allowed is not None and start < first_allowed:
        raise IngestionError(
            f"--start {start} is before the first daily partition, {first_allowed}; choose a "
            "later day, or set CARERANK_FIRST_DAY earlier"
        )
