"""The bad-input corpus (tests/ingestion/bad_inputs): every file ends in a clear one-line error or
in quarantine rows with a reason, never in a crash, and its valid records still land."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from ingestion.errors import IngestionError
from ingestion.landing import land_file

CORPUS = Path(__file__).parent / "bad_inputs"

# file -> (records landed, quarantine rules) or the start of the error message
EXPECTED: dict[str, tuple[int, dict[str, int]] | str] = {
    "wrong_encoding.csv": (1, {"malformed CSV line: INVALID ENCODING": 1}),
    # shifted left: a column short; shifted right: the date lands in another column
    "shifted_columns.csv": (
        1,
        {"malformed CSV line: MISSING COLUMNS": 1, "unparsable created_at": 1},
    ),
    "scientific_ids.csv": (1, {"tweet_id in scientific notation (digits lost)": 1}),
    "far_future.csv": (1, {"created_at in the future": 1}),
    "truncated.csv": (1, {"malformed CSV line: MISSING COLUMNS": 1}),
    "truncated.jsonl": (1, {"malformed JSON": 1}),
    # an array id is no id, an object author is no author, a boolean is no time
    "wrong_types.jsonl": (
        2,
        {"missing post_id": 1, "missing author_id": 1, "unparsable created_at": 1},
    ),
    "wrong_encoding.jsonl": (1, {"malformed line: INVALID ENCODING": 1}),
    "empty.jsonl": (0, {}),
    "empty.csv": "not a TWCS file: missing column(s)",
    "not_twcs.csv": "not a TWCS file: missing column(s)",
    "corrupt.parquet": "not a readable Parquet file",
}


def test_the_corpus_is_covered():
    assert {p.name for p in CORPUS.iterdir() if p.is_file()} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_input(name, tmp_path):
    expected = EXPECTED[name]
    if isinstance(expected, str):
        with pytest.raises(IngestionError) as info:
            land_file(CORPUS / name, tmp_path)
        assert expected in str(info.value) and "\n" not in str(info.value)
        return
    landed, rules = expected
    result = land_file(CORPUS / name, tmp_path)
    assert (result.landed, result.quarantine_reasons) == (landed, rules)
    if rules:
        quarantine = duckdb.execute(
            "select rule, raw_record from read_parquet(?)",
            [str(tmp_path / "quarantine" / f"{name}.parquet")],
        ).fetchall()
        assert len(quarantine) == sum(rules.values())
        assert all(raw for _, raw in quarantine)  # the record as read is kept


def test_a_100_mb_single_line(tmp_path):
    huge = tmp_path / "huge.jsonl"
    with huge.open("w") as handle:
        handle.write(
            '{"network": "twitter", "post_id": "1", "author_id": "a", '
            '"created_at": "2024-01-01T00:00:00Z", "text": "'
        )
        handle.write("x" * 100_000_000)
        handle.write(
            '"}\n{"network": "twitter", "post_id": "2", "author_id": "a", '
            '"created_at": "2024-01-01T00:00:00Z"}\n'
        )
    result = land_file(huge, tmp_path / "landing")
    assert result.landed == 2
