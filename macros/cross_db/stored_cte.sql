{#- Put between a CTE's name and its body (`name as {{ journeys.stored_cte() }} (`) where a long chain of CTEs, each
    read once by the next, must be planned one CTE at a time: PostgreSQL otherwise inlines the whole chain into one
    query, and planning the 200 iterations of the Markov solve that way took 6.2 s against 0.2 s to run them.
    Elsewhere nothing. -#}
{% macro stored_cte() -%}
    {{ return(adapter.dispatch('stored_cte', 'journeys')()) }}
{%- endmacro %}

{% macro default__stored_cte() -%}
{%- endmacro %}

{% macro postgres__stored_cte() -%}
    materialized
{%- endmacro %}
