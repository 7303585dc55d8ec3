-- The posts whose facts this run rebuilds: one row per (network, post_id). Everything when the
-- queue says so (first build, --full-refresh, changed settings); otherwise, for the queued days
-- (the landed days the run re-read):
--   lookback  every post of the day and of the horizon_days before it, so that a reply landed on
--             day D turns a post of D - 3 from pending to answered;
--   targets   the posts that the day's posts reply to, however old (rule c: a brand's reply
--             attributes a post to the brand even after the horizon);
--   children  the posts that reply to the day's posts (a parent landed after its reply: rule b);
--   mentions  the posts that mention a brand account first seen on one of the days (an account
--             that only the data declares, TWCS inbound = False);
--   answered  the posts answered on the days or within var automation_window_hours after them:
--             a copy of a reply template landed on a day can make a later reply automated;
-- and the single posts stg_posts queued: those related to a replaced row (a deleted reply).
-- It reads the entries queued for it; fct_customer_posts dequeues them in the transaction that
-- writes the facts, so a run killed in between rebuilds the same batch the next time.
{% set horizon = var('horizon_days') %}
with posts as (
    select
        network,
        post_id,
        post_date,
        author_id,
        author_handle_lower,
        author_is_brand,
        in_reply_to_post_id,
        mentioned_handles
    from {{ ref('stg_posts') }}
),

queued_days as (
    {{ queued_days() }}
),

queued_posts as (
    select
        network,
        post_id
    from {{ source('carerank_state', 'rebuild_queue') }}
    where consumer = '{{ queue_name() }}' and post_id is not null
),

rebuild_everything as (
    select {{ rebuild_everything() }}{{ ' or true' if flags.FULL_REFRESH }} as is_due
),

lookback_days as (
    select distinct
        network,
        {{ day_series(dbt.dateadd('day', -horizon, 'post_date'), 'post_date') }} as post_date
    from queued_days
),

answer_days as (
    select distinct
        network,
        {{ day_series('post_date', dbt.dateadd(
            'day', (var('automation_window_hours') / 24) | round(0, 'ceil') | int, 'post_date'
        )) }} as post_date
    from queued_days
),

day_posts as (
    select posts.*
    from posts
    inner join queued_days
        on posts.network = queued_days.network and posts.post_date = queued_days.post_date
),

brand_authors as (
    select
        network,
        {{ arbitrary_value('author_handle_lower') }} as handle_lower,
        min(post_date) as first_post_date
    from posts
    where author_is_brand
    group by network, author_id
),

first_seen_brand_handles as (
    select brand_authors.*
    from brand_authors
    inner join queued_days
        on
            brand_authors.network = queued_days.network
            and brand_authors.first_post_date = queued_days.post_date
),

due as (
    select
        posts.network,
        posts.post_id
    from posts
    cross join rebuild_everything
    where rebuild_everything.is_due

    union all
    select
        posts.network,
        posts.post_id
    from posts
    inner join lookback_days
        on posts.network = lookback_days.network and posts.post_date = lookback_days.post_date

    union all
    select
        posts.network,
        posts.post_id
    from posts
    inner join day_posts
        on posts.network = day_posts.network and posts.post_id = day_posts.in_reply_to_post_id

    union all
    select
        posts.network,
        posts.post_id
    from posts
    inner join day_posts
        on posts.network = day_posts.network and posts.in_reply_to_post_id = day_posts.post_id

    union all
    select
        posts.network,
        posts.in_reply_to_post_id as post_id
    from posts
    inner join answer_days
        on posts.network = answer_days.network and posts.post_date = answer_days.post_date
    where posts.in_reply_to_post_id is not null

    union all
    select
        queued_posts.network,
        queued_posts.post_id
    from queued_posts

    union all
    select
        posts.network,
        posts.post_id
    from posts
    inner join first_seen_brand_handles as handles
        on
            posts.network = handles.network
            and {{ list_contains('posts.mentioned_handles', 'handles.handle_lower') }}
)

select distinct
    network,
    post_id
from due
