-- The SLA fact table: one row per (customer post, brand).
--   answered   the brand's first reply came within the horizon (var horizon_days);
--   pending    no reply yet, and the horizon has not passed at the observation time;
--   unanswered no reply within the horizon, and the horizon has passed.
-- The observation time is var as_of, or else the end of the last UTC day landed for the
-- network: a file exported on some day cannot know of replies after it.
-- Incremental: a run rebuilds the posts of int_posts_queued, removes the rows of those posts
-- (and of the queued days) that it no longer produces (a reply deleted at the source releases
-- a post, a post deleted at the source leaves), and re-judges the rows still pending against
-- the new observation time (pending -> unanswered once the horizon has passed): one merge
-- (macro merge_batch). The pre-hook queues the days all this changes for the marts: it reads
-- the stored rows, before the merge rewrites them. The post-hook dequeues the batch's days,
-- which the model reads, after the merge: all in one transaction.
{% set removal_marker = "status" %}
{{ config(
    materialized="incremental",
    incremental_strategy=batch_strategy(),
    unique_key=["network", "post_id", "brand_id"],
    merge_clauses=merge_batch(removal_marker),
    pre_hook="{{ fct_customer_posts_queue_changes() }}",
    post_hook=[
        "{{ drop_removals('" ~ removal_marker ~ "') }}",
        "{{ dequeue(ref('int_posts_queued').identifier) }}",
    ],
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
        matches.match_type,
        matches.reply_moved_to_private,
        matches.reply_promises_feedback,
        matches.reply_agent,
        matches.reply_is_automated,
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
        -- how the first reply was found: 'direct' (reply link) or 'implicit' (var implicit_replies)
        case when is_answered then match_type end as match_type,
        case
            when is_answered then {{ seconds_between('created_at', 'first_reply_at') }}
        end as response_seconds,
        category,
        needs_reply,
        -- what the first reply does, for an answered post only (like its time)
        case when is_answered then reply_moved_to_private end as reply_moved_to_private,
        case when is_answered then reply_promises_feedback end as reply_promises_feedback,
        case when is_answered then reply_agent end as reply_agent,
        case when is_answered then reply_is_automated end as reply_is_automated
    from judged
),

business_times as (
    -- open time to the first reply (int_business_response), for answered posts only
    select
        final.network,
        final.post_id,
        final.brand_id,
        case when final.status = 'answered' then business.business_response_seconds end
            as business_response_seconds
    from final
    left join {{ ref('int_business_response') }} as business
        on
            final.network = business.network
            and final.post_id = business.post_id
            and final.brand_id = business.brand_id
),

rebuilt as (
    -- business time after the wall-clock columns: the order an earlier warehouse appends them
    select
        final.*,
        {% for name, seconds in var('sla_windows').items() -%}
            coalesce(final.response_seconds <= {{ seconds }}, false) as answered_within_{{ name }},
        {% endfor -%}
        business_times.business_response_seconds,
    {%- for name, seconds in var('sla_windows').items() %}
        coalesce(business_times.business_response_seconds <= {{ seconds }}, false)
            as answered_within_{{ name }}_business
        {{- "," if not loop.last }}
    {%- endfor %}
    from final
    inner join business_times
        on
            final.network = business_times.network
            and final.post_id = business_times.post_id
            and final.brand_id = business_times.brand_id
)

select
    {{ contract_columns() }}
from rebuilt
{% if is_incremental() -%}
    {%- set batch = ref('int_posts_queued') -%}
    {%- set is_rebuilt -%}
        (stored.network, stored.post_id) in (select batch.network, batch.post_id from {{ batch }} as batch)
        or {{ is_queued('stored.network', 'stored.post_date', batch.identifier) }}
    {%- endset %}
    {{ union_by_name() }}
    -- the rows this run does not rebuild whose status moves with the observation time
    {%- set moved_status -%}
        case
            when {{ is_pending('stored.created_at', 'observation.observed_until') }} then 'pending'
            else 'unanswered'
        end
    {%- endset %}
    select {{ star_replace('stored', this, {'status': moved_status}) }}
    from {{ this }} as stored
    inner join observation
        on stored.network = observation.network
    where {{ status_moves('stored', 'observation') }} and not ({{ is_rebuilt }})
    {{ union_by_name() }}
    {{ removals('rebuilt', is_rebuilt, removal_marker) }}
{%- endif %}
