{#- A `timestamp with time zone` column as a UTC timestamp without time zone. -#}
{% macro to_utc_timestamp(expression) -%}
    {{ return(adapter.dispatch('to_utc_timestamp', 'journeys')(expression)) }}
{%- endmacro %}

{#- PostgreSQL and DuckDB: `at time zone 'UTC'` drops the zone at UTC, whatever the session's zone. -#}
{% macro default__to_utc_timestamp(expression) -%}
    ({{ expression }} at time zone 'UTC')
{%- endmacro %}

{#- Spark timestamps are instants shown in the session time zone, which journeys requires to be UTC. -#}
{% macro spark__to_utc_timestamp(expression) -%}
    {{ expression }}
{%- endmacro %}
