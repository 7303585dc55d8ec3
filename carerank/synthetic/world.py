"""A generated world and the files it is written to: the posts as canonical JSONL, the registry
(brands.csv, brand_accounts.csv) and truth.csv."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from carerank.synthetic.model import Brand
from carerank.synthetic.truth import TRUTH_COLUMNS
from ingestion.preflight import ACCOUNT_COLUMNS, BRAND_COLUMNS


@dataclass
class World:
    """The brands, the posts as canonical records (shuffled, some twice) and the truth."""

    brands: list[Brand]
    posts: list[dict]
    truth: list[dict]

    def write(self, out: Path) -> list[Path]:
        """posts.jsonl, brands.csv, brand_accounts.csv and truth.csv in ``out``."""
        return write_world(out, [self])


def write_world(out: Path, parts: Iterable[World]) -> list[Path]:
    """posts.jsonl, brands.csv, brand_accounts.csv and truth.csv in ``out`` from the parts of a
    world (``generate_world_chunks``), one part in memory at a time; the registry is the last
    part's (every part holds the same brands)."""
    out.mkdir(parents=True, exist_ok=True)
    files = [out / n for n in ("posts.jsonl", "brands.csv", "brand_accounts.csv", "truth.csv")]
    brands: list[Brand] = []
    with (
        files[0].open("w", encoding="utf-8") as posts,
        files[3].open("w", newline="", encoding="utf-8") as truth,
    ):
        truth_writer = csv.writer(truth, lineterminator="\n")
        truth_writer.writerow(TRUTH_COLUMNS)
        for part in parts:
            for record in part.posts:
                posts.write(json.dumps(record, ensure_ascii=False) + "\n")
            truth_writer.writerows([t[c] for c in TRUTH_COLUMNS] for t in part.truth)
            brands = part.brands
    _write_csv(
        files[1],
        list(BRAND_COLUMNS),
        [[b.brand_id, b.name, b.industry, b.country] for b in brands],
    )
    _write_csv(
        files[2],
        list(ACCOUNT_COLUMNS),
        [
            [a.brand_id, a.network, a.account_id, a.handle, str(a.is_primary).lower(), "UTC", ""]
            for b in brands
            for accounts in b.accounts.values()
            for a in accounts
        ],
    )
    return files


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
