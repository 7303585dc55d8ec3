{% macro registry_source(seed_name, file_var) -%}
    {%- set path = var(file_var) -%}
    {%- if path -%}
        select * from read_csv('{{ path | replace("'", "''") }}', header = true, all_varchar = true)
    {%- else -%}
        select * from {{ ref(seed_name) }}
    {%- endif -%}
{%- endmacro %}
