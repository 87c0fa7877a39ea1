{#- A text column read as a double: NULL when it is NULL, empty or not a number (never an error). -#}
{% macro safe_cast_number(expression) -%}
    {{ return(adapter.dispatch('safe_cast_number', 'journeys')(expression)) }}
{%- endmacro %}

{#- PostgreSQL has no try_cast: the text is checked against a number pattern first. -#}
{% macro default__safe_cast_number(expression) -%}
    {%- set value = 'trim(' ~ expression ~ ')' -%}
    case
        when {{ journeys.regexp_like(value, '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$', false) }}
            then cast({{ value }} as {{ dbt.type_float() }})
    end
{%- endmacro %}

{#- DuckDB and Spark: try_cast. -#}
{% macro duckdb__safe_cast_number(expression) -%}
    try_cast(trim({{ expression }}) as {{ dbt.type_float() }})
{%- endmacro %}

{% macro spark__safe_cast_number(expression) -%}
    try_cast(trim({{ expression }}) as {{ dbt.type_float() }})
{%- endmacro %}
