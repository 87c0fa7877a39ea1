{#- The ad-platform click ids journeys recognises in landing URLs, in order of precedence. -#}
{% macro click_id_parameters() -%}
    {{ return(['gclid', 'gbraid', 'wbraid', 'dclid', 'msclkid', 'fbclid', 'ttclid', 'li_fat_id', 'twclid']) }}
{%- endmacro %}

{#- The first click id found in a URL's query string (NULL when none). -#}
{% macro click_id(url) -%}
    case
        when {{ url }} like '%?%'
            then coalesce(
                {%- for parameter in journeys.click_id_parameters() %}
                {{ journeys.url_parameter(url, parameter) }}{{ ',' if not loop.last }}
                {%- endfor %}
            )
    end
{%- endmacro %}

{#- Which click id parameter `click_id(url)` found (`gclid`, `fbclid`, ...; NULL when none). -#}
{% macro click_id_type(url) -%}
    case
        when {{ url }} not like '%?%' then null
        {%- for parameter in journeys.click_id_parameters() %}
        when {{ journeys.url_parameter(url, parameter) }} is not null then '{{ parameter }}'
        {%- endfor %}
    end
{%- endmacro %}
