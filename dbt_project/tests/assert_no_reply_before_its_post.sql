-- A brand "reply" stamped earlier than its customer post is a data error: it does not
-- count as a reply. This warning reports how many there are.
{{ config(severity='warn') }}
select
    network,
    post_id,
    brand_id,
    replies_before_post
from {{ ref('int_reply_matches') }}
where replies_before_post > 0
