{{ config(materialized="table") }}

-- One row per (network, post_id): the same post landed twice (a re-exported file, two sources,
-- an exact duplicate line) counts once; the most recently landed copy wins.
with landed as (
    select * from {{ source('raw', 'posts') }}
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
