{% macro wilson_bound(successes, trials, z, side) -%}
    {%- set rate = "((" ~ successes ~ ")::float8 / (" ~ trials ~ "))" -%}
    case when {{ trials }} > 0 then
        {{ 'greatest(0.0, least(' ~ rate if side == 'low' else 'least(1.0, greatest(' ~ rate }},
        (
            ({{ successes }})::float8 / ({{ trials }})
            + {{ z }} * {{ z }} / (2.0 * ({{ trials }}))
            {{ '-' if side == 'low' else '+' }} {{ z }} * sqrt(
                ({{ successes }})::float8 / ({{ trials }})
                * (1 - ({{ successes }})::float8 / ({{ trials }})) / ({{ trials }})
                + {{ z }} * {{ z }} / (4.0 * ({{ trials }}) * ({{ trials }}))
            )
        ) / (1 + {{ z }} * {{ z }} / ({{ trials }}))))
    end
{%- endmacro %}
