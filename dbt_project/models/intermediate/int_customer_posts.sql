-- Customer posts, one row per (post, brand): a post by an account that is not a brand
-- account, attributed to every brand for which
--   (a) it mentions one of the brand's handles (exact, case-insensitive token),
--   (b) it replies directly to a post of one of the brand's accounts, or
--   (c) one of the brand's accounts replied directly to it.
-- is_addressed: (a) or (b) holds. category and needs_reply: what the post says, and whom it
-- answers (a brand, or another customer), by the rules of macros/classification.sql.
-- Only the posts queued for this run (int_posts_queued): everything on a full rebuild.
-- posts and customer_posts are read several times: inlined, not held in memory whole
with posts as {{ cte_inlined() }} (
    select * from {{ ref('int_posts_authored') }}
),

accounts as (
    select * from {{ ref('int_brand_accounts_unioned') }}
),

customer_posts as {{ cte_inlined() }} (
    select posts.*
    from posts
    inner join {{ ref('int_posts_queued') }} as queued
        on posts.network = queued.network and posts.post_id = queued.post_id
    where posts.author_brand_id is null
),

mentions as (
    select
        network,
        post_id,
        {{ unnest_list('mentioned_handles') }} as handle_lower
    from customer_posts
),

by_mention as (
    select distinct
        mentions.network,
        mentions.post_id,
        accounts.brand_id,
        'mention' as attribution_rule
    from mentions
    inner join accounts
        on
            mentions.network = accounts.network
            and mentions.handle_lower = accounts.handle_lower
),

by_reply_to_brand as (
    select distinct
        customer_posts.network,
        customer_posts.post_id,
        coalesce(parent.author_brand_id, parent_account.brand_id) as brand_id,
        'reply_to_brand' as attribution_rule
    from customer_posts
    left join posts as parent
        on
            customer_posts.network = parent.network
            and customer_posts.in_reply_to_post_id = parent.post_id
    left join accounts as parent_account
        on
            customer_posts.network = parent_account.network
            and customer_posts.in_reply_to_author_id = parent_account.account_id
    where
        customer_posts.in_reply_to_post_id is not null
        and coalesce(parent.author_brand_id, parent_account.brand_id) is not null
),

by_brand_reply as (
    select distinct
        customer_posts.network,
        customer_posts.post_id,
        replies.brand_id,
        'replied_by_brand' as attribution_rule
    from customer_posts
    inner join {{ ref('int_brand_replies') }} as replies
        on
            customer_posts.network = replies.network
            and customer_posts.post_id = replies.in_reply_to_post_id
),

attributions as (
    select * from by_mention
    union all
    select * from by_reply_to_brand
    union all
    select * from by_brand_reply
),

-- what each post says (macros/classification.sql), once per post rather than once per brand
classified as (
    select
        network,
        post_id,
        {{ post_category() }} as category,
        {{ post_needs_reply() }} as needs_reply
    from (
        select
            customer_posts.network,
            customer_posts.post_id,
            {{ customer_rule_flags('customer_posts.text') }},
            {{ customer_thread_flags(
                'customer_posts.author_id', 'parent.author_id', 'parent.author_brand_id is not null',
                'parent.text', 'parent.in_reply_to_post_id'
            ) }}
        from customer_posts
        left join posts as parent
            on
                customer_posts.network = parent.network
                and customer_posts.in_reply_to_post_id = parent.post_id
    ) as flagged
),

-- the brands of each post, aggregated on keys alone before the texts are joined
attributed as (
    select
        network,
        post_id,
        brand_id,
        bool_or(attribution_rule in ('mention', 'reply_to_brand')) as is_addressed,
        {{ sorted_list('attribution_rule', distinct=true) }} as attribution_rules
    from attributions
    group by network, post_id, brand_id
)

select
    customer_posts.network,
    customer_posts.post_id,
    attributed.brand_id,
    customer_posts.author_id,
    customer_posts.created_at,
    customer_posts.post_date,
    customer_posts.text,
    customer_posts.in_reply_to_post_id,
    attributed.is_addressed,
    attributed.attribution_rules,
    coalesce({{ regexp_contains('customer_posts.text', question_pattern()) }}, false) as is_question,
    classified.category,
    classified.needs_reply
from attributed
inner join customer_posts
    on
        attributed.network = customer_posts.network
        and attributed.post_id = customer_posts.post_id
inner join classified
    on
        attributed.network = classified.network
        and attributed.post_id = classified.post_id
