"""The daily partitions of the API assets: one partition is one UTC day fetched from a network."""

from datetime import date

import dagster as dg


def api_partitions(first_day: date) -> dg.DailyPartitionsDefinition:
    return dg.DailyPartitionsDefinition(
        start_date=first_day.isoformat(),
        end_offset=1,  # today's partition exists, so that today's posts can be fetched
        timezone="UTC",
    )
