{#- The seconds from timestamp `start` to timestamp `end`, exactly (to the microsecond), as a float: negative when
    `end` is earlier. dbt's datediff counts whole-unit boundaries crossed, so it is not used for durations. -#}
{% macro seconds_between(start, end) -%}
    {{ return(adapter.dispatch('seconds_between', 'journeys')(start, end)) }}
{%- endmacro %}

{#- PostgreSQL: extract(epoch) of an interval is exact (numeric) from PostgreSQL 14 on. -#}
{% macro default__seconds_between(start, end) -%}
    cast(extract(epoch from ({{ end }} - {{ start }})) as {{ dbt.type_float() }})
{%- endmacro %}

{#- DuckDB and Spark: whole microseconds, divided as a double (a decimal division would round). -#}
{% macro duckdb__seconds_between(start, end) -%}
    (cast(date_diff('microsecond', {{ start }}, {{ end }}) as double) / 1000000)
{%- endmacro %}

{% macro spark__seconds_between(start, end) -%}
    (cast(unix_micros({{ end }}) - unix_micros({{ start }}) as double) / 1000000)
{%- endmacro %}
