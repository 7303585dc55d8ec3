-- depends_on: {{ ref('brands') }}
-- The brand registry: the seed, or the user's file when var brands_file is set (--brands).
{% set brands_file = var('brands_file') %}
with registry as (
    {% if brands_file %}
        select * from read_csv('{{ brands_file | replace("'", "''") }}', header = true, all_varchar = true)
    {% else %}
        select * from {{ ref('brands') }}
    {% endif %}
)

select
    trim(brand_id) as brand_id,
    coalesce(nullif(trim(brand_name), ''), trim(brand_id)) as brand_name,
    coalesce(nullif(trim(industry), ''), 'unknown') as industry,
    coalesce(nullif(trim(country), ''), 'unknown') as country
from registry
where nullif(trim(brand_id), '') is not null
