{#- Fails on every row of the model in which any of `columns` is NULL, naming those columns first (null_columns):
    one scan for all the required columns of a model (a not_null test per column would scan it once per column
    and add a node to every build). -#}
{% test not_null_columns(model, columns) %}

{%- set null_names = [] -%}
{%- for column in columns -%}
    {%- do null_names.append("case when " ~ column ~ " is null then ' " ~ column ~ "' else '' end") -%}
{%- endfor %}

select
    trim({{ dbt.concat(null_names) }}) as null_columns,
    *
from {{ model }}
where
    {% for column in columns -%}
    {{ column }} is null{% if not loop.last %} or {% endif %}
    {%- endfor %}

{% endtest %}
