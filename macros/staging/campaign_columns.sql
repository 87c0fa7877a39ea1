{#- The utm_ parameters journeys reads, as the suffixes of the canonical columns utm_source ... utm_content. -#}
{% macro utm_fields() -%}
    {{ return(['source', 'medium', 'campaign', 'term', 'content']) }}
{%- endmacro %}

{#- The campaign columns of an event staging model, selected from its renamed columns (page_url,
    collector_utm_source ... collector_utm_content and collector_click_id, a typed NULL where the source has no
    such value): the collector's values as they are, then utm_source ... utm_content and click_id (the
    collector's value, else the page URL's: see campaign_url_columns and campaign_columns_from) and
    click_id_type. -#}
{% macro campaign_columns() -%}
    {%- for field in journeys.utm_fields() %}
        collector_utm_{{ field }},
    {%- endfor %}
        collector_click_id,
        {{ journeys.campaign_columns_from('', journeys.campaign_url_columns('page_url')) }}
{%- endmacro %}

{#- What a page URL alone says of the campaign: utm_source ... utm_content, click_id and click_id_type parsed from
    `url`, as a dict of column name -> expression (the screening selects them once per distinct URL). -#}
{% macro campaign_url_columns(url) -%}
    {%- set expressions = {} %}
    {%- for field in journeys.utm_fields() %}
        {%- do expressions.update({'utm_' ~ field: journeys.url_parameter(url, 'utm_' ~ field)}) %}
    {%- endfor %}
    {%- do expressions.update({'click_id': journeys.click_id(url), 'click_id_type': journeys.click_id_type(url)}) %}
    {{- return(expressions) }}
{%- endmacro %}

{#- The canonical campaign columns from the collector's values (collector_utm_*, collector_click_id, prefixed with
    `collector_prefix`) and the URL's (`url_columns`: a dict of column name -> expression, as campaign_url_columns
    gives): the collector's value first, else the URL's; click_id_type is the URL's. -#}
{% macro campaign_columns_from(collector_prefix, url_columns) -%}
    {%- for field in journeys.utm_fields() %}
        coalesce({{ collector_prefix }}collector_utm_{{ field }}, {{ url_columns['utm_' ~ field] }}) as utm_{{ field }},
    {%- endfor %}
        coalesce({{ collector_prefix }}collector_click_id, {{ url_columns['click_id'] }}) as click_id,
        {{ url_columns['click_id_type'] }} as click_id_type
{%- endmacro %}
