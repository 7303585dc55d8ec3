"""Bad invocations end in one clear line, not a traceback."""

from __future__ import annotations

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
    assert result.returncode == 2 and "--brands" in result.stderr


def test_ranking_without_warehouse(tmp_path):
    result = run_cli("ranking", "--warehouse", str(tmp_path / "absent.duckdb"))
    assert result.returncode == 2 and "run `carerank run` first" in result.stderr


def test_a_mostly_broken_file_fails_the_run_with_the_reason(tmp_path):
    src = tmp_path / "broken.jsonl"
    src.write_text(
        '{"network": "twitter", "post_id": "1", "author_id": "a", "created_at": "2024-01-01"}\n'
        + "{not json\n" * 3
    )
    result = run_cli("run", "--input", str(src), "--warehouse", str(tmp_path / "w.duckdb"))
    assert result.returncode == 1
    assert "3 of 4 records quarantined" in result.stderr and "malformed JSON: 3" in result.stderr
    assert "Traceback" not in result.stderr
