-- Posts by a brand account that reply to another post: the candidates for a brand's answer,
-- with what the reply does (macros/classification.sql): move the conversation to a private
-- channel, promise to pass the feedback on, carry an agent's signature, and the template it
-- copies (macro reply_template), which tells automated and canned replies. A view: the rules
-- run only on the replies a build reads.
select
    network,
    post_id as reply_post_id,
    author_brand_id as brand_id,
    author_id as reply_author_id,
    in_reply_to_post_id,
    in_reply_to_author_id,
    created_at as replied_at,
    source as reply_source,
    {{ reply_labels('text') }}
from {{ ref('int_posts_authored') }}
where
    author_brand_id is not null
    and in_reply_to_post_id is not null
