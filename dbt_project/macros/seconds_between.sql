{% macro seconds_between(start, finish) -%}
    {{ return(adapter.dispatch('seconds_between')(start, finish)) }}
{%- endmacro %}

{% macro default__seconds_between(start, finish) -%}
    (epoch({{ finish }}) - epoch({{ start }}))
{%- endmacro %}

{% macro postgres__seconds_between(start, finish) -%}
    cast(extract(epoch from {{ finish }}) - extract(epoch from {{ start }}) as double precision)
{%- endmacro %}

{% macro spark__seconds_between(start, finish) -%}
    {#- microseconds, as the timestamps hold them (unix_timestamp drops the fraction) -#}
    (cast(
        unix_micros(cast({{ finish }} as timestamp_ltz)) - unix_micros(cast({{ start }} as timestamp_ltz))
        as double
    ) / 1000000)
{%- endmacro %}
