"""Preflight checks: every wrong registry, input path, warehouse path or window is one line that
names the file, the line and the value, before Dagster or dbt sees it."""

from __future__ import annotations

import os
import shutil
import sys
from datetime import date
from pathlib import Path

import pytest

from ingestion.errors import IngestionError
from ingestion.preflight import (
    KNOWN_NETWORKS,
    RegistryError,
    check_input_files,
    check_registry,
    check_window,
    check_writable,
)

REPO = Path(__file__).resolve().parents[2]
SEEDS = REPO / "dbt_project" / "seeds"
CORPUS = Path(__file__).parent / "bad_inputs" / "registry"
VALID_BRANDS = CORPUS / "valid_brands.csv"
VALID_ACCOUNTS = CORPUS / "valid_accounts.csv"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0

# file of the corpus -> (line named, or None for the whole file; parts of the message). A brands_*
# file is checked with valid_accounts.csv, an accounts_* file with valid_brands.csv.
REGISTRY_MISTAKES: dict[str, tuple[int | None, tuple[str, ...]]] = {
    "brands_missing_column.csv": (
        1,
        ("missing column(s) country", "the columns are brand_id,brand_name,industry,country"),
    ),
    "brands_semicolon_separated.csv": (
        1,
        ("missing column(s) brand_id, brand_name, industry, country", "separate the columns"),
    ),
    "brands_duplicate_column.csv": (
        1,
        ("column 'brand_id' appears twice in the header (columns 1 and 5)",),
    ),
    "brands_duplicate_brand_id.csv": (4, ("brand_id 'acme' again (first on line 2)",)),
    "brands_duplicate_after_multiline_name.csv": (5, ("brand_id 'zen' again (first on line 4)",)),
    "brands_empty_brand_id.csv": (3, ("empty brand_id",)),
    "brands_not_utf8.csv": (3, ("not UTF-8 (byte E9)", "save the file as UTF-8")),
    "brands_empty.csv": (None, ("the file is empty",)),
    "brands_header_only.csv": (None, ("a header but no rows; add one row per brand",)),
    "brands_wrong_field_count.csv": (3, ("5 field(s) where the header has 4",)),
    "accounts_missing_account_id.csv": (1, ("missing column(s) account_id",)),
    "accounts_unknown_brand.csv": (
        3,
        (f"brand_id 'acmee' is not in {VALID_BRANDS}", "correct the brand_id"),
    ),
    "accounts_unknown_network.csv": (
        2,
        ("unknown network 'tiktok'; use one of bluesky, facebook, mastodon, twitter",),
    ),
    "accounts_network_alias_x.csv": (2, ("network 'x'", "write twitter")),
    "accounts_empty_network.csv": (3, ("empty network; use one of",)),
    "accounts_unknown_timezone.csv": (2, ("time zone 'Mars/Olympus' is not an IANA time zone",)),
    "accounts_malformed_business_hours.csv": (
        3,
        ("business_hours 'mon-fri 8:00-20:00; sat 09:00-1400': '1400' is not a time HH:MM",),
    ),
    "accounts_timezone_wrong_case.csv": (
        2,
        ("time zone 'europe/london'", "did you mean 'Europe/London'?"),
    ),
    "accounts_is_primary_not_boolean.csv": (
        2,
        ("is_primary 'oui' is not a boolean; use true or false",),
    ),
    "accounts_is_primary_spaces.csv": (
        2,
        ("is_primary ' true' is not a boolean; remove the spaces",),
    ),
    "accounts_duplicate_handle.csv": (3, ("handle 'acme' on twitter again (first on line 2",)),
    "accounts_duplicate_account_id.csv": (
        3,
        ("account_id '100' on twitter again (first on line 2)",),
    ),
    "accounts_empty_handle.csv": (3, ("empty handle (brand 'acme')",)),
    "accounts_empty_brand_id.csv": (3, ("empty brand_id",)),
    "accounts_wrong_field_count.csv": (3, ("6 field(s) where the header has 7",)),
    "accounts_three_mistakes.csv": (
        3,
        ("unknown network 'tiktok'", "(and 2 more: ", "accounts_three_mistakes.csv line 4)"),
    ),
}


def _registry_pair(name: str) -> tuple[Path, Path]:
    if name.startswith("brands_"):
        return CORPUS / name, VALID_ACCOUNTS
    return VALID_BRANDS, CORPUS / name


def _message(excinfo: pytest.ExceptionInfo[IngestionError]) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    return message


def test_the_registry_corpus_is_covered_and_documented():
    files = {p.name for p in CORPUS.glob("*.csv")}
    assert files == set(REGISTRY_MISTAKES) | {VALID_BRANDS.name, VALID_ACCOUNTS.name}
    readme = (CORPUS / "README.md").read_text(encoding="utf-8")
    assert all(f"`{name}`" in readme for name in files)


@pytest.mark.parametrize("name", sorted(REGISTRY_MISTAKES))
def test_registry_mistake(name):
    line, parts = REGISTRY_MISTAKES[name]
    with pytest.raises(IngestionError) as excinfo:
        check_registry(*_registry_pair(name), SEEDS)
    message = _message(excinfo)
    where = f"{CORPUS / name}:{line}: " if line else f"{CORPUS / name}: "
    assert message.startswith(where), message
    for part in parts:
        assert part in message, message


def test_the_seeds_pass():
    check_registry(None, None, SEEDS)


def test_a_correct_user_pair_passes():
    check_registry(VALID_BRANDS, VALID_ACCOUNTS, SEEDS)


def test_user_accounts_are_checked_against_the_seed_brands(tmp_path):
    accounts = tmp_path / "accounts.csv"
    accounts.write_text(VALID_ACCOUNTS.read_text().replace("acme,", "AdobeCare,"))
    with pytest.raises(IngestionError) as excinfo:
        check_registry(None, accounts, SEEDS)
    assert _message(excinfo).startswith(
        f"{accounts}:5: brand_id 'zen' is not in {SEEDS / 'brands.csv'}"
    )
    accounts.write_text(
        VALID_ACCOUNTS.read_text().replace("zen,", "Tesco,").replace("acme,", "O2,")
    )
    check_registry(None, accounts, SEEDS)


def test_user_brands_leave_the_seed_accounts_without_their_brands():
    """A user's file replaces its seed: with --brands alone, the seed's accounts stay in force
    and name brands that are no longer there."""
    with pytest.raises(RegistryError) as excinfo:
        check_registry(VALID_BRANDS, None, SEEDS)
    message = _message(excinfo)
    assert message.startswith(
        f"{SEEDS / 'brand_accounts.csv'}:2: brand_id 'AdobeCare' is not in {VALID_BRANDS}"
    )
    assert "--accounts" in message
    seed_rows = len((SEEDS / "brand_accounts.csv").read_text().splitlines()) - 1
    assert len(excinfo.value.problems) == seed_rows


def test_every_problem_is_kept_for_the_caller():
    with pytest.raises(RegistryError) as excinfo:
        check_registry(VALID_BRANDS, CORPUS / "accounts_three_mistakes.csv", SEEDS)
    assert [(p.line, p.text.split(";")[0]) for p in excinfo.value.problems] == [
        (3, "unknown network 'tiktok'"),
        (4, "time zone 'Mars/Olympus' is not an IANA time zone"),
        (4, "is_primary 'oui' is not a boolean"),
    ]


@pytest.mark.parametrize("which", ["brands", "accounts"])
def test_registry_file_missing_or_a_directory(which, tmp_path):
    missing = tmp_path / "nope.csv"
    pair = (missing, VALID_ACCOUNTS) if which == "brands" else (VALID_BRANDS, missing)
    with pytest.raises(IngestionError) as excinfo:
        check_registry(*pair, SEEDS)
    assert _message(excinfo) == f"{missing}: no such file"
    pair = (tmp_path, VALID_ACCOUNTS) if which == "brands" else (VALID_BRANDS, tmp_path)
    with pytest.raises(IngestionError) as excinfo:
        check_registry(*pair, SEEDS)
    assert _message(excinfo) == f"{tmp_path}: is a directory; give the CSV file"


def test_the_networks_are_the_landed_ones():
    assert KNOWN_NETWORKS == ("bluesky", "facebook", "mastodon", "twitter")


def test_header_in_other_case_and_with_spaces_passes(tmp_path):
    """DuckDB's read_csv binds `` Brand_ID `` to brand_id, so the models accept it."""
    brands = tmp_path / "brands.csv"
    brands.write_text(
        "\ufeff Brand_ID ,brand_name,Industry,country,extra\nacme,Acme,retail,US,1\nzen,Z,t,GB,2\n",
        encoding="utf-8",
    )
    check_registry(brands, VALID_ACCOUNTS, SEEDS)


# --- input files ----------------------------------------------------------------------------


def test_input_files_that_can_be_read_pass(tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.touch()
    check_input_files([empty, VALID_BRANDS])
    check_input_files([])


def test_input_file_missing(tmp_path):
    good = tmp_path / "good.jsonl"
    good.touch()
    with pytest.raises(IngestionError) as excinfo:
        check_input_files([good, tmp_path / "posts.jsonl"])
    assert _message(excinfo) == f"{tmp_path / 'posts.jsonl'}: no such file"


def test_input_file_is_a_directory(tmp_path):
    (tmp_path / "posts.jsonl").touch()
    (tmp_path / "notes.txt").touch()
    with pytest.raises(IngestionError) as excinfo:
        check_input_files([tmp_path])
    assert _message(excinfo) == f"{tmp_path}: is a directory; give a file (it holds posts.jsonl)"
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IngestionError) as excinfo:
        check_input_files([empty])
    assert _message(excinfo) == (
        f"{empty}: is a directory; give a file (it holds no .csv, .jsonl or .parquet file)"
    )


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links and FIFOs")
def test_input_file_broken_link_or_not_regular(tmp_path):
    link = tmp_path / "posts.jsonl"
    link.symlink_to(tmp_path / "gone.jsonl")
    with pytest.raises(IngestionError) as excinfo:
        check_input_files([link])
    assert _message(excinfo) == f"{link}: a link to {tmp_path / 'gone.jsonl'}, which does not exist"
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    with pytest.raises(IngestionError) as excinfo:
        check_input_files([fifo])
    assert _message(excinfo) == f"{fifo}: not a regular file; give a file"


@pytest.mark.skipif(IS_ROOT or sys.platform == "win32", reason="root reads everything")
def test_input_file_unreadable(tmp_path):
    locked = tmp_path / "posts.jsonl"
    locked.write_text("{}\n")
    locked.chmod(0)
    try:
        with pytest.raises(IngestionError) as excinfo:
            check_input_files([locked])
        assert _message(excinfo) == f"{locked}: cannot read it (Permission denied)"
    finally:
        locked.chmod(0o600)


# --- writable warehouse ---------------------------------------------------------------------


def test_writable_creates_nothing(tmp_path):
    target = tmp_path / "a" / "b" / "warehouse.duckdb"
    check_writable(target, "--warehouse")
    assert list(tmp_path.iterdir()) == []
    existing = tmp_path / "warehouse.duckdb"
    existing.write_bytes(b"x")
    check_writable(existing, "--warehouse")
    assert sorted(tmp_path.iterdir()) == [existing]


def test_writable_a_directory(tmp_path):
    with pytest.raises(IngestionError) as excinfo:
        check_writable(tmp_path, "--warehouse")
    assert _message(excinfo) == (
        f"--warehouse {tmp_path}: is a directory; give a file in it, such as "
        f"{tmp_path / 'warehouse.duckdb'}"
    )


def test_writable_below_a_file(tmp_path):
    blocker = tmp_path / "data"
    blocker.write_text("")
    target = blocker / "sub" / "w.duckdb"
    with pytest.raises(IngestionError) as excinfo:
        check_writable(target, "--warehouse")
    assert _message(excinfo) == f"--warehouse {target}: {blocker} is a file, not a folder"


@pytest.mark.skipif(not Path("/proc/self").exists(), reason="Linux /proc")
def test_writable_under_proc():
    with pytest.raises(IngestionError) as excinfo:
        check_writable(Path("/proc/x/w.duckdb"), "--warehouse")
    assert _message(excinfo).startswith("--warehouse /proc/x/w.duckdb: cannot write there (")


@pytest.mark.skipif(IS_ROOT or sys.platform == "win32", reason="root writes everywhere")
def test_writable_read_only_folder_and_file(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    (folder / "w.duckdb").write_bytes(b"x")
    (folder / "w.duckdb").chmod(0o400)
    with pytest.raises(IngestionError) as excinfo:
        check_writable(folder / "w.duckdb", "--warehouse")
    assert _message(excinfo) == (
        f"--warehouse {folder / 'w.duckdb'}: cannot write there (Permission denied)"
    )
    folder.chmod(0o500)
    try:
        with pytest.raises(IngestionError) as excinfo:
            check_writable(folder / "new" / "w.duckdb", "--warehouse")
        assert _message(excinfo) == (
            f"--warehouse {folder / 'new' / 'w.duckdb'}: cannot write there (Permission denied)"
        )
    finally:
        folder.chmod(0o700)
        shutil.rmtree(folder)


# --- window ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "first", "message"),
    [
        (
            date(2024, 1, 5),
            date(2024, 1, 1),
            None,
            "--end 2024-01-01 is before --start 2024-01-05; swap them",
        ),
        (
            date(2009, 12, 31),
            date(2010, 1, 3),
            date(2010, 1, 1),
            "--start 2009-12-31 is before the first daily partition, 2010-01-01; choose a later "
            "day, or set CARERANK_FIRST_DAY earlier",
        ),
    ],
)
def test_window_mistake(start, end, first, message):
    with pytest.raises(IngestionError) as excinfo:
        check_window(start, end, first)
    assert _message(excinfo) == message


def test_window_valid():
    check_window(date(2024, 1, 1), date(2024, 1, 1))
    check_window(date(2010, 1, 1), date(2024, 1, 1), date(2010, 1, 1))


def test_writable_names_the_os_reason(tmp_path, monkeypatch):
    """The same line as a real refusal, for runs as root (which writes everywhere)."""

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("ingestion.preflight.tempfile.NamedTemporaryFile", refuse)
    target = tmp_path / "new" / "w.duckdb"
    with pytest.raises(IngestionError) as excinfo:
        check_writable(target, "--warehouse")
    assert _message(excinfo) == f"--warehouse {target}: cannot write there (Permission denied)"
    assert list(tmp_path.iterdir()) == []


def test_input_file_unreadable_names_the_os_reason(tmp_path, monkeypatch):
    """The same line as a real refusal, for runs as root (which reads everything)."""
    locked = tmp_path / "posts.jsonl"
    locked.write_text("{}\n")

    def refuse(self, *args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", refuse)
    with pytest.raises(IngestionError) as excinfo:
        check_input_files([locked])
    assert _message(excinfo) == f"{locked}: cannot read it (Permission denied)"
