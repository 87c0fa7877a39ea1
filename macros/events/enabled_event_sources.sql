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

{#- The values of one staging column over every enabled event staging model, as a union of selects (of distinct
    values when `distinct`, else of every row): a projection of the staging views, so none of their parsing runs.
    With `from_cte`, the column of that CTE instead (rows already staged and stored). -#}
{% macro staged_column_values(column, distinct=true, from_cte=none) -%}
    {%- set select = 'select distinct ' if distinct else 'select ' -%}
    {%- if from_cte -%}
    {{ select }}{{ from_cte }}.{{ column }} from {{ from_cte }}
    {%- else -%}
    {%- for model_name in journeys.enabled_event_sources() | map(attribute=2) %}
    {{ select }}{{ column }} from {{ ref(model_name) }}
    {%- if not loop.last %}
    {{ 'union' if distinct else 'union all' }}
    {%- endif %}
    {%- endfor %}
    {%- endif -%}
{%- endmacro %}
