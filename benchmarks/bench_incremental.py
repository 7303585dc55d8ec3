"""Does a night cost the same after months as after weeks? The incremental models rebuild a
window (the day, its horizon, the threads it touches), so a night's dbt build should not grow
with the history the warehouse holds, while a full rebuild does.

Builds a warehouse from a synthetic world of --days days, then times, in this process:
  full     one build over the whole history (the baseline: what every night cost before)
  night    one day landed and built incrementally, after a short history and after the long one
and prints the times and their ratios. dbt alone (no Dagster, whose overhead is fixed per run).

    .venv/bin/python benchmarks/bench_incremental.py --posts 120000 --days 240
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import duckdb

from carerank.dbt_build import dbt_build, window_vars
from carerank.synthetic import generate_world
from ingestion.landing import land_file
from ingestion.warehouse import refresh_raw_views
from orchestration.settings import DBT_PROJECT_DIR


def timed(label: str, action) -> float:
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    print(f"  {label:<44} {seconds:7.2f} s", flush=True)
    return seconds


def slowest_nodes(n: int) -> list[tuple[float, str]]:
    """The last dbt invocation's slowest models and tests (target/run_results.json)."""
    results = json.loads((DBT_PROJECT_DIR / "target" / "run_results.json").read_text())
    timings = [(r["execution_time"], r["unique_id"].split(".", 2)[-1]) for r in results["results"]]
    return sorted(timings, reverse=True)[:n]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=60_000, help="customer posts in the world")
    parser.add_argument("--days", type=int, default=180, help="days of history")
    parser.add_argument("--brands", type=int, default=20)
    args = parser.parse_args()

    start = date(2025, 1, 1)
    days = [start + timedelta(days=i) for i in range(args.days)]
    short = max(len(days) // 8, 14)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        world = generate_world(
            n_brands=args.brands, n_posts=args.posts, n_days=args.days, seed=1, start=start
        )
        world.write(root / "world")
        posts_file = root / "world" / "posts.jsonl"
        registry = {
            "brands_file": str(root / "world" / "brands.csv"),
            "accounts_file": str(root / "world" / "brand_accounts.csv"),
        }
        landing, warehouse = root / "landing", root / "warehouse.duckdb"

        def land(first: date, last: date) -> None:
            land_file(posts_file, landing, start=first, end=last)
            refresh_raw_views(warehouse, landing)

        def night(day: date) -> None:  # the landing is timed apart: it is the same every night
            dbt_build(warehouse, window_vars(day, day, **registry))

        print(f"{args.posts} customer posts, {args.brands} brands, {args.days} days")
        land(days[0], days[short - 2])
        dbt_build(warehouse, window_vars(days[0], days[short - 2], **registry))
        land(days[short - 1], days[short - 1])
        night_short = timed(
            f"night after {short - 1} days of history", lambda: night(days[short - 1])
        )
        land(days[short], days[-2])
        dbt_build(warehouse, window_vars(days[short], days[-2], **registry))
        timed("landing one day (before each night)", lambda: land(days[-1], days[-1]))
        night_long = timed(f"night after {args.days - 1} days of history", lambda: night(days[-1]))
        print("  slowest nodes of that night:")
        for seconds, name in slowest_nodes(8):
            print(f"    {name:<58} {seconds:6.2f} s")
        full = timed(
            f"full rebuild of {args.days} days (baseline)",
            lambda: dbt_build(
                warehouse, window_vars(days[0], days[-1], **registry), "--full-refresh"
            ),
        )
        with duckdb.connect(str(warehouse)) as con:  # dbt's in-process connection is open
            posts, facts = con.execute(
                "select (select count(*) from staging.stg_posts),"
                " (select count(*) from marts.fct_customer_posts)"
            ).fetchone()
        print(f"  warehouse: {posts} posts, {facts} facts")
        print(f"  night / full rebuild:           {night_long / full:5.2f}")
        print(
            f"  night (long) / night (short):   {night_long / night_short:5.2f}"
            f"   (history {(args.days - 1) / (short - 1):.1f}x longer)"
        )


if __name__ == "__main__":
    main()
