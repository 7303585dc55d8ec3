"""DuckDB's memory limit: every database carerank opens takes the setting, and a parse larger
than the limit spills to disk and lands the same posts."""

from __future__ import annotations

import json
import tempfile

import duckdb
import pytest

from ingestion.duckdb_memory import memory_config
from ingestion.landing import land_file
from ingestion.warehouse import connect
from orchestration.settings import SettingsError, load_settings


def setting(con: duckdb.DuckDBPyConnection, name: str) -> str:
    return con.execute(f"select current_setting('{name}')").fetchone()[0]


def test_an_in_memory_database_spills_into_the_temporary_directory_not_the_working_folder():
    config = memory_config("512MB", in_memory=True)
    with duckdb.connect(config=config) as con:
        assert setting(con, "memory_limit") == "488.2 MiB"
        assert setting(con, "temp_directory").startswith(tempfile.gettempdir())
    assert memory_config(None) == {}
    with duckdb.connect(config=memory_config("80%", in_memory=True)) as con:
        assert (
            setting(con, "memory_limit")
            == duckdb.connect().execute("select current_setting('memory_limit')").fetchone()[0]
        )


def test_the_warehouse_opens_within_the_limit(tmp_path):
    with connect(tmp_path / "w.duckdb", memory_limit="1GB") as con:
        assert setting(con, "memory_limit") == "953.6 MiB"
        assert setting(con, "temp_directory") == str(tmp_path / "w.duckdb.tmp")


def test_a_limit_duckdb_cannot_read_is_a_settings_error(tmp_path):
    with pytest.raises(SettingsError, match="duckdb_memory_limit"):
        load_settings(environ={"CARERANK_DUCKDB_MEMORY_LIMIT": "lots"}, cwd=tmp_path)
    settings = load_settings(environ={"CARERANK_DUCKDB_MEMORY_LIMIT": "1.5 GiB"}, cwd=tmp_path)
    assert settings.settings.duckdb_memory_limit == "1.5 GiB"


def test_a_parse_larger_than_the_limit_spills_and_lands_the_same_posts(tmp_path):
    source = tmp_path / "posts.jsonl"
    with source.open("w") as out:
        for i in range(300_000):
            day = 1 + i % 28
            record = {
                "network": "twitter",
                "post_id": str(i),
                "author_id": f"a{i % 977}",
                "created_at": f"2024-02-{day:02d}T10:00:00Z",
                "text": f"@brand post number {i} " + "words " * 20,
            }
            out.write(json.dumps(record) + "\n")
    unlimited = land_file(source, tmp_path / "unlimited", source="s")
    limited = land_file(source, tmp_path / "limited", source="s", memory_limit="200MB")
    assert limited.rows_by_partition == unlimited.rows_by_partition
    assert sum(limited.rows_by_partition.values()) == 300_000
    with duckdb.connect() as con:
        posts = [
            con.execute(
                f"select count(*), sum(hash(post_id, text)) from "
                f"read_parquet('{tmp_path / zone}/posts/**/*.parquet')"
            ).fetchone()
            for zone in ("unlimited", "limited")
        ]
    assert posts[0] == posts[1]
