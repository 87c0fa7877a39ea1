{#- What every event staging model parses from its renamed columns (page_url, referrer_url,
    collector_utm_*, collector_click_id when the model has one, user_agent): the URL path and query, the referrer
    host, utm_* (the collector's split values, else the landing URL's), the click id and the device class.
    Selected in a CTE over the renamed columns, next to `*`. -#}
{% macro parsed_event_columns(has_collector_click_id=false) -%}
    {{ journeys.url_path('page_url') }} as page_path,
        {{ journeys.url_query('page_url') }} as page_query,
        {{ journeys.url_host('referrer_url') }} as referrer_host,
        {%- for field in ['source', 'medium', 'campaign', 'term', 'content'] %}
        coalesce(collector_utm_{{ field }}, {{ journeys.url_parameter('page_url', 'utm_' ~ field) }}) as utm_{{ field }},
        {%- endfor %}
        {%- if has_collector_click_id %}
        coalesce(collector_click_id, {{ journeys.click_id('page_url') }}) as click_id,
        {%- else %}
        {{ journeys.click_id('page_url') }} as click_id,
        {%- endif %}
        {{ journeys.click_id_type('page_url') }} as click_id_type,
        {{ journeys.device_class('user_agent') }} as device_class,
        {{ journeys.is_bot_user_agent('user_agent') }} as is_bot_user_agent
{%- endmacro %}
