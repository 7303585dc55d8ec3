{#- Bounds of the Wilson score interval for `successes` out of `trials` at normal quantile `z`
    (SPEC §2: every rate carries a 95% interval). Null when there are no trials. -#}
{% macro wilson_bound(successes, trials, z, side) -%}
    case when {{ trials }} > 0 then
        (
            ({{ successes }})::double / ({{ trials }})
            + {{ z }} * {{ z }} / (2.0 * ({{ trials }}))
            {{ '-' if side == 'low' else '+' }} {{ z }} * sqrt(
                ({{ successes }})::double / ({{ trials }})
                * (1 - ({{ successes }})::double / ({{ trials }})) / ({{ trials }})
                + {{ z }} * {{ z }} / (4.0 * ({{ trials }}) * ({{ trials }}))
            )
        ) / (1 + {{ z }} * {{ z }} / ({{ trials }}))
    end
{%- endmacro %}
