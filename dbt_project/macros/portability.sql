{#- The few expressions whose SQL differs between DuckDB, PostgreSQL and Spark, dispatched by
    adapter (default__: DuckDB's SQL, which the models were written in). A regular expression is
    written once, as DuckDB reads it; Spark's variants translate it (macro spark_pattern). Each
    macro is described in _macros.yml. -#}

{% macro percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('percentile')(expression, fraction)) }}
{%- endmacro %}
{% macro default__percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}
{% macro postgres__percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}
{% macro spark__percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro median(expression) -%}
    {{ return(adapter.dispatch('median')(expression)) }}
{%- endmacro %}
{% macro default__median(expression) -%}
    median({{ expression }})
{%- endmacro %}
{% macro postgres__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}
{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{% macro divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('divide')(numerator, denominator)) }}
{%- endmacro %}
{% macro default__divide(numerator, denominator) -%}
    {{ numerator }} / {{ denominator }}
{%- endmacro %}
{% macro postgres__divide(numerator, denominator) -%}
    cast({{ numerator }} as double precision) / {{ denominator }}
{%- endmacro %}
{% macro spark__divide(numerator, denominator) -%}
    cast({{ numerator }} as double) / {{ denominator }}
{%- endmacro %}

{% macro sorted_list(expression, distinct=false) -%}
    {{ return(adapter.dispatch('sorted_list')(expression, distinct)) }}
{%- endmacro %}
{% macro default__sorted_list(expression, distinct) -%}
    {%- if distinct -%}
        list_sort(list_distinct(list({{ expression }})))
    {%- else -%}
        list_sort(list({{ expression }}))
    {%- endif -%}
{%- endmacro %}
{% macro postgres__sorted_list(expression, distinct) -%}
    {#- collate "C": byte order, as DuckDB sorts text -#}
    {%- if distinct -%}
        coalesce(
            array_agg(distinct ({{ expression }}) collate "C" order by ({{ expression }}) collate "C")
            filter (where ({{ expression }}) is not null),
            '{}'
        )
    {%- else -%}
        array_agg({{ expression }} order by ({{ expression }}) collate "C")
    {%- endif -%}
{%- endmacro %}
{% macro spark__sorted_list(expression, distinct) -%}
    {#- array_sort: byte order, as DuckDB sorts text -#}
    array_sort({{ 'collect_set' if distinct else 'collect_list' }}({{ expression }}))
{%- endmacro %}

{% macro empty_list() -%}
    {{ return(adapter.dispatch('empty_list')()) }}
{%- endmacro %}
{% macro default__empty_list() -%}
    []
{%- endmacro %}
{% macro postgres__empty_list() -%}
    '{}'
{%- endmacro %}
{% macro spark__empty_list() -%}
    cast(array() as array<string>)
{%- endmacro %}

{% macro list_contains(list, value) -%}
    {{ return(adapter.dispatch('list_contains')(list, value)) }}
{%- endmacro %}
{% macro default__list_contains(list, value) -%}
    list_contains({{ list }}, {{ value }})
{%- endmacro %}
{% macro postgres__list_contains(list, value) -%}
    ({{ value }} = any({{ list }}))
{%- endmacro %}
{% macro spark__list_contains(list, value) -%}
    array_contains({{ list }}, {{ value }})
{%- endmacro %}

{% macro regexp_contains(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_contains')(text, pattern)) }}
{%- endmacro %}
{% macro default__regexp_contains(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }})
{%- endmacro %}
{% macro postgres__regexp_contains(text, pattern) -%}
    ({{ text }} ~ {{ pattern }})
{%- endmacro %}
{% macro spark__regexp_contains(text, pattern) -%}
    ({{ text }} rlike {{ spark_pattern(pattern) }})
{%- endmacro %}

{% macro arbitrary_value(expression, order_by=none) -%}
    {{ return(adapter.dispatch('arbitrary_value')(expression, order_by)) }}
{%- endmacro %}
{% macro default__arbitrary_value(expression, order_by) -%}
    any_value({{ expression }}{{ ' order by ' ~ order_by if order_by }})
{%- endmacro %}
{% macro postgres__arbitrary_value(expression, order_by) -%}
    {%- if order_by -%}
        (array_agg({{ expression }} order by {{ order_by }}) filter (where {{ expression }} is not null))[1]
    {%- else -%}
        min({{ expression }})
    {%- endif -%}
{%- endmacro %}
{% macro spark__arbitrary_value(expression, order_by) -%}
    {#- order_by is one column, optionally followed by asc or desc -#}
    {%- if order_by -%}
        {%- set column, direction = (order_by ~ ' asc').split()[:2] -%}
        {{ 'max_by' if direction | lower == 'desc' else 'min_by' }}({{ expression }}, {{ column }})
            filter (where {{ expression }} is not null)
    {%- else -%}
        min({{ expression }})
    {%- endif -%}
{%- endmacro %}

{% macro first_by(value, order_by, condition) -%}
    {{ return(adapter.dispatch('first_by')(value, order_by, condition)) }}
{%- endmacro %}
{% macro default__first_by(value, order_by, condition) -%}
    arg_min(
        {{ value }},
        { {%- for column in order_by %}'{{ column }}': {{ column }}{{ ', ' if not loop.last }}{% endfor -%} }
    ) filter (where {{ condition }})
{%- endmacro %}
{% macro postgres__first_by(value, order_by, condition) -%}
    (array_agg({{ value }} order by {{ order_by | join(', ') }}) filter (where {{ condition }}))[1]
{%- endmacro %}
{% macro spark__first_by(value, order_by, condition) -%}
    min_by({{ value }}, struct({{ order_by | join(', ') }})) filter (where {{ condition }})
{%- endmacro %}

{% macro day_series(first, last) -%}
    {{ return(adapter.dispatch('day_series')(first, last)) }}
{%- endmacro %}
{% macro default__day_series(first, last) -%}
    cast(unnest(generate_series({{ first }}, {{ last }}, interval 1 day)) as date)
{%- endmacro %}
{% macro postgres__day_series(first, last) -%}
    cast(generate_series(
        cast({{ first }} as timestamp), cast({{ last }} as timestamp), interval '1 day'
    ) as date)
{%- endmacro %}
{% macro spark__day_series(first, last) -%}
    explode(sequence(cast({{ first }} as date), cast({{ last }} as date), interval 1 day))
{%- endmacro %}

{% macro try_cast_boolean(expression) -%}
    {{ return(adapter.dispatch('try_cast_boolean')(expression)) }}
{%- endmacro %}
{% macro default__try_cast_boolean(expression) -%}
    try_cast({{ expression }} as boolean)
{%- endmacro %}
{% macro postgres__try_cast_boolean(expression) -%}
    case lower(trim(cast({{ expression }} as text)))
        when 'true' then true when 't' then true when '1' then true
        when 'false' then false when 'f' then false when '0' then false
    end
{%- endmacro %}
{% macro spark__try_cast_boolean(expression) -%}
    case lower(trim(cast({{ expression }} as string)))
        when 'true' then true when 't' then true when '1' then true
        when 'false' then false when 'f' then false when '0' then false
    end
{%- endmacro %}

{% macro star_replace(alias, relation, replacements) -%}
    {{ return(adapter.dispatch('star_replace')(alias, relation, replacements)) }}
{%- endmacro %}
{% macro default__star_replace(alias, relation, replacements) -%}
    {{ alias }}.* replace (
        {%- for column, expression in replacements.items() %}
        {{ expression }} as {{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    )
{%- endmacro %}
{% macro postgres__star_replace(alias, relation, replacements) -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- if column.name in replacements -%}
            {{ replacements[column.name] }} as {{ adapter.quote(column.name) }}
        {%- else -%}
            {{ alias }}.{{ adapter.quote(column.name) }}
        {%- endif -%}
        {{- ',\n    ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
{% macro spark__star_replace(alias, relation, replacements) -%}
    {{ return(postgres__star_replace(alias, relation, replacements)) }}
{%- endmacro %}

{% macro union_by_name() -%}
    {{ return(adapter.dispatch('union_by_name')()) }}
{%- endmacro %}
{% macro default__union_by_name() -%}
    union all by name
{%- endmacro %}
{% macro postgres__union_by_name() -%}
    {#- by position: a stored table has the columns of the select that built it, in its order -#}
    union all
{%- endmacro %}
{% macro spark__union_by_name() -%}
    union all
{%- endmacro %}

{% macro regexp_contains_ci(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_contains_ci')(text, pattern)) }}
{%- endmacro %}
{% macro default__regexp_contains_ci(text, pattern) -%}
    regexp_matches({{ text }}, {{ pattern }}, 'i')
{%- endmacro %}
{% macro postgres__regexp_contains_ci(text, pattern) -%}
    ({{ text }} ~* {{ pattern | replace('\\b', '\\y') }})
{%- endmacro %}
{% macro spark__regexp_contains_ci(text, pattern) -%}
    {#- (?iu): case-insensitive beyond ASCII (ä, ü), as DuckDB's 'i' is -#}
    ({{ text }} rlike {{ spark_pattern(pattern, case_insensitive=true) }})
{%- endmacro %}

{% macro regexp_group(text, pattern) -%}
    {{ return(adapter.dispatch('regexp_group')(text, pattern)) }}
{%- endmacro %}
{% macro default__regexp_group(text, pattern) -%}
    regexp_extract({{ text }}, {{ pattern }}, 1)
{%- endmacro %}
{% macro postgres__regexp_group(text, pattern) -%}
    substring({{ text }} from {{ pattern | replace('\\b', '\\y') }})
{%- endmacro %}
{% macro spark__regexp_group(text, pattern) -%}
    regexp_extract({{ text }}, {{ spark_pattern(pattern) }}, 1)
{%- endmacro %}

{% macro contract_columns() -%}
    {{ return(adapter.dispatch('contract_columns')()) }}
{%- endmacro %}
{% macro default__contract_columns() -%}
    {#- DuckDB unions the stored rows by name: the batch's order does not matter -#}
    *
{%- endmacro %}
{% macro postgres__contract_columns() -%}
    {#- the model's columns in the order of its contract (its YAML): the order PostgreSQL keeps
        them in the table, which the positional union with the stored rows must follow (a unit
        test's node has no columns of its own) -#}
    {%- if model.columns %}
        {{ model.columns.keys() | join(',\n    ') }}
    {%- else -%}
        *
    {%- endif %}
{%- endmacro %}
{% macro spark__contract_columns() -%}
    {{ return(postgres__contract_columns()) }}
{%- endmacro %}

{% macro var_is_on(name) -%}
    {#- a yes/no var as the command line, carerank.toml or --vars may spell it: true, 1 or yes -#}
    {{ return(var(name) | string | lower in ['true', '1', 'yes']) }}
{%- endmacro %}

{% macro as_float(expression) -%}
    {{ return(adapter.dispatch('as_float')(expression)) }}
{%- endmacro %}
{% macro default__as_float(expression) -%}
    cast({{ expression }} as float8)
{%- endmacro %}
{% macro spark__as_float(expression) -%}
    cast({{ expression }} as double)
{%- endmacro %}

{% macro unnest_list(list) -%}
    {{ return(adapter.dispatch('unnest_list')(list)) }}
{%- endmacro %}
{% macro default__unnest_list(list) -%}
    unnest({{ list }})
{%- endmacro %}
{% macro spark__unnest_list(list) -%}
    explode({{ list }})
{%- endmacro %}

{% macro split_to_list(text, separator) -%}
    {{ return(adapter.dispatch('split_to_list')(text, separator)) }}
{%- endmacro %}
{% macro default__split_to_list(text, separator) -%}
    string_to_array({{ text }}, {{ separator }})
{%- endmacro %}
{% macro spark__split_to_list(text, separator) -%}
    {#- split takes a regular expression: the separator is quoted as a literal one -#}
    split({{ text }}, '\\Q' || {{ separator }} || '\\E')
{%- endmacro %}

{% macro regexp_replace_all(text, pattern, replacement, case_insensitive=false) -%}
    {{ return(adapter.dispatch('regexp_replace_all')(text, pattern, replacement, case_insensitive)) }}
{%- endmacro %}
{% macro default__regexp_replace_all(text, pattern, replacement, case_insensitive) -%}
    regexp_replace({{ text }}, {{ pattern }}, {{ replacement }}, '{{ "gi" if case_insensitive else "g" }}')
{%- endmacro %}
{% macro postgres__regexp_replace_all(text, pattern, replacement, case_insensitive) -%}
    regexp_replace(
        {{ text }}, {{ pattern | replace('\\b', '\\y') }}, {{ replacement }},
        '{{ "gi" if case_insensitive else "g" }}'
    )
{%- endmacro %}
{% macro spark__regexp_replace_all(text, pattern, replacement, case_insensitive) -%}
    {#- Java writes a group of the match as $1, not \1 -#}
    regexp_replace(
        {{ text }},
        {{ spark_pattern(pattern, case_insensitive=case_insensitive) }},
        {{ replacement | replace('\\', '$') }}
    )
{%- endmacro %}

{% macro iso_weekday(day) -%}
    {{ return(adapter.dispatch('iso_weekday')(day)) }}
{%- endmacro %}
{% macro default__iso_weekday(day) -%}
    extract(isodow from {{ day }})
{%- endmacro %}
{% macro spark__iso_weekday(day) -%}
    extract(dayofweek_iso from {{ day }})
{%- endmacro %}

{% macro utc_timestamp(instant) -%}
    {{ return(adapter.dispatch('utc_timestamp')(instant)) }}
{%- endmacro %}
{% macro default__utc_timestamp(instant) -%}
    timezone('UTC', {{ instant }})
{%- endmacro %}
{% macro spark__utc_timestamp(instant) -%}
    {#- the session's time zone is UTC (profiles.yml) -#}
    cast({{ instant }} as timestamp_ntz)
{%- endmacro %}

{% macro earliest_timestamp() -%}
    {{ return(adapter.dispatch('earliest_timestamp')()) }}
{%- endmacro %}
{% macro default__earliest_timestamp() -%}
    cast('-infinity' as timestamp)
{%- endmacro %}
{% macro spark__earliest_timestamp() -%}
    {#- Spark has no infinite timestamps: its first one -#}
    timestamp_ntz '0001-01-01 00:00:00'
{%- endmacro %}

{% macro trim_leading(text, characters) -%}
    {{ return(adapter.dispatch('trim_leading')(text, characters)) }}
{%- endmacro %}
{% macro default__trim_leading(text, characters) -%}
    ltrim({{ text }}, {{ characters }})
{%- endmacro %}
{% macro spark__trim_leading(text, characters) -%}
    {#- Spark's ltrim takes the characters first -#}
    trim(leading {{ characters }} from {{ text }})
{%- endmacro %}

{% macro cte_inlined() -%}
    {{ return(adapter.dispatch('cte_inlined')()) }}
{%- endmacro %}
{% macro default__cte_inlined() -%}
    not materialized
{%- endmacro %}
{% macro spark__cte_inlined() -%}
{%- endmacro %}

{% macro planner_settings() -%}
    {{ return(adapter.dispatch('planner_settings')()) }}
{%- endmacro %}
{% macro default__planner_settings() -%}
{%- endmacro %}
{% macro postgres__planner_settings() -%}
    set local enable_nestloop = off
{%- endmacro %}
