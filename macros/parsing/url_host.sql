{#- The host of a URL, lower-cased, without a leading `www.` (NULL for NULL or a URL without a host). -#}
{% macro url_host(url) -%}
    lower({{ journeys.regexp_extract(url, '^[a-zA-Z][a-zA-Z0-9+.-]*://(?:[wW]{3}[.])?([^/?#:@]+)', 1) }})
{%- endmacro %}
