"""The one daily partitioning shared by the landing asset, the dbt assets and the schedule."""

import os

import dagster as dg

# Kaggle's TWCS threads reach back to 2011; a deployment sets its own first day.
daily_partitions = dg.DailyPartitionsDefinition(
    start_date=os.environ.get("CARERANK_FIRST_DAY", "2010-01-01"),
    end_offset=1,  # today's partition exists, so that a file holding today's posts can land
    timezone="UTC",
)
