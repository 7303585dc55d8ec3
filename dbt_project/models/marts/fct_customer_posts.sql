-- The SLA fact table: one row per (customer post, brand).
--   answered   the brand's first reply came within the horizon (var horizon_days);
--   pending    no reply yet, and the horizon has not passed at the observation time;
--   unanswered no reply within the horizon, and the horizon has passed.
-- The observation time is var as_of, or else the end of the last UTC day landed for the
-- network: a file exported on some day cannot know of replies after it.
-- Incremental: a run rebuilds the posts queued in int_posts_queued. The pre-hook deletes their
-- rows and those of the queued days and queues the days for the marts; the post-hook re-judges
-- the rows still pending against the new observation time (pending -> unanswered once the
-- horizon has passed). All in the transaction that inserts the new rows.
{{ config(
    materialized="incremental",
    incremental_strategy="append",
    pre_hook="{{ fct_customer_posts_clear_queued() }}",
    post_hook="{{ fct_customer_posts_rejudge_pending() }}",
) }}
-- depends_on: {{ ref('int_posts_queued') }}
-- depends_on: {{ source('carerank_state', 'rebuild_queue') }}
{% set horizon = var('horizon_days') %}
with customer_posts as (
    select * from {{ ref('int_customer_posts') }}
),

matches as (
    select * from {{ ref('int_reply_matches') }}
),

observation as (
    {{ observation_times() }}
),

judged as (
    select
        customer_posts.*,
        observation.observed_until,
        matches.first_reply_post_id,
        matches.first_reply_at,
        coalesce(
            matches.first_reply_at
            <= {{ dbt.dateadd('day', horizon, 'customer_posts.created_at') }},
            false
        ) as is_answered
    from customer_posts
    left join matches
        on
            customer_posts.network = matches.network
            and customer_posts.post_id = matches.post_id
            and customer_posts.brand_id = matches.brand_id
    inner join observation
        on customer_posts.network = observation.network
),

final as (
    select
        post_id,
        network,
        brand_id,
        author_id,
        created_at,
        post_date,
        is_addressed,
        is_question,
        case
            when is_answered then 'answered'
            when {{ is_pending('created_at', 'observed_until') }} then 'pending'
            else 'unanswered'
        end as status,
        case when is_answered then first_reply_post_id end as first_reply_post_id,
        case when is_answered then first_reply_at end as first_reply_at,
        case
            when is_answered then {{ seconds_between('created_at', 'first_reply_at') }}
        end as response_seconds
    from judged
)

select
    *,
{%- for name, seconds in var('sla_windows').items() %}
    coalesce(response_seconds <= {{ seconds }}, false) as answered_within_{{ name }}
    {{- "," if not loop.last }}
{%- endfor %}
from final
