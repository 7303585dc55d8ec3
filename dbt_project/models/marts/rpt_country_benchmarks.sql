-- How the brands of a country answer, per period and network.
{{ benchmark_rows('country') }}
