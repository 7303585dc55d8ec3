{#- A regular-expression character class of the question marks (var question_marks). -#}
{% macro question_pattern() -%}
    '[{{ var("question_marks") | join("") | replace("'", "''") }}]'
{%- endmacro %}
