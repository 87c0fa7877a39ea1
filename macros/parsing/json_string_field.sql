{#- The text value of the first `"field": "..."` in a JSON text (NULL when absent, empty or not a string), read
    without a JSON parser so that malformed JSON reads as NULL instead of stopping the query, on every engine.
    Made for Snowplow's context columns, arrays of flat objects such as `[{"id":"56a5..."}]`; a value with an
    escaped quote is cut at the escape. `field` is a literal of letters, digits and underscores. -#}
{% macro json_string_field(json_text, field) -%}
    {{ return(adapter.dispatch('json_string_field', 'journeys')(json_text, field)) }}
{%- endmacro %}

{#- A regular expression (dispatched itself), which allows spaces around the colon. -#}
{% macro default__json_string_field(json_text, field) -%}
    {{ journeys.regexp_extract(json_text, '"' ~ field ~ '" *: *"([^"]*)"', 1) }}
{%- endmacro %}

{#- PostgreSQL: its regular expressions cost four times split_part, so the compact form that loaders write
    (`"id":"`) is cut out with split_part, and only other spellings go through the regular expression. -#}
{% macro postgres__json_string_field(json_text, field) -%}
    case
        when strpos({{ json_text }}, '"{{ field }}":"') > 0
            then nullif(split_part(split_part({{ json_text }}, '"{{ field }}":"', 2), '"', 1), '')
        else {{ journeys.default__json_string_field(json_text, field) }}
    end
{%- endmacro %}
