-- The weekly opening hours of each brand on each network: one row per weekday and open span, in
-- seconds after local midnight of the time zone given beside them. They are the hours of the
-- brand's primary account on the network, or else of its first account (by handle) that gives
-- any: a post is the brand's to answer whichever of its handles it reached, and one care team
-- per network answers it. A brand none of whose accounts on a network gives hours is always open
-- there, and has no rows.
-- The grammar (ingestion/business_hours.py, which the preflight checks every registry with):
--   clause[; clause ...]; clause = days times; days = day[-day][,...]; times = HH:MM-HH:MM[,...]
-- e.g. 'mon-fri 08:00-12:00,13:00-17:00; sat 09:00-14:00'; a day is mon .. sun, 24:00 closes at
-- midnight. Spaces around '-' and ',' are dropped first, as the preflight does.
with weekdays as (
    select
        day_names.day_name,
        day_names.iso_weekday
    from (
        values
        ('mon', 1), ('tue', 2), ('wed', 3), ('thu', 4), ('fri', 5), ('sat', 6), ('sun', 7)
    ) as day_names (day_name, iso_weekday)
),

accounts as (
    select
        brand_id,
        network,
        timezone,
        {{ regexp_replace_all(
            regexp_replace_all('lower(trim(business_hours))', "'\\s+'", "' '"), "'\\s*([-,])\\s*'", "'\\1'"
        ) }} as business_hours,
        row_number() over (
            partition by brand_id, network order by is_primary desc, handle_lower asc
        ) as preference
    from {{ ref('int_brand_accounts_unioned') }}
    where business_hours is not null
),

clauses as (
    select
        brand_id,
        network,
        timezone,
        {{ unnest_list(split_to_list('business_hours', "';'")) }} as clause
    from accounts
    where preference = 1
),

day_specs as (
    select
        brand_id,
        network,
        timezone,
        {{ unnest_list(split_to_list("split_part(trim(clause), ' ', 1)", "','")) }} as day_spec,
        split_part(trim(clause), ' ', 2) as time_specs
    from clauses
    where trim(clause) != ''
),

time_specs as (
    select
        brand_id,
        network,
        timezone,
        day_spec,
        {{ unnest_list(split_to_list('time_specs', "','")) }} as time_spec
    from day_specs
),

spans as (
    select
        time_specs.brand_id,
        time_specs.network,
        time_specs.timezone,
        weekdays.iso_weekday,
        {{ clock_seconds("split_part(time_specs.time_spec, '-', 1)") }} as open_second,
        {{ clock_seconds("split_part(time_specs.time_spec, '-', 2)") }} as close_second
    from time_specs
    inner join weekdays as first_day
        on split_part(time_specs.day_spec, '-', 1) = first_day.day_name
    inner join weekdays as last_day
        on
            last_day.day_name
            = coalesce(nullif(split_part(time_specs.day_spec, '-', 2), ''), first_day.day_name)
    inner join weekdays
        on weekdays.iso_weekday between first_day.iso_weekday and last_day.iso_weekday
)

select distinct
    brand_id,
    network,
    timezone,
    iso_weekday,
    open_second,
    close_second
from spans
