-- How an industry answers, per period and network: the yardstick a brand's rank is read against.
{{ benchmark_rows('industry') }}
