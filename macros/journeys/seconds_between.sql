{#- The seconds from timestamp `start` to timestamp `end`, exactly (to the microsecond), as a float: negative when
    `end` is earlier. dbt's datediff counts whole-unit boundaries crossed, so it is not used for durations. -#}
{% macro seconds_between(start, end) -%}
    {{ return(adapter.dispatch('seconds_between', 'journeys')(start, end)) }}
{%- endmacro %}

{#- PostgreSQL: extract(epoch) of an interval is exact (numeric) from PostgreSQL 14 on. -#}
{% macro default__seconds_between(start, end) -%}
    cast(extract(epoch from ({{ end }} - {{ start }})) as {{ dbt.type_float() }})
{%- endmacro %}

{% macro duckdb__seconds_between(start, end) -%}
    (date_diff('microsecond', {{ start }}, {{ end }}) / 1000000.0)
{%- endmacro %}

{% macro spark__seconds_between(start, end) -%}
    ((unix_micros({{ end }}) - unix_micros({{ start }})) / 1000000.0)
{%- endmacro %}
