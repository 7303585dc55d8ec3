{#- How a fact is judged against the observation time. Each macro is described in _macros.yml. -#}

{% macro observation_times() -%}
    select
        network,
        {% if var('as_of') -%}
            cast('{{ var("as_of") }}' as timestamp) as observed_until
        {%- else -%}
            cast({{ dbt.dateadd('day', 1, 'max(post_date)') }} as timestamp) as observed_until
        {%- endif %}
    from {{ ref('stg_posts') }}
    group by network
{%- endmacro %}

{% macro is_pending(created_at, observed_until) -%}
    {{ dbt.dateadd('day', var('horizon_days'), created_at) }} > {{ observed_until }}
{%- endmacro %}

{% macro status_moves(facts, observation) -%}
    {{ facts }}.status in ('pending', 'unanswered')
    and ({{ facts }}.status = 'pending')
    != ({{ is_pending(facts ~ '.created_at', observation ~ '.observed_until') }})
{%- endmacro %}
