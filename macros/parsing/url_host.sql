{#- The host of a URL, lower-cased, without a leading `www.` (NULL for NULL or a URL without a host). -#}
{% macro url_host(url) -%}
    {{ journeys.regexp_extract('lower(' ~ url ~ ')', '^[a-z][a-z0-9+.-]*://(www[.])?([^/?#:@]+)', 2) }}
{%- endmacro %}
