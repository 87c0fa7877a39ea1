{#- The raw event tables of the enabled sources, as (source, raw table, staging model) triples. -#}
{% macro enabled_event_sources() -%}
    {%- set tables = [] -%}
    {%- for source_name, table_name in [
        ('segment', 'pages'), ('segment', 'tracks'), ('segment', 'identifies'), ('snowplow', 'events')
    ] -%}
        {%- if journeys.source_table_enabled(source_name, table_name) -%}
            {%- do tables.append((source_name, table_name, 'stg_' ~ source_name ~ '__' ~ table_name)) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if tables | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "journeys: no source is enabled; set journeys__segment_enabled or journeys__snowplow_enabled to true.") }}
    {%- endif -%}
    {{ return(tables) }}
{%- endmacro %}
