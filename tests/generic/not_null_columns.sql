{#- Fails on every row of the model in which any of `columns` is NULL: one scan for all the required columns of a
    wide, large model (a not_null test per column would scan it once per column). -#}
{% test not_null_columns(model, columns) %}

select *
from {{ model }}
where
    {% for column in columns -%}
    {{ column }} is null{% if not loop.last %} or {% endif %}
    {%- endfor %}

{% endtest %}
