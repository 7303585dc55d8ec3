-- One row per calendar day: the time spine the semantic layer (MetricFlow) aggregates metrics
-- over by day, month, quarter or year. A fixed span, wide enough for any care archive: posts
-- on social networks start in 2006.
{{ config(materialized="table") }}
select cast(date_day as date) as date_day
from (
    {{ dbt.date_spine("day", "cast('2006-01-01' as date)", "cast('2041-01-01' as date)") }}
) as spine
