{#- The raw event tables of the enabled sources, as (source, raw table, staging model) triples. -#}
{% macro enabled_event_sources() -%}
    {%- set tables = [] -%}
    {%- if var('journeys__segment_enabled') -%}
        {%- do tables.extend([
            ('segment', 'pages', 'stg_segment__pages'),
            ('segment', 'tracks', 'stg_segment__tracks'),
            ('segment', 'identifies', 'stg_segment__identifies'),
        ]) -%}
    {%- endif -%}
    {%- if var('journeys__snowplow_enabled') -%}
        {%- do tables.append(('snowplow', 'events', 'stg_snowplow__events')) -%}
    {%- endif -%}
    {%- if tables | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: no source is enabled; set journeys__segment_enabled or journeys__snowplow_enabled to true.") }}
    {%- endif -%}
    {{ return(tables) }}
{%- endmacro %}

{#- `columns` as a select list, one per line at the given indentation (the first line is not indented). -#}
{% macro select_list(columns, indent=8) -%}
    {{ return(columns | join(',\n' ~ ' ' * indent)) }}
{%- endmacro %}
