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

{% macro removals(rebuilt, due, marker) -%}
    {%- set key = config.get('unique_key') -%}
    select stored.* replace (null as {{ marker }})
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
