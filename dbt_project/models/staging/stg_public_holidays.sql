-- depends_on: {{ ref('public_holidays') }}
-- Public holidays per country: the seed, or the file written for a user's brands (var
-- holidays_file, ingestion/public_holidays.py). One row per country and day.
with registry as (
    {{ registry_source('public_holidays', 'holidays_file') }}
)

select
    upper(trim(country)) as country,
    cast(holiday_date as date) as holiday_date,
    min(trim(holiday_name)) as holiday_name
from registry
where nullif(trim(country), '') is not null and holiday_date is not null
group by upper(trim(country)), cast(holiday_date as date)
