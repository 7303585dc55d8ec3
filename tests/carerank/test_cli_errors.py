"""Bad invocations end in one clear line, not a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_cli


def test_missing_input_file(tmp_path):
    result = run_cli(
        "run", "--input", str(tmp_path / "nope.csv"), "--warehouse", str(tmp_path / "w.duckdb")
    )
    assert result.returncode == 2
    assert "no such file" in result.stderr and "Traceback" not in result.stderr


def test_unknown_format(tmp_path):
    src = tmp_path / "data.txt"
    src.write_text("hello\n")
    result = run_cli("run", "--input", str(src), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert "cannot tell the format" in result.stderr and "Traceback" not in result.stderr


def test_not_a_twcs_file(tmp_path):
    src = tmp_path / "data.csv"
    src.write_text("a,b\n1,2\n")
    result = run_cli("run", "--input", str(src), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 2
    assert "missing column" in result.stderr and "Traceback" not in result.stderr


def test_bad_registry_file(tmp_path):
    brands = tmp_path / "brands.csv"
    brands.write_text("id,name\n")
    src = tmp_path / "p.jsonl"
    src.write_text("")
    result = run_cli("run", "--input", str(src), "--brands", str(brands))
    assert result.returncode == 2 and "brands.csv:1: missing column(s) brand_id" in result.stderr


def test_ranking_before_the_first_publication(tmp_path):
    result = run_cli("ranking", "--warehouse", str(tmp_path / "absent.duckdb"))
    assert result.returncode == 2 and "no published ranking" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_mostly_broken_file_fails_the_run_with_the_reason(tmp_path):
    src = tmp_path / "broken.jsonl"
    src.write_text(
        '{"network": "twitter", "post_id": "1", "author_id": "a", "created_at": "2024-01-01"}\n'
        + "{not json\n" * 3
    )
    result = run_cli("run", "--input", str(src), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 1
    assert "3 of 4 records quarantined" in result.stderr and "malformed JSON: 3" in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "quarantined 3" in result.stdout


REGISTRY = Path(__file__).resolve().parent.parent / "ingestion" / "bad_inputs" / "registry"
POST = '{"network": "twitter", "post_id": "1", "author_id": "a", "created_at": "2024-01-01"}\n'


@pytest.mark.parametrize(
    ("brands", "accounts", "expected"),
    [
        ("valid_brands.csv", "accounts_missing_account_id.csv", ":1: missing column(s) account_id"),
        ("valid_brands.csv", "accounts_unknown_brand.csv", ":3: brand_id 'acmee' is not in"),
        ("valid_brands.csv", "accounts_unknown_network.csv", ":2: unknown network 'tiktok'"),
        ("valid_brands.csv", "accounts_unknown_timezone.csv", "time zone 'Mars/Olympus' is not"),
        ("brands_duplicate_column.csv", "valid_accounts.csv", "column 'brand_id' appears twice"),
        (
            "valid_brands.csv",
            "accounts_malformed_business_hours.csv",
            ":3: business_hours 'mon-fri 8:00-20:00; sat 09:00-1400'",
        ),
    ],
)
def test_a_wrong_registry_is_one_line_before_anything_runs(tmp_path, brands, accounts, expected):
    src = tmp_path / "posts.jsonl"
    src.write_text(POST)
    warehouse = tmp_path / "w.duckdb"
    result = run_cli(
        "run",
        "--input",
        str(src),
        "--brands",
        str(REGISTRY / brands),
        "--accounts",
        str(REGISTRY / accounts),
        "--warehouse",
        str(warehouse),
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "landing").exists()  # checked before anything ran


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--start", "2024-13-01"], "--start '2024-13-01' is not a date; write it as YYYY-MM-DD"),
        (["--start", "2024-03-05", "--end", "2024-03-01"], "--end 2024-03-01 is before --start"),
        (["--input", "{tmp}"], "is a directory; give a file"),
        (["--warehouse", "{tmp}/file.txt/w.duckdb"], "file.txt is a file, not a folder"),
    ],
)
def test_mistakes_on_the_command_line_are_one_line(tmp_path, args, expected):
    (tmp_path / "file.txt").write_text("")
    src = tmp_path / "posts.jsonl"
    src.write_text(POST)
    args = [a.replace("{tmp}", str(tmp_path)) for a in args]
    defaults = {"--input": str(src), "--warehouse": str(tmp_path / "w.duckdb")}
    for option, value in defaults.items():
        if option not in args:
            args += [option, value]
    result = run_cli("run", *args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert expected in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_version():
    result = run_cli("--version")
    assert result.returncode == 0 and result.stdout.startswith("carerank ")
