-- The published ranking: period (quarter, month, year) x network (each, and 'all') x brand.
-- Every figure is over the ranking base (var ranking_base: questions by default, needs_reply:
-- the posts that need a reply, or customer_posts: every one): the response rate with its Wilson
-- interval, SLA attainment, and median / p90 / mean response time over the answered posts of the
-- base (without automated first replies when var exclude_automated_from_time); the shares of
-- answers moved to private, promising feedback and automated. A pending post (no reply
-- yet, horizon not passed) has no outcome yet: by default it leaves the base (var
-- pending_in_base: false), so that a period still open does not look worse than it will be;
-- with true it counts as not answered. Brands with fewer
-- than var min_posts base posts get no rank; ranks are dense over the eligible brands, by rate
-- descending, then median time ascending. Times and SLA shares are read on var response_clock:
-- wall (calendar time, the default) or business (only the brand's open hours count:
-- fct_customer_posts.business_response_seconds); the horizon, and so the response rate, is
-- wall-clock either way. A row is provisional while replies can still arrive:
-- the period's last posts are within the horizon of the observation time, or a post is pending.
-- Incremental by period: a run rebuilds every period (each grain, all networks) that holds a
-- day fct_customer_posts queued for it, and every period stored as provisional (the observation
-- time moves every night, and a period turns final with none of its facts changing; a final
-- period never turns provisional again, as the observation time only grows). A period is
-- recomputed from its facts, not from agg_brand_daily: medians and quantiles do not add up
-- across days. Rows of a rebuilt period that no brand holds any more are removed (macro
-- merge_batch). Trends compare a brand with itself in the previous period of the same grain and
-- network; since they change when that period does, the period after each rebuilt one is
-- rebuilt too.
{% set removal_marker = "customer_posts" %}
{{ config(
    materialized="incremental",
    incremental_strategy=batch_strategy(),
    unique_key=["period_type", "period", "network", "brand_id"],
    merge_clauses=merge_batch(removal_marker),
    post_hook=["{{ drop_removals('" ~ removal_marker ~ "') }}", "{{ dequeue() }}"],
) }}
-- depends_on: {{ source('carerank_state', 'rebuild_queue') }}
{% set in_base = {
    'questions': 'facts.is_question',
    'needs_reply': 'coalesce(facts.needs_reply, true)',
    'customer_posts': 'true',
}.get(var('ranking_base')) %}
{% if in_base is none %}
    {{ exceptions.raise_compiler_error(
        "var ranking_base: " ~ var('ranking_base') ~ "; use questions, needs_reply or customer_posts"
    ) }}
{% endif %}
{% set pending_in_base = var_is_on('pending_in_base') %}
{% set automated_out_of_time = var_is_on('exclude_automated_from_time') %}
{% set z = var('confidence_z') %}
{#- which clock the times and SLA shares are read on: wall-clock, or the brand's open hours -#}
{% set clock = var('response_clock') %}
{% if clock not in ['wall', 'business'] %}
    {{ exceptions.raise_compiler_error("var response_clock must be wall or business, not " ~ clock) }}
{% endif %}
{% set clock_suffix = '_business' if clock == 'business' else '' %}
{% set everything = rebuild_everything() %}
with observation as (
    {{ observation_times() }}
),

{% if is_incremental() -%}
    queued_or_provisional as (
        select distinct
            grain.period_type,
            {{ period_label('grain.period_type', 'queued.post_date') }} as period,
            cast(date_trunc(grain.period_type, queued.post_date) as date) as period_start
        from ({{ queued_days() }}) as queued
        cross join (values ('quarter'), ('month'), ('year')) as grain (period_type)
        union
        select
            period_type,
            period,
            period_start
        from {{ this }}
        where is_provisional
    ),

    queued_periods as (
        -- each queued period and the one after it, whose trends compare with it
        select
            period_type,
            period,
            period_start
        from queued_or_provisional
        union
        select
            period_type,
            {{ period_label('period_type', 'next_start') }} as period,
            next_start as period_start
        from (
            select
                period_type,
                cast(
                    {{ dbt.dateadd('month', grain_months('period_type'), 'period_start') }} as date
                ) as next_start
            from queued_or_provisional
        ) as following
    ),
{%- endif %}

facts as (
    select
        facts.*,
        observation.observed_until,
        {{ in_base }} as in_base
    from {{ ref('fct_customer_posts') }} as facts
    left join observation
        on facts.network = observation.network
    {% if is_incremental() -%}
        where
            {{ everything }}
            or facts.post_date >= (select min(queued_periods.period_start) from queued_periods)
    {%- endif %}
),

periods as (
    -- every fact counts once per grain, and once for its network and once for 'all'
    select
        facts.brand_id,
        facts.created_at,
        facts.is_question,
        facts.status,
        facts.in_base,
        {% for name in var('sla_windows') -%}
            {{ 'facts.answered_within_' ~ name ~ clock_suffix }}
            {{- ' as answered_within_' ~ name if clock_suffix }},
        {% endfor -%}
        {%- set clocked_seconds = 'facts.' ~ ('business_' if clock_suffix else '') ~ 'response_seconds' %}
        {% if automated_out_of_time -%}
            -- an automated first reply answers the post but says nothing of how fast people do
            case when facts.reply_is_automated then null else {{ clocked_seconds }} end
                as response_seconds,
        {%- else -%}
            {{ clocked_seconds }} as response_seconds,
        {%- endif %}
        facts.reply_is_automated,
        facts.reply_moved_to_private,
        facts.reply_promises_feedback,
        facts.observed_until,
        grain.period_type,
        case when scope.is_all then 'all' else facts.network end as network,
        {{ period_label('grain.period_type', 'facts.created_at') }} as period,
        cast(date_trunc(grain.period_type, facts.created_at) as date) as period_start
    from facts
    cross join (values ('quarter'), ('month'), ('year')) as grain (period_type)
    cross join (values (false), (true)) as scope (is_all)
    {% if is_incremental() -%}
        where
            {{ everything }}
            or (grain.period_type, {{ period_label('grain.period_type', 'facts.created_at') }}) in (
                select queued_periods.period_type, queued_periods.period from queued_periods
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
        count(*) filter (where is_question and status != 'pending') as judged_questions,
        count(*) filter (where in_base) as all_base_posts,
        count(*) filter (where in_base and status != 'pending') as judged_base_posts,
        count(*) filter (where in_base and status = 'answered') as answered_base_posts,
        count(*) filter (where in_base and status = 'pending') as pending_posts,
        {% for name in var('sla_windows') -%}
            count(*) filter (where in_base and answered_within_{{ name }}) as within_{{ name }}_posts,
        {% endfor -%}
        count(*) filter (
            where in_base and status = 'answered' and reply_moved_to_private
        ) as moved_to_private_posts,
        count(*) filter (
            where in_base and status = 'answered' and reply_promises_feedback
        ) as promises_feedback_posts,
        count(*) filter (
            where in_base and status = 'answered' and reply_is_automated
        ) as automated_posts,
        {{ median('response_seconds') }} filter (where in_base) as median_response_seconds,
        {{ percentile('response_seconds', 0.9) }} filter (where in_base) as p90_response_seconds,
        avg(response_seconds) filter (where in_base) as mean_response_seconds,
        -- a null observation time (a network with no landed day) is taken as not observed yet
        min(coalesce(observed_until, {{ earliest_timestamp() }})) as observed_until
    from periods
    group by period_type, period, period_start, network, brand_id
),

bounded as (
    select
        period_type,
        period,
        period_start,
        network,
        brand_id,
        customer_posts,
        questions,
        answered_questions,
        judged_questions,
        all_base_posts,
        judged_base_posts,
        answered_base_posts,
        pending_posts,
        {% for name in var('sla_windows') -%}
            within_{{ name }}_posts,
        {% endfor -%}
        moved_to_private_posts,
        promises_feedback_posts,
        automated_posts,
        median_response_seconds,
        p90_response_seconds,
        mean_response_seconds,
        case period_type
            when 'quarter' then period_start + interval '3 month'
            when 'month' then period_start + interval '1 month'
            else period_start + interval '1 year'
        end as period_end_at,
        -- one observation time per period and network: for 'all', the earliest of the networks
        -- with posts in the period, so that no network's late replies can still move its ranks
        min(observed_until) over (partition by period_type, period, network) as observed_until,
        {{ 'all_base_posts' if pending_in_base else 'judged_base_posts' }} as base_posts,
        {{ 'questions' if pending_in_base else 'judged_questions' }} as badge_questions
    from aggregated
),

rated as (
    select
        bounded.*,
        brands.brand_name,
        brands.industry,
        brands.country,
        {{ divide('bounded.answered_base_posts', 'nullif(bounded.base_posts, 0)') }} as response_rate,
        {{ wilson_bound('bounded.answered_base_posts', 'bounded.base_posts', z, 'low') }}
            as response_rate_ci_low,
        {{ wilson_bound('bounded.answered_base_posts', 'bounded.base_posts', z, 'high') }}
            as response_rate_ci_high,
        bounded.base_posts >= {{ var('min_posts') }} as is_eligible,
        bounded.badge_questions >= {{ var('socially_devoted_min_questions') }}
        and {{ divide('bounded.answered_questions', 'nullif(bounded.badge_questions, 0)') }}
        >= {{ var('socially_devoted_min_rate') }} as socially_devoted,
        {{ dbt.dateadd('day', var('horizon_days'), 'bounded.period_end_at') }}
        > bounded.observed_until
        or bounded.pending_posts > 0 as is_provisional
    from bounded
    inner join {{ ref('dim_brands') }} as brands
        on bounded.brand_id = brands.brand_id
),

rebuilt as (
    select
        period,
        period_type,
        period_start,
        cast(period_end_at - interval '1 day' as date) as period_end,
        network,
        brand_id,
        brand_name,
        industry,
        country,
        '{{ var("ranking_base") }}' as ranking_base,
        {{ 'true' if pending_in_base else 'false' }} as pending_in_base,
        customer_posts,
        questions,
        answered_questions,
        base_posts,
        answered_base_posts,
        pending_posts,
        {{ divide('pending_posts', 'nullif(all_base_posts, 0)') }} as pending_share,
        response_rate,
        response_rate_ci_low,
        response_rate_ci_high,
        {% for name in var('sla_windows') -%}
            {{ divide('within_' ~ name ~ '_posts', 'nullif(judged_base_posts, 0)') }}
                as answered_within_{{ name }}_share,
        {% endfor -%}
        {{ divide('moved_to_private_posts', 'nullif(answered_base_posts, 0)') }}
            as moved_to_private_share,
        {{ divide('promises_feedback_posts', 'nullif(answered_base_posts, 0)') }}
            as promises_feedback_share,
        {{ divide('automated_posts', 'nullif(answered_base_posts, 0)') }} as automated_share,
        {{ automated_out_of_time }} as automated_out_of_time,
        median_response_seconds,
        p90_response_seconds,
        mean_response_seconds,
        is_eligible,
        -- bigint on every adapter (Spark's dense_rank is an int)
        cast(case when is_eligible then dense_rank() over (
                    partition by period_type, period, network, is_eligible
                    order by response_rate desc, median_response_seconds asc nulls last
                )
        end as bigint) as rank,
        cast(case when is_eligible then dense_rank() over (
                    partition by period_type, period, network, industry, is_eligible
                    order by response_rate desc, median_response_seconds asc nulls last
                )
        end as bigint) as rank_in_industry,
        cast(case when is_eligible then dense_rank() over (
                    partition by period_type, period, network, country, is_eligible
                    order by response_rate desc, median_response_seconds asc nulls last
                )
        end as bigint) as rank_in_country,
        coalesce(socially_devoted, false) as socially_devoted,
        is_provisional,
        cast({{ var('min_posts') }} as integer) as min_posts_required,
        {{ as_float(var('socially_devoted_min_rate')) }} as socially_devoted_min_rate,
        cast({{ var('socially_devoted_min_questions') }} as integer) as socially_devoted_min_questions,
        cast({{ var('horizon_days') }} as integer) as horizon_days
    from rated
),

{%- set period_is_rebuilt -%}
    {{ everything }} or (stored.period_type, stored.period) in (
        select queued_periods.period_type, queued_periods.period from queued_periods
    )
{%- endset %}

compared as (
    -- what a brand's trend compares with: its rows rebuilt now, or stored ones left as they are
    select
        period_type,
        period_start,
        network,
        brand_id,
        rank,
        response_rate
    from rebuilt
    {% if is_incremental() -%}
        union all
        select
            stored.period_type,
            stored.period_start,
            stored.network,
            stored.brand_id,
            stored.rank,
            stored.response_rate
        from {{ this }} as stored
        where not ({{ period_is_rebuilt }})
    {%- endif %}
),

trended as (
    select
        rebuilt.*,
        previous.rank as previous_rank,
        previous.rank - rebuilt.rank as rank_change,
        previous.response_rate as previous_response_rate,
        rebuilt.response_rate - previous.response_rate as response_rate_change,
        '{{ clock }}' as response_clock
    from rebuilt
    left join compared as previous
        on
            rebuilt.period_type = previous.period_type
            and rebuilt.network = previous.network
            and rebuilt.brand_id = previous.brand_id
            and previous.period_start = cast(
                {{ dbt.dateadd('month', '-' ~ grain_months('rebuilt.period_type'), 'rebuilt.period_start') }}
                as date
            )
)

select
    {{ contract_columns() }}
from trended
{% if is_incremental() -%}
    {{ union_by_name() }}
    {{ removals('rebuilt', period_is_rebuilt, removal_marker) }}
{%- endif %}
