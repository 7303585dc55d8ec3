"""The public holidays table the business time excludes, from the holidays library."""

import csv
from pathlib import Path

from ingestion.public_holidays import (
    SEEDS_DIR,
    brand_countries,
    holiday_rows,
    holidays_csv,
    write_holidays,
)


def test_national_holidays_of_the_countries_asked():
    rows = holiday_rows(["de", " DE", "GB", "unknown", ""], years=[2024])
    assert ("DE", "2024-10-03", "German Unity Day") in rows
    assert ("GB", "2024-12-25", "Christmas Day") in rows
    assert {country for country, _, _ in rows} == {"DE", "GB"}
    assert rows == sorted(rows)


def test_the_file_is_written_once_and_rewritten_when_the_countries_change(tmp_path):
    brands = tmp_path / "brands.csv"
    brands.write_text(" Country ,brand_id\nDE,a\nFR,b\n", encoding="utf-8")
    assert brand_countries(brands) == {"DE", "FR"}
    target = write_holidays(brands, tmp_path / "registry" / "public_holidays.csv")
    stamp = target.stat().st_mtime_ns
    assert write_holidays(brands, target).stat().st_mtime_ns == stamp  # unchanged: not touched
    brands.write_text("country,brand_id\nDE,a\n", encoding="utf-8")
    write_holidays(brands, target)
    with target.open(encoding="utf-8") as handle:
        assert {row["country"] for row in csv.DictReader(handle)} == {"DE"}


def test_the_seed_is_the_librarys_table_for_the_seed_brands():
    expected = holidays_csv(brand_countries(SEEDS_DIR / "brands.csv"))
    seed = Path(SEEDS_DIR / "public_holidays.csv").read_text(encoding="utf-8")
    assert seed == expected, "regenerate it: python -m ingestion.public_holidays"


def test_the_table_is_recomputed_only_when_the_countries_change(tmp_path, monkeypatch) -> None:
    """A run with the same brands reads the key beside the table and computes nothing; another
    country computes it again."""
    from ingestion import public_holidays

    brands = tmp_path / "brands.csv"
    brands.write_text("brand_id,country\na,DE\nb,FR\n")
    target = tmp_path / "registry" / "public_holidays.csv"
    public_holidays.write_holidays(brands, target)
    first = target.read_text()
    assert "DE," in first and "FR," in first

    def no_recompute(countries, years=public_holidays.YEARS):
        raise AssertionError("recomputed although the countries did not change")

    monkeypatch.setattr(public_holidays, "holiday_rows", no_recompute)
    assert public_holidays.write_holidays(brands, target).read_text() == first

    monkeypatch.undo()
    brands.write_text("brand_id,country\na,DE\nb,AT\n")
    public_holidays.write_holidays(brands, target)
    assert "AT," in target.read_text() and "FR," not in target.read_text()
