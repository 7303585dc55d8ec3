{% macro period_label(period_type, moment) -%}
    case {{ period_type }}
        when 'quarter' then strftime({{ moment }}, '%Y') || 'Q' || quarter({{ moment }})
        when 'month' then strftime({{ moment }}, '%Y-%m')
        else strftime({{ moment }}, '%Y')
    end
{%- endmacro %}
