"""Public holidays per country, from the ``holidays`` library, as the CSV the models read.

A brand's care team is taken to be closed on its country's public holidays (national ones: a
region's would need the brand's region, which the registry does not hold). The table covers every
country of the brands registry in force over a fixed span of years, from the year social customer
care began to well past today, so that neither a new data year nor the date of the run changes
the table (and, through the settings fingerprint, rebuilds the warehouse).

The seed dbt_project/seeds/public_holidays.csv is this table for the seed's brands (regenerate it
with ``python -m ingestion.public_holidays``); a run with a user's brands file writes its own
beside the warehouse and hands it to dbt as var holidays_file.
"""

from __future__ import annotations

import csv
import io
import os
import sys
from collections.abc import Iterable
from importlib.metadata import version
from pathlib import Path

YEARS = range(2006, 2036)
COLUMNS = ("country", "holiday_date", "holiday_name")
SEEDS_DIR = Path(__file__).resolve().parent.parent / "dbt_project" / "seeds"


def holiday_rows(
    countries: Iterable[str], years: Iterable[int] = YEARS
) -> list[tuple[str, str, str]]:
    """(country, ISO date, name) of every public holiday of the countries the library knows,
    sorted; a country it does not know (or 'unknown') has none: such a brand is open on every
    day its schedule gives."""
    import holidays  # a second and a half to import: only when the table is (re)computed

    supported = holidays.list_supported_countries()
    rows = []
    for country in sorted({c.strip().upper() for c in countries if c and c.strip()}):
        if country not in supported:
            continue
        for day, name in holidays.country_holidays(country, years=list(years)).items():
            rows.append((country, day.isoformat(), name))
    return sorted(rows)


def brand_countries(brands_csv: Path) -> set[str]:
    """The country column of a brands file (column names matched as the preflight does)."""
    with Path(brands_csv).open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        column = next((n for n in reader.fieldnames or [] if n.strip().lower() == "country"), None)
        return {row[column] for row in reader if column and row[column]}


def holidays_csv(countries: Iterable[str]) -> str:
    """The table as CSV text, header first."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(holiday_rows(countries))
    return out.getvalue()


def write_holidays(brands_csv: Path, target: Path) -> Path:
    """The holidays of ``brands_csv``'s countries written to ``target`` (atomically, and only
    when they differ: the file's content is part of the warehouse's fingerprint). A key file
    beside it names what the table was computed from (countries, years, library version), so a
    run with the same brands neither imports the library nor recomputes thirty years."""
    countries = brand_countries(brands_csv)
    target = Path(target)
    key_file = target.with_name(f".{target.name}.key")
    key = ",".join(sorted(c.strip().upper() for c in countries if c and c.strip()))
    key = f"{key};{YEARS.start}-{YEARS.stop};holidays {version('holidays')}"
    if target.exists() and key_file.exists() and key_file.read_text(encoding="utf-8") == key:
        return target
    text = holidays_csv(countries)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        _write_atomically(target, text)
    _write_atomically(key_file, key)
    return target


def _write_atomically(target: Path, text: str) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, target)


def main(argv: list[str]) -> int:
    """Regenerate the seed from the seed brands (or: brands.csv target.csv)."""
    brands, target = (
        (Path(argv[0]), Path(argv[1]))
        if len(argv) == 2
        else (SEEDS_DIR / "brands.csv", SEEDS_DIR / "public_holidays.csv")
    )
    print(write_holidays(brands, target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
