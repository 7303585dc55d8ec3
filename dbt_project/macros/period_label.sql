{% macro period_label(period_type, moment) -%}
    {{ return(adapter.dispatch('period_label')(period_type, moment)) }}
{%- endmacro %}

{% macro default__period_label(period_type, moment) -%}
    case {{ period_type }}
        when 'quarter' then strftime({{ moment }}, '%Y') || 'Q' || quarter({{ moment }})
        when 'month' then strftime({{ moment }}, '%Y-%m')
        else strftime({{ moment }}, '%Y')
    end
{%- endmacro %}

{% macro postgres__period_label(period_type, moment) -%}
    case {{ period_type }}
        when 'quarter' then to_char({{ moment }}, 'YYYY') || 'Q' || extract(quarter from {{ moment }})
        when 'month' then to_char({{ moment }}, 'YYYY-MM')
        else to_char({{ moment }}, 'YYYY')
    end
{%- endmacro %}

{% macro spark__period_label(period_type, moment) -%}
    case {{ period_type }}
        when 'quarter' then date_format({{ moment }}, 'yyyy') || 'Q' || quarter({{ moment }})
        when 'month' then date_format({{ moment }}, 'yyyy-MM')
        else date_format({{ moment }}, 'yyyy')
    end
{%- endmacro %}

{% macro grain_months(period_type) -%}
    case {{ period_type }} when 'quarter' then 3 when 'month' then 1 else 12 end
{%- endmacro %}
