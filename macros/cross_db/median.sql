{#- The median of a numeric expression over a group's rows (NULLs left out; NULL for no row), interpolated between
    the two middle values of an even count, as percentile_cont(0.5) computes it. dbt has no cross-database
    median, and each engine spells it its own way. -#}
{% macro median(expression) -%}
    {{ return(adapter.dispatch('median', 'journeys')(expression)) }}
{%- endmacro %}

{#- PostgreSQL (and the SQL standard): the ordered-set aggregate. -#}
{% macro default__median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{#- DuckDB: quantile_cont is percentile_cont. -#}
{% macro duckdb__median(expression) -%}
    quantile_cont({{ expression }}, 0.5)
{%- endmacro %}

{#- Spark: percentile is exact and interpolates (percentile_approx would not be exact). -#}
{% macro spark__median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}
