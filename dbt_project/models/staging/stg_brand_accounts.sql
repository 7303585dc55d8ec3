-- depends_on: {{ ref('brand_accounts') }}
-- The brands' accounts: the seed, or the user's file when var accounts_file is set (--accounts).
with registry as (
    {{ registry_source('brand_accounts', 'accounts_file') }}
)

select
    trim(brand_id) as brand_id,
    lower(trim(network)) as network,
    nullif(trim(account_id), '') as account_id,
    {{ trim_leading('trim(handle)', "'@'") }} as handle,
    lower({{ trim_leading('trim(handle)', "'@'") }}) as handle_lower,
    coalesce({{ try_cast_boolean('is_primary') }}, false) as is_primary,
    coalesce(nullif(trim(timezone), ''), 'UTC') as timezone,
    nullif(trim(business_hours), '') as business_hours
from registry
where nullif(trim(brand_id), '') is not null
