{#- `columns` as a select list, each qualified by `prefix` (e.g. `ranked.`), one per line at the given indentation
    (the first line is not indented). -#}
{% macro select_list(columns, indent=8, prefix='') -%}
    {%- set qualified = [] -%}
    {%- for column in columns -%}
        {%- do qualified.append(prefix ~ column) -%}
    {%- endfor -%}
    {{ return(qualified | join(',\n' ~ ' ' * indent)) }}
{%- endmacro %}
