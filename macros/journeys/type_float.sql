{#- dbt's type_float() is double precision on PostgreSQL (`float` is float8 there) but single precision on
    DuckDB and Spark (`float` is 4 bytes): revenue and durations would lose digits. The project dispatches
    dbt's type_float to these (dispatch in dbt_project.yml), so every engine computes in double precision. -#}
{% macro duckdb__type_float() -%}
    double
{%- endmacro %}

{% macro spark__type_float() -%}
    double
{%- endmacro %}
