{% macro question_pattern() -%}
    '[{{ var("question_marks") | join("") | replace("'", "''") }}]'
{%- endmacro %}
