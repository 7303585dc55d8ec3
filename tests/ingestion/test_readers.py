"""Readers: every accepted spelling of the formats, and every broken record kept with a reason."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from ingestion.errors import IngestionError
from ingestion.landing import land_file, scan_days

TWCS_HEADER = "tweet_id,author_id,inbound,created_at,text,response_tweet_id,in_response_to_tweet_id"


def landed(landing: Path) -> pd.DataFrame:
    files = sorted((landing / "posts").rglob("*.parquet"))
    if not files:
        return pd.DataFrame()
    return duckdb.execute(
        "select * from read_parquet(?, hive_partitioning=false) order by post_id",
        [[str(f) for f in files]],
    ).df()


def quarantined(landing: Path) -> pd.DataFrame:
    files = sorted((landing / "quarantine").glob("*.parquet"))
    if not files:
        return pd.DataFrame(columns=["rule", "_record_number", "raw_record"])
    return duckdb.execute("select * from read_parquet(?)", [[str(f) for f in files]]).df()


def write(path: Path, content: str | bytes) -> Path:
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def test_twcs_spellings(tmp_path):
    src = write(
        tmp_path / "twcs.csv",
        "idx," + TWCS_HEADER + ",extra\r\n"
        '0,1.0,sprintcare,False,Tue Oct 31 22:10:47 +0000 2017,"@115712 hi\r there",2,3.0,x\r\n'
        "1,2,115712,TRUE,Tue Oct 31 22:11:45 +0000 2017,@SprintCare and how\r do we,,1,y\n"
        '2,3,115712,true,Tue Oct 31 22:08:27 +0000 2017,"multi\nline, text",1,,\n'
        "3,4,115712,FALSE,Wed Nov 01 00:00:01 +0100 2017,plain,,,\n",
    )
    result = land_file(src, tmp_path / "landing", fmt="twcs")
    df = landed(tmp_path / "landing")
    assert result.landed == 4 and result.quarantined == 0
    by_id = df.set_index("post_id")
    assert list(by_id.index) == ["1", "2", "3", "4"]
    assert by_id.loc["1", "in_reply_to_post_id"] == "3"  # 3.0 -> 3
    assert bool(by_id.loc["1", "author_is_brand"]) and not bool(by_id.loc["2", "author_is_brand"])
    assert bool(by_id.loc["4", "author_is_brand"])
    assert list(by_id.loc["2", "mentioned_handles"]) == ["sprintcare"]
    assert by_id.loc["3", "text"] == "multi\nline, text"
    assert "\r" not in by_id.loc["2", "text"]
    # +0100 is converted to UTC and lands on the UTC day
    assert by_id.loc["4", "created_at"] == pd.Timestamp("2017-10-31 23:00:01", tz="UTC")
    assert pd.Timestamp(by_id.loc["4", "_partition"]) == pd.Timestamp("2017-10-31")
    assert set(df["network"]) == {"twitter"}


def test_twcs_bad_rows_go_to_quarantine_and_good_rows_stay(tmp_path):
    src = write(
        tmp_path / "bad.csv",
        TWCS_HEADER + "\n"
        "1,acme,False,Tue Oct 31 22:10:47 +0000 2017,ok,,\n"
        ",acme,False,Tue Oct 31 22:10:47 +0000 2017,no id,,\n"
        "3,acme,maybe,Tue Oct 31 22:10:47 +0000 2017,bad flag,,\n"
        "4,acme,False,yesterday,bad date,,\n"
        "5,acme,False,Tue Oct 31 22:10:47 +0000 2017,too,many,columns,here\n"
        "1.2e+17,acme,False,Tue Oct 31 22:10:47 +0000 2017,sci id,,\n"
        "7,,True,Tue Oct 31 22:10:47 +0000 2017,no author,,\n",
    )
    result = land_file(src, tmp_path / "landing")
    assert result.landed == 1
    q = quarantined(tmp_path / "landing")
    assert sorted(q["rule"]) == sorted(
        [
            "missing tweet_id",
            "inbound is not True/False",
            "unparsable created_at",
            "malformed CSV line: TOO MANY COLUMNS",
            "tweet_id in scientific notation (digits lost)",
            "missing author_id",
        ]
    )
    assert q["raw_record"].notna().all()
    # the rows whose date was readable count against their day, the others as unknown
    assert result.quarantine_by_partition == {"2017-10-31": 4, "unknown": 2}


def test_twcs_missing_columns_is_one_clear_error(tmp_path):
    src = write(tmp_path / "other.csv", "a,b,c\n1,2,3\n")
    with pytest.raises(IngestionError, match="not a TWCS file: missing column"):
        land_file(src, tmp_path / "landing")


def test_unknown_format_and_missing_file(tmp_path):
    with pytest.raises(IngestionError, match="cannot tell the format"):
        land_file(write(tmp_path / "x.txt", "hello"), tmp_path / "landing")
    with pytest.raises(IngestionError, match="no such file"):
        land_file(tmp_path / "absent.jsonl", tmp_path / "landing")


def test_jsonl_offsets_types_and_rejects(tmp_path):
    records = [
        {
            "network": "Twitter",
            "post_id": 10,
            "author_id": 7,
            "author_handle": "@Alice",
            "created_at": "2024-03-01T01:30:00+02:00",
            "text": "@Acme hello?",
            "mentioned_handles": ["@Other"],
        },
        {
            "network": "bluesky",
            "post_id": "at://x/1",
            "author_id": "did:plc:a",
            "created_at": "2024-03-01T12:00:00Z",
            "text": "hi @acme.bsky.social.",
        },
        {"network": "twitter", "post_id": "11", "author_id": "7", "created_at": 1709251200},
        {
            "network": "twitter",
            "post_id": {"nested": 1},
            "author_id": "7",
            "created_at": "2024-03-01",
        },
        {"network": "twitter", "post_id": "12", "author_id": "7", "created_at": "not a date"},
    ]
    lines = [json.dumps(r) for r in records] + ["{broken", "", "[1, 2]"]
    src = write(tmp_path / "posts.jsonl", "\n".join(lines) + "\n")
    result = land_file(src, tmp_path / "landing")
    df = landed(tmp_path / "landing").set_index("post_id")
    assert result.landed == 3
    assert df.loc["10", "network"] == "twitter"
    assert df.loc["10", "author_handle"] == "Alice"
    assert df.loc["10", "created_at"] == pd.Timestamp("2024-02-29 23:30:00", tz="UTC")
    assert pd.Timestamp(df.loc["10", "_partition"]) == pd.Timestamp("2024-02-29")
    assert list(df.loc["10", "mentioned_handles"]) == ["acme", "other"]
    assert list(df.loc["at://x/1", "mentioned_handles"]) == ["acme.bsky.social"]
    assert df.loc["11", "created_at"] == pd.Timestamp("2024-03-01", tz="UTC")  # epoch seconds
    q = quarantined(tmp_path / "landing")
    assert sorted(q["rule"]) == sorted(
        ["missing post_id", "unparsable created_at", "malformed JSON", "not a JSON object"]
    )
    assert "{broken" in set(q["raw_record"])


def test_parquet_reader(tmp_path):
    df = pd.DataFrame(
        {
            "network": ["twitter", "twitter"],
            "post_id": ["1", None],
            "author_id": ["a", "b"],
            "created_at": [
                datetime(2024, 5, 1, 23, 59, tzinfo=UTC),
                datetime(2024, 5, 2, tzinfo=UTC),
            ],
            "text": ["@Brand?", "x"],
            "ignored_column": [1, 2],
        }
    )
    src = tmp_path / "posts.parquet"
    df.to_parquet(src)
    result = land_file(src, tmp_path / "landing")
    out = landed(tmp_path / "landing")
    assert result.landed == 1 and result.quarantined == 1
    assert list(out["mentioned_handles"][0]) == ["brand"]
    assert scan_days(src) == (date(2024, 5, 1), date(2024, 5, 1))
