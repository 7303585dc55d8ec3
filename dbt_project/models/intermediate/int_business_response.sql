-- For each customer post of this run's batch that the brand replied to: the open time between
-- the post and the first reply (business_response_seconds). Only the brand's opening hours on
-- the network count (int_business_hours), in the zone of the account that gives them, so that
-- a daylight saving change moves the hours with the clocks; a public holiday of the brand's
-- country is closed all day (its local day). A brand without hours is always open: its
-- business time is the wall-clock time. Whether the reply came within the horizon is
-- fct_customer_posts' rule (wall-clock time), not this model's.
with matches as (
    select
        customer_posts.network,
        customer_posts.post_id,
        customer_posts.brand_id,
        customer_posts.created_at,
        matches.first_reply_at
    from {{ ref('int_customer_posts') }} as customer_posts
    inner join {{ ref('int_reply_matches') }} as matches
        on
            customer_posts.network = matches.network
            and customer_posts.post_id = matches.post_id
            and customer_posts.brand_id = matches.brand_id
    where matches.first_reply_at is not null
),

hours as (
    select * from {{ ref('int_business_hours') }}
),

zones as (
    select distinct
        brand_id,
        network,
        timezone
    from hours
),

local_days as (
    -- every local day the wait touches, of the posts of brands with hours
    select
        matches.network,
        matches.post_id,
        matches.brand_id,
        matches.created_at,
        matches.first_reply_at,
        zones.timezone,
        brands.country,
        {{ day_series(
            'cast(' ~ utc_to_local('matches.created_at', 'zones.timezone') ~ ' as date)',
            'cast(' ~ utc_to_local('matches.first_reply_at', 'zones.timezone') ~ ' as date)',
        ) }} as local_day
    from matches
    inner join zones
        on matches.brand_id = zones.brand_id and matches.network = zones.network
    left join {{ ref('int_brands_unioned') }} as brands
        on matches.brand_id = brands.brand_id
),

open_days as (
    select local_days.*
    from local_days
    where not exists (
            select 1
            from {{ ref('stg_public_holidays') }} as holidays
            where
                holidays.country = upper(local_days.country)
                and holidays.holiday_date = local_days.local_day
        )
),

open_spans as (
    -- each opening of those days as UTC instants: the zone's rules of that very day apply
    select
        open_days.network,
        open_days.post_id,
        open_days.brand_id,
        greatest(
            open_days.created_at,
            {{ local_to_utc(
                dbt.dateadd('second', 'hours.open_second', 'cast(open_days.local_day as timestamp)'),
                'open_days.timezone',
            ) }}
        ) as counted_from,
        least(
            open_days.first_reply_at,
            {{ local_to_utc(
                dbt.dateadd('second', 'hours.close_second', 'cast(open_days.local_day as timestamp)'),
                'open_days.timezone',
            ) }}
        ) as counted_until
    from open_days
    inner join hours
        on
            open_days.brand_id = hours.brand_id
            and open_days.network = hours.network
            and {{ iso_weekday('open_days.local_day') }} = hours.iso_weekday
),

open_seconds as (
    select
        network,
        post_id,
        brand_id,
        sum(greatest({{ seconds_between('counted_from', 'counted_until') }}, 0)) as open_seconds
    from open_spans
    group by network, post_id, brand_id
)

select
    matches.network,
    matches.post_id,
    matches.brand_id,
    {{ as_float(
        'case when zones.brand_id is null then '
        ~ seconds_between('matches.created_at', 'matches.first_reply_at')
        ~ ' else coalesce(open_seconds.open_seconds, 0) end'
    ) }} as business_response_seconds
from matches
left join zones
    on matches.brand_id = zones.brand_id and matches.network = zones.network
left join open_seconds
    on
        matches.network = open_seconds.network
        and matches.post_id = open_seconds.post_id
        and matches.brand_id = open_seconds.brand_id
