{% macro registry_source(seed_name, file_var) -%}
    {{ return(adapter.dispatch('registry_source')(seed_name, file_var)) }}
{%- endmacro %}

{% macro default__registry_source(seed_name, file_var) -%}
    {%- set path = var(file_var) -%}
    {%- if path -%}
        select * from read_csv('{{ path | replace("'", "''") }}', header = true, all_varchar = true)
    {%- else -%}
        select * from {{ ref(seed_name) }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__registry_source(seed_name, file_var) -%}
    {#- the on-run-start hook (macro create_landing_tables) maps the file to raw.registry_<seed> -#}
    {{ return(postgres__registry_source(seed_name, file_var)) }}
{%- endmacro %}

{% macro postgres__registry_source(seed_name, file_var) -%}
    {#- PostgreSQL cannot read a file on carerank's machine: the orchestration copies it into
        raw.registry_<seed> (ingestion/postgres.py load_registry) before dbt runs -#}
    {%- if var(file_var) -%}
        select * from raw.registry_{{ seed_name }}
    {%- else -%}
        select * from {{ ref(seed_name) }}
    {%- endif -%}
{%- endmacro %}
