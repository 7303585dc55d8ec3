-- Ranks are dense over the eligible brands of each period and network: 1, 2, 3, ... without gaps.
select
    period_type,
    period,
    network,
    min(rank) as first_rank,
    max(rank) as last_rank,
    count(distinct rank) as distinct_ranks
from {{ ref('rpt_brand_ranking') }}
where is_eligible
group by period_type, period, network
having min(rank) <> 1 or max(rank) <> count(distinct rank)
