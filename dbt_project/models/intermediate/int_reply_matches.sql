-- For each (customer post, brand): the brand's first reply. A reply is a post by any account of
-- the same brand whose in_reply_to_post_id is the customer post; the earliest wins (ties: lowest
-- post id). A "reply" stamped before its customer post is a data error: it is not a reply, only
-- counted (replies_before_post) for the warning test. What the first reply does comes with it.
-- match_type says how the reply was found: 'direct' by its reply link, or, with var
-- implicit_replies on, 'implicit' for a post the brand never replied to directly, by the brand's
-- earliest post that answers it without the link (int_implicit_replies). Off (the default), the
-- implicit replies are not read at all.
-- depends_on: {{ ref('int_implicit_replies') }}
{% set implicit_replies = var_is_on('implicit_replies') %}
with candidates as (
    select
        customer_posts.network,
        customer_posts.post_id,
        customer_posts.brand_id,
        customer_posts.created_at,
        replies.reply_post_id,
        replies.replied_at,
        'direct' as match_type
    from {{ ref('int_customer_posts') }} as customer_posts
    inner join {{ ref('int_brand_replies') }} as replies
        on
            customer_posts.network = replies.network
            and customer_posts.post_id = replies.in_reply_to_post_id
            and customer_posts.brand_id = replies.brand_id
    {%- if implicit_replies %}

        union all
        select
            customer_posts.network,
            customer_posts.post_id,
            customer_posts.brand_id,
            customer_posts.created_at,
            replies.reply_post_id,
            replies.replied_at,
            'implicit' as match_type
        from {{ ref('int_customer_posts') }} as customer_posts
        inner join {{ ref('int_implicit_replies') }} as replies
            on
                customer_posts.network = replies.network
                and customer_posts.post_id = replies.post_id
                and customer_posts.brand_id = replies.brand_id
    {%- endif %}
),

first_replies as (
    select
        network,
        post_id,
        brand_id,
        -- one type per post: int_implicit_replies leaves out the posts with a direct reply
        min(match_type) as match_type,
        min(replied_at) filter (where replied_at >= created_at) as first_reply_at,
        {{ first_by('reply_post_id', ['replied_at', 'reply_post_id'], 'replied_at >= created_at') }}
            as first_reply_post_id,
        count(*) filter (where replied_at >= created_at) as reply_count,
        count(*) filter (where replied_at < created_at) as replies_before_post
    from candidates
    group by network, post_id, brand_id
),

-- What the first replies do (macro reply_labels), read from their texts: only the build's first
-- replies are classified, not every reply of the history a night joins them with. A first
-- reply found without its reply link is a post like any other, so one definition serves both.
first_reply_labels as (
    select
        first_replies.network,
        first_replies.first_reply_post_id as reply_post_id,
        replies.source as reply_source,
        {{ reply_labels('replies.text') }}
    from first_replies
    inner join {{ ref('stg_posts') }} as replies
        on
            first_replies.network = replies.network
            and first_replies.first_reply_post_id = replies.post_id
),

-- A first reply is automated when it comes from a known automation source (var
-- automation_sources), or when, with it, the brand has sent the same template or a
-- near-duplicate of it (macros reply_template, templates_alike; at least var
-- automation_min_template_chars long) in answer to at least var automation_min_copies different
-- posts in the var automation_window_hours before it.
-- Only earlier copies count: a reply's status then never changes when later days land, so a
-- nightly run that rebuilds only its own posts gives what a full build gives.
-- Replies are cut into buckets as long as the window, and a first reply is compared only with
-- the copies in its own bucket and the one before, which hold every copy of its window: a brand
-- that sends one template all year then costs its replies per two buckets, not per year.
{% set bucket_seconds = var('automation_window_hours') * 3600 -%}
{% set origin = "cast('2000-01-01' as timestamp)" -%}
-- a first reply is looked for in its own bucket and the one before
bucket_offsets as (
    select 0 as buckets_back
    union all
    select 1 as buckets_back
),

first_reply_buckets as (
    select
        first_replies.network,
        first_replies.post_id,
        first_replies.brand_id,
        first_replies.first_reply_at,
        first_reply.reply_template,
        {{ template_block('first_reply.reply_template') }} as template_block,
        floor({{ seconds_between(origin, 'first_replies.first_reply_at') }} / {{ bucket_seconds }})
        - earlier.buckets_back as bucket
    from first_replies
    inner join first_reply_labels as first_reply
        on
            first_replies.network = first_reply.network
            and first_replies.first_reply_post_id = first_reply.reply_post_id
    cross join bucket_offsets as earlier
    where length(first_reply.reply_template) >= {{ var('automation_min_template_chars') }}
),

-- when the copies of this build's first replies were sent
copy_window as (
    select
        {{ dbt.dateadd('hour', -var('automation_window_hours'), 'min(first_reply_at)') }}
            as earliest_copy_at,
        max(first_reply_at) as latest_copy_at
    from first_replies
),

copies as (
    select
        network,
        brand_id,
        in_reply_to_post_id,
        replied_at,
        reply_template,
        {{ template_block('reply_template') }} as template_block,
        floor({{ seconds_between(origin, 'replied_at') }} / {{ bucket_seconds }}) as bucket
    from {{ ref('int_brand_replies') }}
    -- only the replies that can be a copy of a first reply here: a night normalises the texts
    -- of its own days, not those of the whole history
    where
        replied_at >= (select copy_window.earliest_copy_at from copy_window)
        and replied_at <= (select copy_window.latest_copy_at from copy_window)
),

automated as (
    select
        first_reply.network,
        first_reply.post_id,
        first_reply.brand_id,
        count(distinct copies.in_reply_to_post_id) >= {{ var('automation_min_copies') }}
            as is_templated
    from first_reply_buckets as first_reply
    inner join copies
        on
            first_reply.network = copies.network
            and first_reply.brand_id = copies.brand_id
            and first_reply.bucket = copies.bucket
            and first_reply.template_block = copies.template_block
            and {{ templates_alike('first_reply.reply_template', 'copies.reply_template') }}
            and copies.replied_at
            between {{ dbt.dateadd('hour', -var('automation_window_hours'), 'first_reply.first_reply_at') }}
            and first_reply.first_reply_at
    group by first_reply.network, first_reply.post_id, first_reply.brand_id
)

select
    first_replies.network,
    first_replies.post_id,
    first_replies.brand_id,
    first_replies.first_reply_post_id,
    first_replies.first_reply_at,
    first_replies.reply_count,
    first_replies.replies_before_post,
    first_reply.moved_to_private as reply_moved_to_private,
    first_reply.promises_feedback as reply_promises_feedback,
    first_reply.agent as reply_agent,
    coalesce(automated.is_templated, false)
    {%- for automation_source in var('automation_sources') %}
        or first_reply.reply_source = '{{ automation_source | replace("'", "''") }}'
    {%- endfor %} as reply_is_automated,
    first_replies.match_type
from first_replies
left join first_reply_labels as first_reply
    on
        first_replies.network = first_reply.network
        and first_replies.first_reply_post_id = first_reply.reply_post_id
left join automated
    on
        first_replies.network = automated.network
        and first_replies.post_id = automated.post_id
        and first_replies.brand_id = automated.brand_id
