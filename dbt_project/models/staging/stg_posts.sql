{% set removal_marker = "created_at" %}
{{ config(
    materialized="incremental",
    incremental_strategy=batch_strategy(),
    unique_key=["network", "post_id"],
    merge_clauses=merge_batch(removal_marker),
    pre_hook="{{ stg_posts_queue_replaced() }}",
    post_hook=[
        "{{ drop_removals('" ~ removal_marker ~ "') }}",
        "{{ stg_posts_queue_window() }}",
        "{{ record_settings() }}",
    ],
) }}
-- depends_on: {{ ref('stg_brands') }}
-- depends_on: {{ ref('stg_brand_accounts') }}
-- depends_on: {{ ref('stg_public_holidays') }}

-- One row per (network, post_id): the same post landed twice (a re-exported file, two sources,
-- an exact duplicate line) counts once; the most recently landed copy wins.
-- Incremental: a run re-reads only the landed days of its window (macro staging_reads_window),
-- or everything after a change of settings or code. One merge writes what it read: a post
-- replaces its stored copy, whatever day that copy was on, and the stored posts of the days read
-- that the landing zone no longer holds (deleted at the source) are removed (macro merge_batch).
-- The pre-hook queues what the replaced rows touched: it reads them before the merge; the
-- post-hook queues the days read, as now stored, and records the settings.
{% set reads_window = staging_reads_window() %}
with landed as (
    select * from {{ source('raw', 'posts') }}
    {% if reads_window -%}
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
),

rebuilt as (
    select
        network,
        post_id,
        author_id,
        author_handle,
        lower(author_handle) as author_handle_lower,
        {{ utc_timestamp('created_at') }} as created_at,
        cast({{ utc_timestamp('created_at') }} as date) as post_date,
        text,
        in_reply_to_post_id,
        in_reply_to_author_id,
        conversation_id,
        coalesce(mentioned_handles, {{ empty_list() }}) as mentioned_handles,
        lang,
        source,
        author_is_brand,
        _source,
        _ingested_at
    from ranked
    where copy_rank = 1
)

select * from rebuilt
{% if is_incremental() -%}
    {{ union_by_name() }}
    {{ removals('rebuilt', in_run_window('stored.post_date') if reads_window else 'true', removal_marker) }}
{%- endif %}
