"""The landing zone on S3, against a real S3-compatible server on loopback (moto's server mode):
the same files and views as a local landing zone, re-landing replaces a day cleanly, an upload
interrupted mid-way leaves every object as it was, and an unreachable endpoint or a missing
bucket is one clear line."""

from __future__ import annotations

import json
import socket
from datetime import date
from pathlib import Path

import duckdb
import pytest

import ingestion.storage
from ingestion.errors import IngestionError
from ingestion.landing import land_file
from ingestion.storage import LandingZone, s3_filesystem
from ingestion.warehouse import connect, refresh_raw_views
from tests.conftest import S3_TEST_ENV, run_cli

SECRET = S3_TEST_ENV["AWS_SECRET_ACCESS_KEY"]


def jsonl(path: Path, rows: list[tuple[str, str, str]], text: str = "x") -> Path:
    path.write_text(
        "".join(
            json.dumps(
                {"network": n, "post_id": i, "author_id": "a", "created_at": t, "text": text}
            )
            + "\n"
            for n, i, t in rows
        )
    )
    return path


ROWS = [
    ("twitter", "1", "2024-01-01T10:00:00Z"),
    ("twitter", "2", "2024-01-02T10:00:00Z"),
    ("bluesky", "3", "2024-01-02T23:59:59Z"),
]


@pytest.fixture
def zone(s3_endpoint, s3_bucket) -> LandingZone:
    return LandingZone(f"s3://{s3_bucket}/landing", s3_endpoint)


def objects(zone: LandingZone) -> dict[str, bytes]:
    """Every object of the bucket (the landing zone's and anything else), key -> content."""
    fs = zone.fs
    return {key: fs.cat_file(key) for key in sorted(fs.find(zone.bucket))}


def relative(zone: LandingZone, keys) -> set[str]:
    prefix = zone.location.removeprefix("s3://") + "/"
    return {key.removeprefix(prefix) for key in keys}


def test_same_files_and_views_as_a_local_landing_zone(zone, tmp_path):
    src = jsonl(tmp_path / "day.jsonl", ROWS)
    local = tmp_path / "landing"
    on_s3, on_disk = land_file(src, zone), land_file(src, local)
    assert on_s3.rows_by_partition == on_disk.rows_by_partition
    local_files = {str(p.relative_to(local)) for p in local.rglob("*") if p.is_file()}
    assert relative(zone, objects(zone)) == local_files - {p for p in local_files if "/." in p}
    assert relative(zone, objects(zone)) == {
        "posts/network=twitter/date=2024-01-01/day.jsonl.parquet",
        "posts/network=twitter/date=2024-01-02/day.jsonl.parquet",
        "posts/network=bluesky/date=2024-01-02/day.jsonl.parquet",
        "sources/day.jsonl.json",
    }
    views = {}
    for name, landing in (("s3", zone), ("local", local)):
        warehouse = tmp_path / f"{name}.duckdb"
        refresh_raw_views(warehouse, landing)
        with connect(warehouse, read_only=True, landing=LandingZone.of(landing)) as con:
            views[name] = (
                con.execute(
                    "select network, post_id, created_at, _source, _partition from raw.posts "
                    "order by all"
                ).fetchall(),
                con.execute("select source, records, landed from audit.landed_sources").fetchall(),
                con.execute("select count(*) from audit.quarantine").fetchall(),
            )
    assert views["s3"] == views["local"]
    assert len(views["s3"][0]) == 3


def test_relanding_replaces_its_days_and_removes_stale_ones(zone, tmp_path):
    src = jsonl(tmp_path / "day.jsonl", ROWS)
    land_file(src, zone)
    # post 2 deleted upstream, post 1 edited: the window's days are replaced, day 2 of twitter goes
    jsonl(src, [ROWS[0], ROWS[2]], text="edited")
    again = land_file(src, zone, start=date(2024, 1, 1), end=date(2024, 1, 2))
    assert again.removed_partitions == [("twitter", date(2024, 1, 2))]
    assert "posts/network=twitter/date=2024-01-02/day.jsonl.parquet" not in relative(
        zone, objects(zone)
    )
    warehouse = tmp_path / "wh.duckdb"
    refresh_raw_views(warehouse, zone)
    with connect(warehouse, read_only=True, landing=zone) as con:
        rows = con.execute("select post_id, text from raw.posts order by 1").fetchall()
    assert rows == [("1", "edited"), ("3", "edited")]
    # the same landing again changes nothing but the landing time
    before = relative(zone, objects(zone))
    land_file(src, zone, start=date(2024, 1, 1), end=date(2024, 1, 2))
    assert relative(zone, objects(zone)) == before


def test_quarantine_is_written_and_cleared(zone, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(jsonl(tmp_path / "ok.jsonl", ROWS).read_text() + '{"network": "twitter"}\n')
    land_file(bad, zone)
    assert "quarantine/bad.jsonl.parquet" in relative(zone, objects(zone))
    jsonl(bad, ROWS)
    land_file(bad, zone)
    assert "quarantine/bad.jsonl.parquet" not in relative(zone, objects(zone))


def fail_on(monkeypatch, zone: LandingZone, method: str, call: int) -> list[str]:
    """Make the ``call``-th request ``method`` to the store fail as a dropped connection does;
    return the requests made."""
    fs = zone.fs
    real = fs._call_s3
    made: list[str] = []

    async def call_s3(name, *args, **kwargs):
        made.append(name)
        if name == method and made.count(name) == call:
            raise ConnectionResetError("connection reset by peer")
        return await real(name, *args, **kwargs)

    monkeypatch.setattr(fs, "_call_s3", call_s3)
    return made


def readable(zone: LandingZone) -> int:
    """Rows of every landed Parquet object: fails on an object that is not a whole file."""
    with duckdb.connect() as con:
        zone.register(con)
        return con.execute(
            f"select count(*) from read_parquet('{zone.url('posts/*/*/*.parquet')}')"
        ).fetchone()[0]


def test_an_upload_interrupted_mid_way_leaves_every_object_as_it_was(zone, tmp_path, monkeypatch):
    src = jsonl(tmp_path / "day.jsonl", ROWS)
    land_file(src, zone)
    landed = objects(zone)
    # the next landing uploads in parts (tiny ones), and the connection drops at the second part
    big = [("twitter", str(i), "2024-01-02T12:00:00Z") for i in range(10, 400)]
    jsonl(src, ROWS + big, text="a longer text " * 20)
    monkeypatch.setattr(ingestion.storage, "UPLOAD_PART_SIZE", 1024)
    made = fail_on(monkeypatch, zone, "upload_part", 2)
    with pytest.raises(IngestionError) as failed:
        land_file(src, zone)
    monkeypatch.undo()
    assert "create_multipart_upload" in made and "complete_multipart_upload" not in made
    assert "abort_multipart_upload" in made
    message = str(failed.value)
    assert zone.location in message and "\n" not in message and SECRET not in message
    # nothing of the interrupted landing is visible: the same keys, the same bytes, no upload
    # left open, and the earlier days read as before
    assert objects(zone) == landed
    uploads = zone.fs.call_s3("list_multipart_uploads", Bucket=zone.bucket)
    assert not uploads.get("Uploads")
    assert readable(zone) == 3


def test_an_interruption_between_files_leaves_whole_files_and_the_old_source_record(
    zone, tmp_path, monkeypatch
):
    src = jsonl(tmp_path / "day.jsonl", ROWS)
    land_file(src, zone)
    landed = objects(zone)
    jsonl(src, ROWS, text="second export")
    fail_on(monkeypatch, zone, "put_object", 2)  # the first day goes up, the second does not
    with pytest.raises(IngestionError):
        land_file(src, zone)
    monkeypatch.undo()
    now = objects(zone)
    assert now.keys() == landed.keys()
    changed = {key for key in now if now[key] != landed[key]}
    assert len(changed) == 1 and changed.pop().endswith(".parquet")
    # the source record, written last, still describes the earlier landing
    source_record = next(key for key in now if key.endswith("sources/day.jsonl.json"))
    assert now[source_record] == landed[source_record]
    assert readable(zone) == 3
    # landing again completes it
    land_file(src, zone)
    warehouse = tmp_path / "wh.duckdb"
    refresh_raw_views(warehouse, zone)
    with connect(warehouse, read_only=True, landing=zone) as con:
        texts = con.execute("select distinct text from raw.posts").fetchall()
    assert texts == [("second export",)]


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_missing_bucket_and_unreachable_endpoint_are_one_line(s3_endpoint, tmp_path):
    src = jsonl(tmp_path / "day.jsonl", ROWS)
    missing = LandingZone("s3://no-such-bucket/landing", s3_endpoint)
    with pytest.raises(IngestionError, match="bucket 'no-such-bucket' does not exist"):
        missing.check_reachable()
    with pytest.raises(IngestionError, match="no-such-bucket"):
        land_file(src, missing)
    down = LandingZone("s3://bucket/landing", f"http://127.0.0.1:{closed_port()}")
    with pytest.raises(IngestionError, match=r"cannot reach the S3 endpoint http://127\.0\.0\.1:"):
        down.check_reachable()


def test_the_command_line_stops_before_writing_when_the_bucket_is_missing(s3_endpoint, tmp_path):
    src = jsonl(tmp_path / "day.jsonl", ROWS)
    warehouse = tmp_path / "data" / "warehouse.duckdb"
    result = run_cli(
        "run",
        "--input",
        str(src),
        env={
            "CARERANK_WAREHOUSE": str(warehouse),
            "CARERANK_LANDING_DIR": "s3://no-such-bucket/landing",
            "CARERANK_S3_ENDPOINT_URL": s3_endpoint,
        },
        timeout=300,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "no-such-bucket" in lines[0] and "does not exist" in lines[0]
    assert "Traceback" not in result.stderr and SECRET not in result.stdout + result.stderr
    assert not warehouse.exists()


def test_the_settings_keep_an_s3_url_whole():
    from orchestration.settings import load_settings

    settings = load_settings(
        environ={
            "CARERANK_LANDING_DIR": "s3://bucket/some/prefix/",
            "CARERANK_S3_ENDPOINT_URL": "http://127.0.0.1:9000",
        }
    ).settings
    assert settings.landing() == LandingZone("s3://bucket/some/prefix", "http://127.0.0.1:9000")
    assert s3_filesystem("http://127.0.0.1:9000") is settings.landing().fs


def test_missing_credentials_are_one_line(s3_endpoint, monkeypatch):
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    # a filesystem of its own (another spelling of the endpoint): the cached one has its keys
    zone = LandingZone("s3://bucket/landing", s3_endpoint + "/")
    with pytest.raises(IngestionError, match="no S3 credentials") as failed:
        zone.check_reachable()
    assert "\n" not in str(failed.value)


def test_schema_drift_reads_the_objects(zone, tmp_path):
    """The monitoring check reads the landed objects' schemas through the same filesystem."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from orchestration.monitoring_rules import schema_drift

    land_file(jsonl(tmp_path / "ok.jsonl", ROWS), zone)
    assert schema_drift(zone).empty
    alien = tmp_path / "alien.parquet"
    pq.write_table(pa.table({"network": ["twitter"], "post_id": ["9"], "extra": [1]}), alien)
    zone.put(alien, "posts/network=twitter/date=2024-01-01/alien.parquet")
    drift = schema_drift(zone)
    assert list(drift["file_name"]) == [
        zone.url("posts/network=twitter/date=2024-01-01/alien.parquet")
    ]
    assert "extra" in drift["unexpected"][0]
    assert schema_drift(zone, date(2024, 1, 2), date(2024, 1, 2)).empty
