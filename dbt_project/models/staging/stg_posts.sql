{{ config(
    materialized="incremental",
    incremental_strategy="append",
    pre_hook="{{ stg_posts_clear_window() }}",
    post_hook=["{{ stg_posts_queue_window() }}", "{{ record_settings() }}"],
) }}
-- depends_on: {{ source('carerank_state', 'rebuild_queue') }}
-- depends_on: {{ ref('stg_brands') }}
-- depends_on: {{ ref('stg_brand_accounts') }}

-- One row per (network, post_id): the same post landed twice (a re-exported file, two sources,
-- an exact duplicate line) counts once; the most recently landed copy wins.
-- Incremental: a run re-reads only the landed days of its window (see macro
-- staging_reads_window); the pre-hook removes those days first, in the same transaction.
with landed as (
    select * from {{ source('raw', 'posts') }}
    {% if staging_reads_window() -%}
        where {{ in_run_window('_partition') }}
    {%- endif %}
),

ranked as (
    select
        *,
        row_number() over (
            partition by network, post_id
            order by _ingested_at desc, _source asc, created_at asc, text asc
        ) as copy_rank
    from landed
)

select
    network,
    post_id,
    author_id,
    author_handle,
    lower(author_handle) as author_handle_lower,
    timezone('UTC', created_at) as created_at,
    cast(timezone('UTC', created_at) as date) as post_date,
    text,
    in_reply_to_post_id,
    in_reply_to_author_id,
    conversation_id,
    coalesce(mentioned_handles, []) as mentioned_handles,
    lang,
    source,
    author_is_brand,
    _source,
    _ingested_at
from ranked
where copy_rank = 1
