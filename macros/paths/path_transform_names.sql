{#- The transforms path_transform knows, in one place (its own check and the var check read it). -#}
{% macro path_transform_names() -%}
    {{ return(['raw', 'collapse_repeats', 'unique', 'first_n', 'last_n']) }}
{%- endmacro %}
