{#- A text column read as a UTC timestamp: NULL when the text is NULL, empty or not a valid timestamp
    (never an error). Text with an offset (`Z`, `+02`, `-05:30`) is converted to UTC; text without one is
    taken as UTC. -#}
{% macro safe_parse_timestamp(expression) -%}
    {{ return(adapter.dispatch('safe_parse_timestamp', 'journeys')(expression)) }}
{%- endmacro %}

{% macro journeys_timestamp_offset_pattern() -%}
    :[0-9]{2}([.][0-9]+)? ?([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)$
{%- endmacro %}

{#- No portable SQL casts without failing on bad text: another adapter needs its own version. -#}
{% macro default__safe_parse_timestamp(expression) -%}
    {{ exceptions.raise_compiler_error(
        "journeys: safe_parse_timestamp has no version for adapter '" ~ adapter.type() ~ "'; add "
        ~ adapter.type() ~ "__safe_parse_timestamp to macros/cross_db/safe_parse_timestamp.sql") }}
{%- endmacro %}

{#- PostgreSQL: a cast that fails would stop the query, so the text is checked first; pg_input_is_valid
    (PostgreSQL 16+) also rejects impossible dates, older servers get a strict pattern check. The offset test
    runs once per value. -#}
{% macro postgres__safe_parse_timestamp(expression) -%}
    {%- set value = 'nullif(trim(' ~ expression ~ "), '')" -%}
    {%- set has_offset = journeys.regexp_like(value, journeys.journeys_timestamp_offset_pattern(), false) -%}
    {%- if journeys.postgres_server_version() >= 160000 -%}
    case
        when {{ has_offset }}
            then case
                when pg_input_is_valid({{ value }}, 'timestamptz')
                    then (cast({{ value }} as timestamp with time zone) at time zone 'UTC')
            end
        when pg_input_is_valid({{ value }}, 'timestamp') then cast({{ value }} as timestamp)
    end
    {%- else -%}
    {%- set strict = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)? ?([zZ]|[+-][0-9]{2}(:?[0-9]{2})?)?$' -%}
    case
        when not {{ journeys.regexp_like(value, strict, false) }} then null
        when {{ has_offset }} then (cast({{ value }} as timestamp with time zone) at time zone 'UTC')
        else cast({{ value }} as timestamp)
    end
    {%- endif -%}
{%- endmacro %}

{#- DuckDB: try_cast to timestamp ignores an offset, so text with one goes through timestamptz. -#}
{% macro duckdb__safe_parse_timestamp(expression) -%}
    {%- set value = 'nullif(trim(' ~ expression ~ "), '')" -%}
    case
        when {{ journeys.regexp_like(value, journeys.journeys_timestamp_offset_pattern(), false) }}
            then timezone('UTC', try_cast({{ value }} as timestamp with time zone))
        else try_cast({{ value }} as timestamp)
    end
{%- endmacro %}

{#- Spark: try_cast honours offsets; the session time zone must be UTC (see profiles.yml.example). -#}
{% macro spark__safe_parse_timestamp(expression) -%}
    try_cast(nullif(trim({{ expression }}), '') as timestamp)
{%- endmacro %}

{#- The PostgreSQL server's version number (e.g. 180001); 0 while parsing. -#}
{% macro postgres_server_version() -%}
    {%- if not execute -%}{{ return(0) }}{%- endif -%}
    {%- set result = run_query("select cast(current_setting('server_version_num') as integer)") -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}
