"""The run's window: the UTC days a run lands from its files and rebuilds in the warehouse.

Only the API assets are partitioned by day (fetching one day of a network is per-day work). A
file import, the landing zone and the dbt models are not: their cost follows the posts, so a
file whose posts span six years is one run with a handful of events, not one event per day and
asset. The window travels as run tags, set by the command line and the schedules; a run launched
for API partitions takes the partition range instead; a run with neither (a "Materialize all"
in the UI) lands every file of the inbox and rebuilds from everything landed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import dagster as dg

WINDOW_START_TAG = "carerank/window_start"
WINDOW_END_TAG = "carerank/window_end"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
PARTITION_TAG = "dagster/partition"


@dataclass(frozen=True)
class RunWindow:
    """The days first .. last (UTC, both included)."""

    first: date
    last: date

    @property
    def end(self) -> date:
        """The day after the last: half-open bounds for SQL."""
        return self.last + timedelta(days=1)

    def __str__(self) -> str:
        return f"{self.first} .. {self.last}"


def window_tags(first: date, last: date) -> dict[str, str]:
    return {WINDOW_START_TAG: first.isoformat(), WINDOW_END_TAG: last.isoformat()}


def window_from_tags(tags: dict[str, str]) -> RunWindow | None:
    """The window a run's tags name: explicit window tags, else its API partitions."""
    for start_tag, end_tag in (
        (WINDOW_START_TAG, WINDOW_END_TAG),
        (RANGE_START_TAG, RANGE_END_TAG),
        (PARTITION_TAG, PARTITION_TAG),
    ):
        if tags.get(start_tag) and tags.get(end_tag):
            return RunWindow(date.fromisoformat(tags[start_tag]), date.fromisoformat(tags[end_tag]))
    return None


def run_window(context: Any) -> RunWindow | None:
    """The window of the run an asset or check executes in (None: everything)."""
    run: dg.DagsterRun = context.run
    return window_from_tags(dict(run.tags))
