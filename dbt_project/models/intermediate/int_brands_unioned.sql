-- Every brand: the registry's, plus one per unregistered brand account (industry and country
-- unknown), so that nothing a source calls a brand is lost from the ranking.
with registry as (
    select
        brand_id,
        brand_name,
        industry,
        country,
        true as is_registered
    from {{ ref('stg_brands') }}
),

account_only as (
    select distinct brand_accounts.brand_id
    from {{ ref('int_brand_accounts_unioned') }} as brand_accounts
    where brand_accounts.brand_id not in (select registry.brand_id from registry)
)

select * from registry
union all
select
    brand_id,
    brand_id as brand_name,
    'unknown' as industry,
    'unknown' as country,
    false as is_registered
from account_only
