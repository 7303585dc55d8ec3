{#- Time zone conversions of a UTC timestamp without time zone (as the models store them). Both
    DuckDB and PostgreSQL read `timestamp at time zone zone` as a wall-clock time in that zone
    (giving an instant) and `instant at time zone zone` as the wall-clock time there, with the
    zone's daylight saving rules; Spark has from_utc_timestamp and to_utc_timestamp for the
    same. -#}

{% macro utc_to_local(timestamp, zone) -%}
    {{ return(adapter.dispatch('utc_to_local')(timestamp, zone)) }}
{%- endmacro %}
{% macro default__utc_to_local(timestamp, zone) -%}
    (({{ timestamp }}) at time zone 'UTC') at time zone {{ zone }}
{%- endmacro %}
{% macro spark__utc_to_local(timestamp, zone) -%}
    cast(from_utc_timestamp({{ timestamp }}, {{ zone }}) as timestamp_ntz)
{%- endmacro %}

{% macro local_to_utc(timestamp, zone) -%}
    {{ return(adapter.dispatch('local_to_utc')(timestamp, zone)) }}
{%- endmacro %}
{% macro default__local_to_utc(timestamp, zone) -%}
    (({{ timestamp }}) at time zone {{ zone }}) at time zone 'UTC'
{%- endmacro %}
{% macro spark__local_to_utc(timestamp, zone) -%}
    cast(to_utc_timestamp({{ timestamp }}, {{ zone }}) as timestamp_ntz)
{%- endmacro %}

{#- Seconds after midnight of an HH:MM time of a schedule ('24:00' is 86400). -#}
{% macro clock_seconds(hh_mm) -%}
    (cast(split_part({{ hh_mm }}, ':', 1) as integer) * 3600
    + cast(split_part({{ hh_mm }}, ':', 2) as integer) * 60)
{%- endmacro %}
