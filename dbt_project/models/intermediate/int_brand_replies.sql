-- Posts by a brand account that reply to another post: the candidates for a brand's answer.
select
    network,
    post_id as reply_post_id,
    author_brand_id as brand_id,
    author_id as reply_author_id,
    in_reply_to_post_id,
    created_at as replied_at
from {{ ref('int_posts_authored') }}
where
    author_brand_id is not null
    and in_reply_to_post_id is not null
