-- Every rate lies in [0, 1] and inside its Wilson interval.
select
    period,
    network,
    brand_id,
    response_rate,
    response_rate_ci_low,
    response_rate_ci_high
from {{ ref('rpt_brand_ranking') }}
where
    response_rate < 0
    or response_rate > 1
    or response_rate < response_rate_ci_low - 1e-12
    or response_rate > response_rate_ci_high + 1e-12
