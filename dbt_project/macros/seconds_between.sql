{% macro seconds_between(start, finish) -%}
    {{ return(adapter.dispatch('seconds_between')(start, finish)) }}
{%- endmacro %}

{% macro default__seconds_between(start, finish) -%}
    (epoch({{ finish }}) - epoch({{ start }}))
{%- endmacro %}

{% macro postgres__seconds_between(start, finish) -%}
    cast(extract(epoch from {{ finish }}) - extract(epoch from {{ start }}) as double precision)
{%- endmacro %}
