-- Brand posts that answer a customer without the reply link: one row per (brand post, customer
-- post it answers). A brand post P of brand B that replies to nothing (no in_reply_to_post_id; a
-- post whose parent was not landed is left out: it answers that parent, not another post)
-- answers the customer post C when
--   P addresses C's author: its first mention that is no brand account is the author's handle
--   (or id, where handles are ids, as in TWCS);
--   C is addressed to B: it mentions one of B's handles, or it replies to a post of B;
--   C came before P, and P within the horizon (var horizon_days) of C;
--   both are in the same conversation where both say which one (a post whose conversation is
--   itself, a root, says nothing about the others);
--   C is the latest such post of that author before P: a brand answers the customer's newest
--   message, the older ones being more likely answered already (by P's predecessors);
--   B never replied to C directly: direct replies always win, and a brand that answers a post
--   with links is taken to answer all of it with links (P is then a follow-up, not an answer to
--   an older post of the customer).
-- What the reply does comes with it, by the same rules as for direct replies. Only used when
-- var implicit_replies is on (int_reply_matches). A view over all posts, not the run's batch, so
-- that the latest post of the author is chosen among all of them: the queue's lookback already
-- rebuilds every customer post within the horizon before a landed day, which covers every post
-- an implicit reply of that day could answer or stop answering. A table on Spark: its SQL, which
-- carries the reply rules' patterns, is longer than a local Spark's Hive metastore keeps for a
-- view (32,700 characters).
{{ config(materialized='table' if target.type == 'spark' else 'view') }}
{% set horizon = var('horizon_days') %}
with posts as (
    select * from {{ ref('int_posts_authored') }}
),

accounts as (
    select * from {{ ref('int_brand_accounts_unioned') }}
),

unlinked_brand_posts as (
    select
        network,
        post_id as reply_post_id,
        author_brand_id as brand_id,
        created_at as replied_at,
        nullif(conversation_id, post_id) as conversation_id,
        mentioned_handles,
        source as reply_source,
        text
    from posts
    where author_brand_id is not null and in_reply_to_post_id is null
),

-- the customer a post answers is its first mention that is no brand's account: a reply opens
-- with the handle of the author it answers, and the others it mentions are only copied in
mentions as (
    select
        network,
        reply_post_id,
        brand_id,
        replied_at,
        conversation_id,
        text,
        {{ unnest_list('mentioned_handles') }} as handle_lower
    from unlinked_brand_posts
),

brand_mentions as (
    select
        network,
        reply_post_id,
        brand_id,
        replied_at,
        conversation_id,
        handle_lower
    from (
        select
            mentions.*,
            row_number() over (
                partition by mentions.network, mentions.reply_post_id
                -- a handle inside a longer one (@acme in @acmehelp) ties: the longer one is there
                order by
                    nullif(position('@' || mentions.handle_lower in lower(mentions.text)), 0)
                    nulls last,
                    length(mentions.handle_lower) desc,
                    mentions.handle_lower
            ) as mention_order
        from mentions
        where not exists (
                select 1
                from accounts
                where
                    mentions.network = accounts.network
                    and mentions.handle_lower = accounts.handle_lower
            )
    ) as ordered
    where mention_order = 1
),

-- a customer is mentioned by handle or, where the network's handles are ids, by id
customer_names as (
    select
        network,
        post_id,
        author_id,
        created_at,
        conversation_id,
        author_handle_lower as handle_lower
    from posts
    where author_brand_id is null and author_handle_lower is not null
    union
    select
        network,
        post_id,
        author_id,
        created_at,
        conversation_id,
        lower(author_id) as handle_lower
    from posts
    where author_brand_id is null and author_id is not null
),

within_horizon as (
    select distinct
        brand_mentions.network,
        brand_mentions.reply_post_id,
        brand_mentions.brand_id,
        brand_mentions.replied_at,
        customer_names.post_id,
        customer_names.author_id,
        customer_names.created_at
    from brand_mentions
    inner join customer_names
        on
            brand_mentions.network = customer_names.network
            and brand_mentions.handle_lower = customer_names.handle_lower
    where
        customer_names.created_at <= brand_mentions.replied_at
        and brand_mentions.replied_at
        <= {{ dbt.dateadd('day', horizon, 'customer_names.created_at') }}
        and (
            brand_mentions.conversation_id is null
            or customer_names.conversation_id is null
            or brand_mentions.conversation_id = customer_names.conversation_id
        )
),

addressed_by_mention as (
    select
        candidates.network,
        candidates.reply_post_id,
        candidates.post_id
    from within_horizon as candidates
    inner join posts as customer_post
        on
            candidates.network = customer_post.network
            and candidates.post_id = customer_post.post_id
    inner join accounts
        on
            candidates.network = accounts.network
            and candidates.brand_id = accounts.brand_id
            and {{ list_contains('customer_post.mentioned_handles', 'accounts.handle_lower') }}
),

addressed_by_reply as (
    select
        candidates.network,
        candidates.reply_post_id,
        candidates.post_id
    from within_horizon as candidates
    inner join posts as customer_post
        on
            candidates.network = customer_post.network
            and candidates.post_id = customer_post.post_id
    left join posts as parent
        on
            customer_post.network = parent.network
            and customer_post.in_reply_to_post_id = parent.post_id
    left join accounts as parent_account
        on
            customer_post.network = parent_account.network
            and customer_post.in_reply_to_author_id = parent_account.account_id
    where
        candidates.brand_id = parent.author_brand_id
        or candidates.brand_id = parent_account.brand_id
),

addressed as (
    select * from addressed_by_mention
    union
    select * from addressed_by_reply
),

latest as (
    select
        candidates.*,
        row_number() over (
            partition by candidates.network, candidates.reply_post_id, candidates.author_id
            order by candidates.created_at desc, candidates.post_id desc
        ) as recency
    from within_horizon as candidates
    inner join addressed
        on
            candidates.network = addressed.network
            and candidates.reply_post_id = addressed.reply_post_id
            and candidates.post_id = addressed.post_id
),

directly_answered as (
    select distinct
        network,
        in_reply_to_post_id as post_id,
        brand_id
    from {{ ref('int_brand_replies') }}
)

select
    latest.network,
    latest.post_id,
    latest.brand_id,
    latest.reply_post_id,
    latest.replied_at,
    reply.reply_source,
    {{ reply_labels('reply.text') }}
from latest
inner join unlinked_brand_posts as reply
    on latest.network = reply.network and latest.reply_post_id = reply.reply_post_id
left join directly_answered
    on
        latest.network = directly_answered.network
        and latest.post_id = directly_answered.post_id
        and latest.brand_id = directly_answered.brand_id
where latest.recency = 1 and directly_answered.post_id is null
