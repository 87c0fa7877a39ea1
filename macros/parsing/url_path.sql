{#- The path of a URL (`/` when the URL has a host but no path; NULL for NULL). -#}
{% macro url_path(url) -%}
    case
        when {{ url }} is not null
            then coalesce({{ journeys.regexp_extract(url, '^[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#]*(/[^?#]*)', 1) }}, '/')
    end
{%- endmacro %}
