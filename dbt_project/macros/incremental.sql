{#- How the incremental models write their batch. Each macro is described in _macros.yml. -#}

{% macro merge_batch(marker) -%}
    {%- set is_removal = 'DBT_INTERNAL_SOURCE.' ~ marker ~ ' is null' -%}
    {{ return({
        'when_matched': [
            {'action': 'delete', 'condition': is_removal},
            {'action': 'update', 'mode': 'by_name'},
        ],
        'when_not_matched': [
            {'action': 'insert', 'mode': 'by_name', 'condition': 'not ' ~ is_removal},
        ],
    }) }}
{%- endmacro %}

{% macro batch_strategy() -%}
    {{ return(adapter.dispatch('batch_strategy')()) }}
{%- endmacro %}
{% macro default__batch_strategy() -%}
    {{ return('merge') }}
{%- endmacro %}
{% macro postgres__batch_strategy() -%}
    {{ return('delete+insert') }}
{%- endmacro %}
{% macro spark__batch_strategy() -%}
    {#- Parquet tables can be neither merged nor deleted from: a Spark build rebuilds every table
        (--full-refresh), and this strategy only fails loudly if run otherwise, as overwriting a
        table while reading it is refused -#}
    {{ return('insert_overwrite') }}
{%- endmacro %}

{% macro drop_removals(marker) -%}
    {{ return(adapter.dispatch('drop_removals')(marker)) }}
{%- endmacro %}
{% macro default__drop_removals(marker) -%}
    {#- the merge's clauses already deleted them (merge_batch) -#}
{%- endmacro %}
{% macro postgres__drop_removals(marker) -%}
    delete from {{ this }} where {{ marker }} is null
{%- endmacro %}

{% macro removals(rebuilt, due, marker) -%}
    {%- set key = config.get('unique_key') -%}
    select {{ star_replace('stored', this, {marker: 'null'}) }}
    from {{ this }} as stored
    where
        ({{ due }})
        and not exists (
            select 1 from {{ rebuilt }}
            where
                {% for column in key -%}
                    {{ rebuilt }}.{{ column }} = stored.{{ column }}{{ " and" if not loop.last }}
                {% endfor %}
        )
{%- endmacro %}
