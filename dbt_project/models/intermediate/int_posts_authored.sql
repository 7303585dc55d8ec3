-- Each post with the brand whose account wrote it (null: not a brand account). An account is
-- recognised by its id or, case-insensitively, by its handle, so a care account and a main
-- account both map to their brand.
with posts as (
    select * from {{ ref('stg_posts') }}
),

accounts as (
    select * from {{ ref('int_brand_accounts_unioned') }}
)

select
    posts.*,
    coalesce(by_id.brand_id, by_handle.brand_id) as author_brand_id
from posts
left join accounts as by_id
    on
        posts.network = by_id.network
        and posts.author_id = by_id.account_id
left join accounts as by_handle
    on
        posts.network = by_handle.network
        and posts.author_handle_lower = by_handle.handle_lower
