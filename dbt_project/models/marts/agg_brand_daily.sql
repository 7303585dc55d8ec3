-- Brand x network x UTC day: volumes, outcomes, rates and response times of customer posts.
-- Response times are over answered posts only.
-- Incremental by day: a run rebuilds the days that fct_customer_posts queued for it, and removes
-- the rows of those days that no brand holds any more (macro merge_batch).
{% set removal_marker = "customer_posts" %}
{{ config(
    materialized="incremental",
    incremental_strategy=batch_strategy(),
    unique_key=["brand_id", "network", "post_date"],
    merge_clauses=merge_batch(removal_marker),
    post_hook=["{{ drop_removals('" ~ removal_marker ~ "') }}", "{{ dequeue() }}"],
) }}
-- depends_on: {{ source('carerank_state', 'rebuild_queue') }}
with rebuilt as (
    select
        brand_id,
        network,
        post_date,
        count(*) as customer_posts,
        count(*) filter (where is_question) as questions,
        count(*) filter (where status = 'answered') as answered_posts,
        count(*) filter (where status = 'answered' and is_question) as answered_questions,
        count(*) filter (where status = 'unanswered') as unanswered_posts,
        count(*) filter (where status = 'pending') as pending_posts,
        {{ divide("count(*) filter (where status = 'answered')", 'count(*)') }} as response_rate,
        {{ divide(
            "count(*) filter (where status = 'answered' and is_question)",
            'nullif(count(*) filter (where is_question), 0)',
        ) }} as question_response_rate,
        {{ median('response_seconds') }} as median_response_seconds,
        {{ percentile('response_seconds', 0.9) }} as p90_response_seconds,
        avg(response_seconds) as mean_response_seconds,
    {%- for name in var('sla_windows') %}
        count(*) filter (where answered_within_{{ name }}) as answered_within_{{ name }}
        {{- "," if not loop.last }}
    {%- endfor %}
    from {{ ref('fct_customer_posts') }}
    {% if is_incremental() -%}
        where {{ is_queued() }}
    {%- endif %}
    group by brand_id, network, post_date
)

select * from rebuilt
{% if is_incremental() -%}
    {{ union_by_name() }}
    {{ removals('rebuilt', is_queued('stored.network', 'stored.post_date'), removal_marker) }}
{%- endif %}
