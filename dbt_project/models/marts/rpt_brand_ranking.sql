-- The published ranking (SPEC §2): period (quarter, month, year) x network (each, and 'all') x
-- brand. Every figure is over the ranking base (var ranking_base: questions by default): the
-- response rate with its Wilson interval, and median / p90 / mean response time over the
-- answered posts of the base. Brands with fewer than var min_posts base posts get no rank; ranks
-- are dense over the eligible brands, by rate descending, then median time ascending.
-- Incremental by period: a run rebuilds every period (each grain, all networks) that holds a
-- day fct_customer_posts queued for it, from the facts of those periods. Medians and quantiles
-- do not add up across days, so a period is recomputed from its facts, not from agg_brand_daily.
{{ config(
    materialized="incremental",
    incremental_strategy="append",
    pre_hook="{{ rpt_brand_ranking_clear_queued() }}",
    post_hook="{{ dequeue('rpt_brand_ranking') }}",
) }}
-- depends_on: {{ source('carerank_state', 'rebuild_queue') }}
{% set base_is_questions = var('ranking_base') == 'questions' %}
{% set z = var('confidence_z') %}
with facts as (
    select
        *,
        {{ 'is_question' if base_is_questions else 'true' }} as in_base
    from {{ ref('fct_customer_posts') }}
    {% if is_incremental() -%}
        where post_date >= (select min(period_start) from ({{ queued_periods() }}))
    {%- endif %}
),

periods as (
    -- every fact counts once per grain, and once for its network and once for 'all'
    select
        facts.* exclude (network),
        grain.period_type,
        case when scope.is_all then 'all' else facts.network end as network,
        {{ period_label('grain.period_type', 'facts.created_at') }} as period,
        cast(date_trunc(grain.period_type, facts.created_at) as date) as period_start
    from facts
    cross join (values ('quarter'), ('month'), ('year')) as grain (period_type)
    cross join (values (false), (true)) as scope (is_all)
    {% if is_incremental() -%}
        where
            {{ rebuild_everything('rpt_brand_ranking') }}
            or (grain.period_type, {{ period_label('grain.period_type', 'facts.created_at') }}) in (
                select period_type, period from ({{ queued_periods() }})
            )
    {%- endif %}
),

aggregated as (
    select
        period_type,
        period,
        period_start,
        network,
        brand_id,
        count(*) as customer_posts,
        count(*) filter (where is_question) as questions,
        count(*) filter (where is_question and status = 'answered') as answered_questions,
        count(*) filter (where in_base) as base_posts,
        count(*) filter (where in_base and status = 'answered') as answered_base_posts,
        count(*) filter (where in_base and status = 'pending') as pending_base_posts,
        median(response_seconds) filter (where in_base) as median_response_seconds,
        quantile_cont(response_seconds, 0.9) filter (where in_base) as p90_response_seconds,
        avg(response_seconds) filter (where in_base) as mean_response_seconds
    from periods
    group by period_type, period, period_start, network, brand_id
),

rated as (
    select
        aggregated.*,
        brands.brand_name,
        brands.industry,
        brands.country,
        aggregated.answered_base_posts / nullif(aggregated.base_posts, 0) as response_rate,
        {{ wilson_bound('aggregated.answered_base_posts', 'aggregated.base_posts', z, 'low') }}
            as response_rate_ci_low,
        {{ wilson_bound('aggregated.answered_base_posts', 'aggregated.base_posts', z, 'high') }}
            as response_rate_ci_high,
        aggregated.base_posts >= {{ var('min_posts') }} as is_eligible,
        aggregated.questions >= {{ var('socially_devoted_min_questions') }}
        and aggregated.answered_questions / nullif(aggregated.questions, 0)
        >= {{ var('socially_devoted_min_rate') }} as socially_devoted
    from aggregated
    inner join {{ ref('dim_brands') }} as brands
        on aggregated.brand_id = brands.brand_id
)

select
    period,
    period_type,
    period_start,
    network,
    brand_id,
    brand_name,
    industry,
    country,
    '{{ var("ranking_base") }}' as ranking_base,
    customer_posts,
    questions,
    answered_questions,
    base_posts,
    answered_base_posts,
    pending_base_posts,
    response_rate,
    response_rate_ci_low,
    response_rate_ci_high,
    median_response_seconds,
    p90_response_seconds,
    mean_response_seconds,
    is_eligible,
    case when is_eligible then dense_rank() over (
                partition by period_type, period, network, is_eligible
                order by response_rate desc, median_response_seconds asc nulls last
            )
    end as rank,
    case when is_eligible then dense_rank() over (
                partition by period_type, period, network, industry, is_eligible
                order by response_rate desc, median_response_seconds asc nulls last
            )
    end as rank_in_industry,
    case when is_eligible then dense_rank() over (
                partition by period_type, period, network, country, is_eligible
                order by response_rate desc, median_response_seconds asc nulls last
            )
    end as rank_in_country,
    coalesce(socially_devoted, false) as socially_devoted
from rated
