"""A generated world and the files it is written to: the posts as canonical JSONL, the registry
(brands.csv, brand_accounts.csv) and truth.csv."""

from __future__ import annotations

import csv
import json
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
        out.mkdir(parents=True, exist_ok=True)
        files = [out / n for n in ("posts.jsonl", "brands.csv", "brand_accounts.csv", "truth.csv")]
        with files[0].open("w", encoding="utf-8") as handle:
            for record in self.posts:
                handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        _write_csv(
            files[1],
            list(BRAND_COLUMNS),
            [[b.brand_id, b.name, b.industry, b.country] for b in self.brands],
        )
        _write_csv(
            files[2],
            list(ACCOUNT_COLUMNS),
            [
                [
                    a.brand_id,
                    a.network,
                    a.account_id,
                    a.handle,
                    str(a.is_primary).lower(),
                    "UTC",
                    "",
                ]
                for b in self.brands
                for accounts in b.accounts.values()
                for a in accounts
            ],
        )
        _write_csv(
            files[3], list(TRUTH_COLUMNS), [[t[c] for c in TRUTH_COLUMNS] for t in self.truth]
        )
        return files


def _write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
