{#- The combination of `columns` is unique (dbt_utils' test, written here: dbt deps cannot reach
    the package hub from this project's machines). -#}
{% test unique_combination(model, columns) %}
select {{ columns | join(', ') }}, count(*) as copies
from {{ model }}
group by {{ columns | join(', ') }}
having count(*) > 1
{% endtest %}
