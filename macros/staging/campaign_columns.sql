{#- The campaign columns of an event staging model, selected from its renamed columns (page_url,
    collector_utm_source ... collector_utm_content, and collector_click_id when `has_collector_click_id`):
    utm_source ... utm_content (the collector's split value, else the page URL's parameter), click_id (the
    collector's, else the URL's first ad-platform click id) and click_id_type. -#}
{% macro campaign_columns(has_collector_click_id=false) -%}
    {%- for field in ['source', 'medium', 'campaign', 'term', 'content'] %}
        coalesce(collector_utm_{{ field }}, {{ journeys.url_parameter('page_url', 'utm_' ~ field) }}) as utm_{{ field }},
    {%- endfor %}
    {%- if has_collector_click_id %}
        coalesce(collector_click_id, {{ journeys.click_id('page_url') }}) as click_id,
    {%- else %}
        {{ journeys.click_id('page_url') }} as click_id,
    {%- endif %}
        {{ journeys.click_id_type('page_url') }} as click_id_type
{%- endmacro %}
