"""Landing: one file per source x network x day, replaced on re-landing, windows respected."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import duckdb
import pytest

from ingestion.landing import land_file, partition_path
from ingestion.warehouse import refresh_raw_views
from tests.conftest import REPO


def jsonl(path: Path, rows: list[tuple[str, str, str]]) -> Path:
    path.write_text(
        "\n".join(
            json.dumps({"network": n, "post_id": i, "author_id": "a", "created_at": t, "text": "x"})
            for n, i, t in rows
        )
        + "\n"
    )
    return path


def test_partition_layout_and_replacement(tmp_path):
    landing = tmp_path / "landing"
    src = jsonl(
        tmp_path / "day.jsonl",
        [
            ("twitter", "1", "2024-01-01T10:00:00Z"),
            ("twitter", "2", "2024-01-02T10:00:00Z"),
            ("bluesky", "3", "2024-01-02T23:59:59Z"),
        ],
    )
    result = land_file(src, landing)
    assert result.rows_by_partition == {
        ("twitter", date(2024, 1, 1)): 1,
        ("twitter", date(2024, 1, 2)): 1,
        ("bluesky", date(2024, 1, 2)): 1,
    }
    assert partition_path(landing, "twitter", date(2024, 1, 1), "day.jsonl").exists()
    # the source drops post 2 (deleted upstream) and lands again for the whole window
    jsonl(src, [("twitter", "1", "2024-01-01T10:00:00Z"), ("bluesky", "3", "2024-01-02T23:59:59Z")])
    again = land_file(src, landing, start=date(2024, 1, 1), end=date(2024, 1, 2))
    assert ("twitter", date(2024, 1, 2)) in again.removed_partitions
    assert not partition_path(landing, "twitter", date(2024, 1, 2), "day.jsonl").exists()
    assert not any((landing / ".tmp").rglob("*.parquet"))


def test_window_lands_only_its_days(tmp_path):
    landing = tmp_path / "landing"
    src = jsonl(
        tmp_path / "x.jsonl",
        [
            ("twitter", "1", "2024-01-01T10:00:00Z"),
            ("twitter", "2", "2024-01-03T10:00:00Z"),
        ],
    )
    result = land_file(src, landing, start=date(2024, 1, 3), end=date(2024, 1, 3))
    assert result.landed == 1 and result.outside_window == 1
    assert not partition_path(landing, "twitter", date(2024, 1, 1), "x.jsonl").exists()


def test_sources_accumulate_and_raw_view_sees_all(tmp_path):
    landing, warehouse = tmp_path / "landing", tmp_path / "wh.duckdb"
    refresh_raw_views(warehouse, landing)  # an empty landing zone gives empty, typed views
    with duckdb.connect(str(warehouse)) as con:
        assert con.execute("select count(*) from raw.posts").fetchone()[0] == 0
        assert con.execute("select count(*) from audit.quarantine").fetchone()[0] == 0
    land_file(jsonl(tmp_path / "a.jsonl", [("twitter", "1", "2024-01-01T10:00:00Z")]), landing)
    land_file(jsonl(tmp_path / "b.jsonl", [("twitter", "1", "2024-01-01T10:00:00Z")]), landing)
    refresh_raw_views(warehouse, landing)
    with duckdb.connect(str(warehouse)) as con:
        rows = con.execute("select _source, post_id from raw.posts order by 1").fetchall()
    assert rows == [("a.jsonl", "1"), ("b.jsonl", "1")]


def test_new_warehouse_is_readable_by_duckdb_1x(tmp_path):
    warehouse = tmp_path / "wh.duckdb"
    refresh_raw_views(warehouse, tmp_path / "landing")
    with duckdb.connect(str(warehouse), read_only=True) as con:
        tags = dict(con.execute("select database_name, tags from duckdb_databases()").fetchall())
    assert tags["wh"]["storage_version"].startswith("v1.")


def test_too_many_rejects_land_nothing_but_keep_the_quarantine(tmp_path):
    import pytest

    from ingestion.landing import QuarantineThresholdError

    landing = tmp_path / "landing"
    src = tmp_path / "half.jsonl"
    src.write_text(
        '{"network": "twitter", "post_id": "1", "author_id": "a", "created_at": "2024-01-01"}\n'
        '{"network": "twitter", "author_id": "a", "created_at": "2024-01-01"}\n'
    )
    with pytest.raises(
        QuarantineThresholdError, match=r"1 of 2 records quarantined .*missing post_id"
    ):
        land_file(src, landing, max_quarantine_share=0.01)
    assert not any((landing / "posts").rglob("*.parquet"))
    assert (landing / "quarantine" / "half.jsonl.parquet").exists()
    assert land_file(src, landing, max_quarantine_share=0.5).landed == 1


def test_landing_reads_what_the_scan_parsed(tmp_path, monkeypatch):
    """`carerank run` scans an input for its days, then lands it: the second read is the
    first's parsed records, not another parse, and lands exactly what a fresh landing does; a
    file changed in between is read again."""
    from ingestion import landing as landing_module

    src = jsonl(
        tmp_path / "posts.jsonl",
        [("twitter", "1", "2024-01-01T10:00:00Z"), ("twitter", "2", "2024-01-03T10:00:00Z")],
    )
    with (tmp_path / "posts.jsonl").open("a") as handle:
        handle.write("not json\n")
    fresh = land_file(src, tmp_path / "fresh")
    assert landing_module.scan_days(src) == (date(2024, 1, 1), date(2024, 1, 3))

    def no_second_parse(*args, **kwargs):
        raise AssertionError("the input was parsed again")

    monkeypatch.setattr(landing_module, "reader_query", no_second_parse)
    reused = land_file(src, tmp_path / "reused")
    assert reused.rows_by_partition == fresh.rows_by_partition
    assert reused.quarantine_reasons == fresh.quarantine_reasons == {"malformed JSON": 1}
    with duckdb.connect() as con:
        rows = [
            con.execute(
                "select * exclude (_ingested_at) from read_parquet(?) order by all",
                [str(tmp_path / name / "posts" / "**" / "*.parquet")],
            ).fetchall()
            for name in ("fresh", "reused")
        ]
    assert rows[0] == rows[1] and len(rows[0]) == 2

    jsonl(src, [("twitter", "9", "2024-02-01T10:00:00Z")])
    monkeypatch.undo()
    changed = land_file(src, tmp_path / "changed")
    assert changed.rows_by_partition == {("twitter", date(2024, 2, 1)): 1}


def test_an_input_parsed_in_the_background_is_not_parsed_again(tmp_path, monkeypatch):
    """`carerank run` parses its inputs on a thread while it imports its libraries: the scan and
    the landing then read that parse, and land what a landing of their own would."""
    from ingestion import landing as landing_module

    src = jsonl(
        tmp_path / "posts.jsonl",
        [("twitter", "1", "2024-03-01T10:00:00Z"), ("bluesky", "2", "2024-03-02T10:00:00Z")],
    )
    fresh = land_file(src, tmp_path / "fresh")
    parses = []
    parse = landing_module.reader_query

    def counted_parse(*args, **kwargs):
        parses.append(threading.current_thread().name)
        return parse(*args, **kwargs)

    monkeypatch.setattr(landing_module, "reader_query", counted_parse)
    landing_module.parse_in_background([src, tmp_path / "missing.jsonl"])
    assert landing_module.scan_days(src) == (date(2024, 3, 1), date(2024, 3, 2))
    assert land_file(src, tmp_path / "reused").rows_by_partition == fresh.rows_by_partition
    assert len(parses) == 1 and parses[0].startswith("carerank-parse")


def test_an_input_the_background_could_not_parse_fails_where_it_is_read(tmp_path):
    """A file the background parse fails on gives its own one-line error when the run reads it,
    as if nothing had been parsed before."""
    from ingestion import landing as landing_module
    from ingestion.errors import IngestionError

    src = tmp_path / "posts.csv"
    src.write_text("just,a,table\n1,2,3\n")
    landing_module.parse_in_background([src])
    with pytest.raises(IngestionError) as raised:
        landing_module.scan_days(src)
    with pytest.raises(IngestionError) as again:
        land_file(src, tmp_path / "landing")
    assert "\n" not in str(raised.value)
    assert str(raised.value) == str(again.value)


def test_a_command_that_stops_does_not_wait_for_its_background_parse(tmp_path):
    """A run stopped while its input is still being parsed (an error, Ctrl-C) ends at once: the
    parse of an input that never finishes (a pipe nobody writes to) does not hold the process."""
    fifo = tmp_path / "never.jsonl"
    os.mkfifo(fifo)
    script = (
        "from pathlib import Path\n"
        "from ingestion.landing import parse_in_background\n"
        f"parse_in_background([Path({str(fifo)!r})], 'jsonl')\n"
        "raise SystemExit(3)\n"
    )
    stopped = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, timeout=120, capture_output=True
    )
    assert stopped.returncode == 3, stopped.stderr


def test_a_command_interrupted_while_its_input_is_parsed_ends_cleanly(tmp_path):
    """Ctrl-C while DuckDB still parses the input in the background: the parse is interrupted
    and the process ends as an interrupted command does, not aborted by DuckDB."""
    line = json.dumps(
        {
            "network": "twitter",
            "post_id": "1",
            "author_id": "a",
            "created_at": "2024-01-01",
            "text": "x" * 200,
        }
    )
    big = tmp_path / "big.jsonl"
    big.write_text((line + "\n") * 1_000_000)
    script = (
        "import time\n"
        "from pathlib import Path\n"
        "from ingestion.landing import parse_in_background\n"
        f"parse_in_background([Path({str(big)!r})], 'jsonl')\n"
        "time.sleep(0.2)\n"
        "raise KeyboardInterrupt\n"
    )
    stopped = subprocess.run(
        [sys.executable, "-c", script], cwd=REPO, timeout=120, capture_output=True, text=True
    )
    big.unlink()  # 230 MB that pytest would keep with the last runs' folders
    # the status of a Python program that Ctrl-C stopped: ended by SIGINT
    assert stopped.returncode == -signal.SIGINT, stopped.stderr
    assert "FATAL" not in stopped.stderr and "terminate called" not in stopped.stderr
