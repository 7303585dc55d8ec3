-- Every brand account: the registry's, plus each author that the source itself marks
-- as a brand (TWCS inbound = False) and the registry does not list, as a brand of its own whose
-- brand_id is its handle.
with registry as (
    select
        brand_id,
        network,
        account_id,
        handle,
        handle_lower,
        is_primary,
        timezone,
        business_hours,
        true as is_registered
    from {{ ref('stg_brand_accounts') }}
),

declared_brand_authors as (
    select
        network,
        author_id as account_id,
        {{ arbitrary_value('author_handle', 'created_at desc') }} as handle
    from {{ ref('stg_posts') }}
    where author_is_brand
    group by network, author_id
),

unregistered as (
    select declared.*
    from declared_brand_authors as declared
    where not exists (
            select 1
            from registry
            where
                registry.network = declared.network
                and (
                    registry.account_id = declared.account_id
                    or registry.handle_lower = lower(declared.handle)
                )
        )
)

select * from registry
union all
select
    coalesce(handle, account_id) as brand_id,
    network,
    account_id,
    handle,
    lower(handle) as handle_lower,
    true as is_primary,
    'UTC' as timezone,
    null as business_hours,
    false as is_registered
from unregistered
