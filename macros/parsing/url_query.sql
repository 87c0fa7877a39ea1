{#- The query string of a URL, without the `?` and the fragment (NULL when there is none). -#}
{% macro url_query(url) -%}
    case
        when {{ url }} like '%?%'
            then {{ journeys.regexp_extract(url, '^[^?#]*[?]([^#]*)', 1) }}
    end
{%- endmacro %}
