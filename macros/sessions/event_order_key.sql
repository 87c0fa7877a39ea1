{#- A string that sorts like (`timestamp`, `event_id`): the timestamp's microseconds since 1970, zero-padded to 20
    digits, then the event id. A running max() of it over events ordered by time and id gives the latest event
    that met a condition in the same window pass as the ordering itself (sessionize uses it to name each
    session by its first event without a second sort). Times before 1970 are not supported. -#}
{% macro event_order_key(timestamp, event_id) -%}
    {{ return(adapter.dispatch('event_order_key', 'journeys')(timestamp, event_id)) }}
{%- endmacro %}

{% macro default__event_order_key(timestamp, event_id) -%}
    {{ exceptions.raise_compiler_error(
        "journeys: event_order_key has no implementation for the " ~ adapter.type() ~ " adapter (it needs the "
        ~ "microseconds since 1970 of a timestamp); add " ~ adapter.type() ~ "__event_order_key.") }}
{%- endmacro %}

{#- PostgreSQL: extract(epoch) is exact (numeric) from PostgreSQL 14 on. -#}
{% macro postgres__event_order_key(timestamp, event_id) -%}
    lpad(cast(cast(extract(epoch from {{ timestamp }}) * 1000000 as bigint) as varchar), 20, '0') || '|' || {{ event_id }}
{%- endmacro %}

{% macro duckdb__event_order_key(timestamp, event_id) -%}
    lpad(cast(epoch_us({{ timestamp }}) as varchar), 20, '0') || '|' || {{ event_id }}
{%- endmacro %}

{% macro spark__event_order_key(timestamp, event_id) -%}
    concat(lpad(cast(unix_micros({{ timestamp }}) as string), 20, '0'), '|', {{ event_id }})
{%- endmacro %}

{#- The event id of a key made by event_order_key (it follows the 20 digits and the bar). -#}
{% macro event_order_key_event_id(key) -%}
    substr({{ key }}, 22)
{%- endmacro %}
