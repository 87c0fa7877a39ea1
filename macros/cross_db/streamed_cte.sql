{#- Put between a CTE's name and its body (`name as {{ journeys.streamed_cte() }} (`) where the CTE is read more than
    once but must not be stored: DuckDB stores (materializes) such a CTE whole before reading it, which for the
    screening's rows means every raw row held in memory or spilled to disk. Elsewhere nothing: PostgreSQL keeps
    its own choice and Spark does not store CTEs. -#}
{% macro streamed_cte() -%}
    {{ return(adapter.dispatch('streamed_cte', 'journeys')()) }}
{%- endmacro %}

{% macro default__streamed_cte() -%}
{%- endmacro %}

{% macro duckdb__streamed_cte() -%}
    not materialized
{%- endmacro %}
