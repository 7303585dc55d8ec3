-- depends_on: {{ ref('brand_accounts') }}
-- The brands' accounts: the seed, or the user's file when var accounts_file is set (--accounts).
{% set accounts_file = var('accounts_file') %}
with registry as (
    {% if accounts_file %}
        select * from read_csv('{{ accounts_file | replace("'", "''") }}', header = true, all_varchar = true)
    {% else %}
        select * from {{ ref('brand_accounts') }}
    {% endif %}
)

select
    trim(brand_id) as brand_id,
    lower(trim(network)) as network,
    nullif(trim(account_id), '') as account_id,
    ltrim(trim(handle), '@') as handle,
    lower(ltrim(trim(handle), '@')) as handle_lower,
    coalesce(try_cast(is_primary as boolean), false) as is_primary,
    coalesce(nullif(trim(timezone), ''), 'UTC') as timezone,
    nullif(trim(business_hours), '') as business_hours
from registry
where nullif(trim(brand_id), '') is not null
