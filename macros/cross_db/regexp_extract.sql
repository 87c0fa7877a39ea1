{#- The text captured by group `group_index` of the first match of `pattern` in `expression`, NULL when
    there is no match or the group captured nothing. The pattern is a literal without single quotes or
    backslashes. -#}
{% macro regexp_extract(expression, pattern, group_index=1) -%}
    {{ return(adapter.dispatch('regexp_extract', 'journeys')(expression, pattern, group_index)) }}
{%- endmacro %}

{#- No portable SQL extracts a regular expression's group: another adapter needs its own version. -#}
{% macro default__regexp_extract(expression, pattern, group_index) -%}
    {{ exceptions.raise_compiler_error(
        "journeys: regexp_extract has no version for adapter '" ~ adapter.type() ~ "'; add "
        ~ adapter.type() ~ "__regexp_extract to macros/cross_db/regexp_extract.sql") }}
{%- endmacro %}

{#- PostgreSQL: regexp_match returns the array of captured groups (PostgreSQL 10 and later). -#}
{% macro postgres__regexp_extract(expression, pattern, group_index) -%}
    nullif((regexp_match({{ expression }}, '{{ pattern }}'))[{{ group_index }}], '')
{%- endmacro %}

{#- DuckDB: regexp_extract returns '' when nothing matches. -#}
{% macro duckdb__regexp_extract(expression, pattern, group_index) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', {{ group_index }}), '')
{%- endmacro %}

{#- Spark: like DuckDB, '' when nothing matches. -#}
{% macro spark__regexp_extract(expression, pattern, group_index) -%}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', {{ group_index }}), '')
{%- endmacro %}
