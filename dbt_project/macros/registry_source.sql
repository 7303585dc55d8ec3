{#- The registry's rows: the user's CSV when the var `file_var` is set (--brands/--accounts),
    else the seed. Models using it declare `-- depends_on: ref(seed)` so the DAG is stable. -#}
{% macro registry_source(seed_name, file_var) -%}
    {%- set path = var(file_var) -%}
    {%- if path -%}
        select * from read_csv('{{ path | replace("'", "''") }}', header = true, all_varchar = true)
    {%- else -%}
        select * from {{ ref(seed_name) }}
    {%- endif -%}
{%- endmacro %}
