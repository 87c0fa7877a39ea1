{#- A post-hook: `analyze` the table just built, on PostgreSQL (a new table has no statistics until autovacuum gets
    to it, and the next model's joins are planned blind); nothing for a view, nothing on the other engines. -#}
{% macro analyze_on_postgres(relation) -%}
    {{ return(adapter.dispatch('analyze_on_postgres', 'journeys')(relation)) }}
{%- endmacro %}

{% macro default__analyze_on_postgres(relation) -%}
{%- endmacro %}

{% macro postgres__analyze_on_postgres(relation) -%}
    {%- if config.get('materialized') != 'view' -%}
        analyze {{ relation }}
    {%- endif -%}
{%- endmacro %}
