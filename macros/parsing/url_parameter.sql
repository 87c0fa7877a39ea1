{#- The value of query parameter `name` in a URL, as sent (not percent-decoded); NULL when absent or
    empty. `name` is a literal of letters, digits and underscores. A LIKE test guards the regular expression,
    which then runs only on URLs that have a query string holding the name (most have none). -#}
{% macro url_parameter(url, name) -%}
    case
        when {{ url }} like '%?%{{ name }}=%'
            then {{ journeys.regexp_extract(url, '[?&]' ~ name ~ '=([^&#]*)', 1) }}
    end
{%- endmacro %}
