-- Per brand, network, UTC day and care agent (the signature of the first reply, ^JD -> JD): the
-- posts the agent answered first, how fast, and how. Care teams manage people, not only accounts.
-- Unsigned replies are left out: without a signature there is no agent to count them for.
select
    brand_id,
    network,
    cast(first_reply_at as date) as reply_date,
    reply_agent as agent,
    count(*) as first_replies,
    {{ median('response_seconds') }} as median_response_seconds,
    {{ percentile('response_seconds', 0.9) }} as p90_response_seconds,
    {{ divide('count(*) filter (where answered_within_1h)', 'count(*)') }} as answered_within_1h_share,
    {{ divide('count(*) filter (where reply_moved_to_private)', 'count(*)') }}
        as moved_to_private_share,
    {{ divide('count(*) filter (where reply_promises_feedback)', 'count(*)') }}
        as promises_feedback_share
from {{ ref('fct_customer_posts') }}
where status = 'answered' and reply_agent is not null
group by brand_id, network, cast(first_reply_at as date), reply_agent
