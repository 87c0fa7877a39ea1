{#- The text value of the first `"field": "..."` in a JSON text (NULL when absent, empty or not a string), read
    with a regular expression so that malformed JSON reads as NULL instead of stopping the query, on every
    engine. Made for Snowplow's context columns, arrays of flat objects such as `[{"id":"56a5..."}]`; a value with
    an escaped quote is cut at the escape. `field` is a literal of letters, digits and underscores. -#}
{% macro json_string_field(json_text, field) -%}
    {{ journeys.regexp_extract(json_text, '"' ~ field ~ '" *: *"([^"]*)"', 1) }}
{%- endmacro %}
