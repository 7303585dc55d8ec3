"""Does a run cost what its posts cost, whatever the days they span? Runs `carerank run` on real
files whose posts span years (the Kaggle head reaches back to 2011) against the same posts
squeezed into one week (same order, same threads), and a generated sample spread over a year
against the same sample over three days. Prints both times, their ratio and how much each run
grew Dagster's storage.

    .venv/bin/python benchmarks/bench_span.py [--data ../shared/data]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd

from carerank.synthetic import generate_world

REPO = Path(__file__).resolve().parent.parent
TWCS_TIME = "%a %b %d %H:%M:%S %z %Y"


def one_week(source: Path, target: Path) -> Path:
    """The TWCS file with every post moved into one week, in the same order."""
    df = pd.read_csv(source, dtype=str, keep_default_na=False)
    times = pd.to_datetime(df["created_at"], format=TWCS_TIME, utc=True)
    order = times.rank(method="first").astype(int) - 1
    start = datetime(2017, 11, 1, tzinfo=times.dt.tz)
    step = timedelta(days=7) / max(len(df), 1)
    df["created_at"] = [(start + step * i).strftime(TWCS_TIME) for i in order]
    df.to_csv(target, index=False)
    return target


def carerank_run(args: list[str], folder: Path) -> tuple[float, int]:
    """Seconds of one `carerank run` into a new data folder, and the bytes of its Dagster
    instance afterwards."""
    began = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "carerank", "run", *args, "--warehouse", str(folder / "w.duckdb")],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - began
    if result.returncode != 0:
        raise SystemExit(f"carerank run failed:\n{result.stderr}")
    size = sum(p.stat().st_size for p in (folder / "dagster").rglob("*") if p.is_file())
    return seconds, size


def compare(name: str, spread: list[str], compact: list[str], root: Path) -> None:
    wide_s, wide_b = carerank_run(spread, root / f"{name}-spread")
    week_s, week_b = carerank_run(compact, root / f"{name}-week")
    print(
        f"{name:<28} spread {wide_s:6.1f} s, {wide_b / 1e6:5.1f} MB Dagster | "
        f"one week {week_s:6.1f} s, {week_b / 1e6:5.1f} MB | ratio {wide_s / week_s:4.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("twcs_head5000.csv", "twcs_kaggle_sample93.csv"):
            source = options.data / name
            if not source.exists():
                print(f"{name}: not found in {options.data}, skipped")
                continue
            week = one_week(source, root / f"week_{name}")
            compare(name, ["--input", str(source)], ["--input", str(week)], root)
        for days in (365, 3):
            first = date(2025, 1, 1)
            world = generate_world(n_brands=3, n_posts=90, n_days=days, seed=1, start=first)
            world.write(root / f"g{days}")
        registry = ["--brands", "brands.csv", "--accounts", "brand_accounts.csv"]

        def world(days: int) -> list[str]:
            folder = root / f"g{days}"
            files = ["--input", "posts.jsonl", *registry]
            return [str(folder / f) if f.endswith((".csv", ".jsonl")) else f for f in files]

        compare("generated, 365 vs 3 days", world(365), world(3), root)


if __name__ == "__main__":
    main()
