{#- The benchmark of a group of brands (an industry, a country) per period and network, from the
    brands' ranking rows: how many brands are ranked, their posts, the spread of their response
    rates and median response times, the SLA attainment of all their posts with an outcome, and
    the share of ranked brands holding the badge; of the answered posts, the shares whose first
    reply moved to private, promised to pass the feedback on, or was automated. The distributions are over ranked brands only
    (too few posts make a brand's rate noise); the totals over every brand of the group. -#}
{% macro benchmark_rows(group_column) -%}
    with ranking as (
        select
            *,
            base_posts - case when pending_in_base then pending_posts else 0 end as judged_posts
        from {{ ref('rpt_brand_ranking') }}
    )

    select
        period,
        period_type,
        period_start,
        network,
        coalesce({{ group_column }}, 'unknown') as {{ group_column }},
        count(*) as brands,
        count(*) filter (where is_eligible) as brands_ranked,
        cast(sum(customer_posts) as bigint) as customer_posts,
        cast(sum(base_posts) as bigint) as base_posts,
        {{ percentile('response_rate', 0.25) }} filter (where is_eligible) as response_rate_q1,
        {{ percentile('response_rate', 0.5) }} filter (where is_eligible) as response_rate_median,
        {{ percentile('response_rate', 0.75) }} filter (where is_eligible) as response_rate_q3,
        {{ percentile('median_response_seconds', 0.5) }} filter (where is_eligible)
            as median_response_seconds,
        {{ percentile('median_response_seconds', 0.9) }} filter (where is_eligible)
            as p90_response_seconds,
        {% for name in var('sla_windows') -%}
            sum(answered_within_{{ name }}_share * judged_posts) / nullif(sum(judged_posts), 0)
                as answered_within_{{ name }}_share,
        {% endfor -%}
        {% for share in ['moved_to_private', 'promises_feedback', 'automated'] -%}
            sum({{ share }}_share * answered_base_posts) / nullif(sum(answered_base_posts), 0)
                as {{ share }}_share,
        {% endfor -%}
        {{ as_float('avg(cast(socially_devoted as integer)) filter (where is_eligible)') }}
            as socially_devoted_share,
        bool_or(is_provisional) as is_provisional
    from ranking
    group by period, period_type, period_start, network, coalesce({{ group_column }}, 'unknown')
{%- endmacro %}
