-- The brand registry as BI tools see it: every brand with industry, country and accounts.
with accounts as (
    select
        brand_id,
        {{ sorted_list('network', distinct=true) }} as networks,
        {{ sorted_list("network || ':' || handle") }} as account_handles,
        count(*) as account_count
    from {{ ref('int_brand_accounts_unioned') }}
    group by brand_id
)

select
    brands.brand_id,
    brands.brand_name,
    brands.industry,
    brands.country,
    brands.is_registered,
    coalesce(accounts.account_count, 0) as account_count,
    coalesce(accounts.networks, {{ empty_list() }}) as networks,
    coalesce(accounts.account_handles, {{ empty_list() }}) as account_handles
from {{ ref('int_brands_unioned') }} as brands
left join accounts
    on brands.brand_id = accounts.brand_id
