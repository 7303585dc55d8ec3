-- depends_on: {{ ref('brands') }}
-- The brand registry: the seed, or the user's file when var brands_file is set (--brands).
with registry as (
    {{ registry_source('brands', 'brands_file') }}
)

select
    trim(brand_id) as brand_id,
    coalesce(nullif(trim(brand_name), ''), trim(brand_id)) as brand_name,
    coalesce(nullif(trim(industry), ''), 'unknown') as industry,
    coalesce(nullif(trim(country), ''), 'unknown') as country
from registry
where nullif(trim(brand_id), '') is not null
