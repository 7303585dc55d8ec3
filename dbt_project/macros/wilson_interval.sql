{% macro wilson_bound(successes, trials, z, side) -%}
    {%- set rate = "(" ~ as_float(successes) ~ " / (" ~ trials ~ "))" -%}
    case when {{ trials }} > 0 then
        {{ 'greatest(0.0, least(' ~ rate if side == 'low' else 'least(1.0, greatest(' ~ rate }},
        (
            {{ as_float(successes) }} / ({{ trials }})
            + {{ z }} * {{ z }} / (2.0 * ({{ trials }}))
            {{ '-' if side == 'low' else '+' }} {{ z }} * sqrt(
                {{ as_float(successes) }} / ({{ trials }})
                * (1 - {{ as_float(successes) }} / ({{ trials }})) / ({{ trials }})
                + {{ z }} * {{ z }} / (4.0 * ({{ trials }}) * ({{ trials }}))
            )
        ) / (1 + {{ z }} * {{ z }} / ({{ trials }}))))
    end
{%- endmacro %}
