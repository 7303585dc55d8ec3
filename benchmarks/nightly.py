"""The nightly scenario: one day's file landed and built, on an empty warehouse (night 1) and
after 88 nights of history (night 90).

The history is built cheaply, as one run over the first 88 days' posts (a run over many days
builds what the same nights one at a time would: the incremental models' tests hold it), then
night 89 and night 90 run one day each, as the schedule would; night 90 is timed (night 89
warms the warehouse after the long run, as every night is warmed by the one before)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

from benchmarks.carerank_runs import timed_run


def utc_day(record: dict) -> date:
    return datetime.fromisoformat(record["created_at"]).astimezone(UTC).date()


def split_days(posts: Path, out: Path, history_days: int) -> dict[str, Path]:
    """The world's records in the files the nights land: ``history`` (its first
    ``history_days`` UTC days), and one file per night for the first and the two following
    the history."""
    out.mkdir(parents=True, exist_ok=True)
    lines_by_day: dict[date, list[str]] = {}
    with posts.open(encoding="utf-8") as handle:
        for line in handle:
            lines_by_day.setdefault(utc_day(json.loads(line)), []).append(line)
    days = sorted(lines_by_day)
    files = {
        "history": days[:history_days],
        "night 1": days[:1],
        f"night {history_days + 1}": days[history_days : history_days + 1],
        f"night {history_days + 2}": days[history_days + 1 : history_days + 2],
    }
    paths = {}
    for name, chosen in files.items():
        paths[name] = out / f"{name.replace(' ', '-')}.jsonl"
        with paths[name].open("w", encoding="utf-8") as handle:
            for day in chosen:
                handle.writelines(lines_by_day[day])
    return paths


def nightly(world: Path, root: Path, history_days: int = 88) -> dict:
    """Night 1 on an empty warehouse and night ``history_days + 2`` after the history, timed,
    with their ratio."""
    files = split_days(world / "posts.jsonl", root / "days", history_days)
    last = f"night {history_days + 2}"
    first = timed_run(world, root / "night-1" / "warehouse.duckdb", files["night 1"])
    warehouse = root / "history" / "warehouse.duckdb"
    history = timed_run(world, warehouse, files["history"])
    before = timed_run(world, warehouse, files[f"night {history_days + 1}"])
    final = timed_run(world, warehouse, files[last])
    shutil.rmtree(root / "days")
    return {
        "night 1": first,
        f"history ({history_days} days, one run)": history,
        f"night {history_days + 1}": before,
        last: final,
        "ratio": round(final["seconds"] / first["seconds"], 2),
        "last_night": last,
    }
