{% macro seconds_between(start, finish) -%}
    (epoch({{ finish }}) - epoch({{ start }}))
{%- endmacro %}
