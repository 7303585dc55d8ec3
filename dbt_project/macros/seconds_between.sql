{#- Seconds from timestamp `start` to timestamp `finish`, with sub-second precision.
    dbt's datediff counts boundaries (whole seconds), which would round response times. -#}
{% macro seconds_between(start, finish) -%}
    {{ return(adapter.dispatch('seconds_between', 'carerank')(start, finish)) }}
{%- endmacro %}

{% macro default__seconds_between(start, finish) -%}
    extract(epoch from ({{ finish }} - {{ start }}))
{%- endmacro %}

{% macro duckdb__seconds_between(start, finish) -%}
    (epoch({{ finish }}) - epoch({{ start }}))
{%- endmacro %}
