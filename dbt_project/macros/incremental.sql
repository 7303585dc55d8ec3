{#- How the incremental models write their batch: dbt's merge strategy, keyed on unique_key. A
    batch row whose `marker` column is null is a removal: it deletes the stored row with its key.
    Any other row updates the stored row with its key, or is inserted. -#}
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

{#- The removals of a batch: the stored rows that are `due` (a condition on `stored`) but that
    the rebuilt rows (relation or CTE `rebuilt`) no longer hold, keyed on unique_key, with
    `marker` null. -#}
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
