{#- The query string of a URL, without the `?` and the fragment (NULL when there is none). -#}
{% macro url_query(url) -%}
    {{ journeys.regexp_extract(url, '^[^?#]*[?]([^#]*)', 1) }}
{%- endmacro %}
