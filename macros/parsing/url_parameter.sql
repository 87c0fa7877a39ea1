{#- The value of query parameter `name` in a URL, as sent (not percent-decoded); NULL when absent or
    empty. `name` is a literal of letters, digits and underscores. -#}
{% macro url_parameter(url, name) -%}
    {{ journeys.regexp_extract(url, '[?&]' ~ name ~ '=([^&#]*)', 1) }}
{%- endmacro %}
