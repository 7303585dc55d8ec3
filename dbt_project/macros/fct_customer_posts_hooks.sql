{#- The observation time per network: var as_of, or else the end of the network's last landed
    UTC day (a file exported on some day cannot know of replies after it). -#}
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

{#- No reply within the horizon, and the horizon has not passed at the observation time. -#}
{% macro is_pending(created_at, observed_until) -%}
    {{ dbt.dateadd('day', var('horizon_days'), created_at) }} > {{ observed_until }}
{%- endmacro %}

{% macro fct_customer_posts_clear_queued() -%}
    {%- set marts = ['agg_brand_daily', 'rpt_brand_ranking'] -%}
    {%- if not is_incremental() -%}
        {{ enqueue_everything(marts) }}
    {%- else -%}
        {{ enqueue(marts,
            "select network, post_date from " ~ ref('int_posts_queued') ~ " join "
            ~ ref('stg_posts') ~ " using (network, post_id)"
            ~ " union all select network, post_date from " ~ rebuild_queue()
            ~ " where consumer = 'facts'"
        ) }};
        delete from {{ this }}
        where
            (network, post_id) in (select network, post_id from {{ ref('int_posts_queued') }})
            or {{ is_queued('facts') }}
    {%- endif -%}
{%- endmacro %}

{% macro fct_customer_posts_rejudge_pending() -%}
    {%- set status_changes -%}
        facts.network = observation.network
        and facts.status in ('pending', 'unanswered')
        and (facts.status = 'pending')
        != ({{ is_pending('facts.created_at', 'observation.observed_until') }})
    {%- endset -%}
    {%- if is_incremental() -%}
        {{ enqueue(['agg_brand_daily', 'rpt_brand_ranking'],
            "select facts.network, facts.post_date from " ~ this ~ " as facts, ("
            ~ observation_times() ~ ") as observation where " ~ status_changes) }};
        update {{ this }} as facts
        set status = case
            when {{ is_pending('facts.created_at', 'observation.observed_until') }} then 'pending'
            else 'unanswered'
        end
        from ({{ observation_times() }}) as observation
        where {{ status_changes }};
    {%- endif %}
    {{ dequeue('facts') }}
{%- endmacro %}
