{#- A text column of a seed as SQL reads it: NULL for an empty cell, which engines load as NULL, '' or (Spark's
    seed loader) 'None' (see seed_cell_is_set for the same rule at compile time). -#}
{% macro seed_text(column) -%}
    case when trim({{ column }}) in ('', 'None') then null else {{ column }} end
{%- endmacro %}
