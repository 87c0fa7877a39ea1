{#-
    Whether the vars switch raw table `table_name` of source `source_name` on (the names of
    models/staging/*/_*__sources.yml): its source is on (journeys__segment_enabled, journeys__snowplow_enabled,
    journeys__ad_spend_enabled) and, for a table whose name comes from a var (the Snowplow context tables), the
    var names one. Its staging model is built exactly when this is true, so a model refs that staging model under
    this condition: the answer depends on the vars alone (no warehouse query), the same while dbt parses and
    while it runs. Whether the table is also in the warehouse is source_table_available's question; a staging
    model reads an absent optional table as empty. (The ad spend's staging model is always built and reads as
    empty while its source is off, so the reports that read it have the same columns either way.)
-#}
{% macro source_table_enabled(source_name, table_name) -%}
    {%- set source_switches = {
        'segment': var('journeys__segment_enabled'),
        'snowplow': var('journeys__snowplow_enabled'),
        'marketing': var('journeys__ad_spend_enabled'),
    } -%}
    {#- tables whose name comes from a var: a null name switches the table off -#}
    {%- set named_by_var = {
        'snowplow.spiders_and_robots_context': var('journeys__snowplow_spider_context_table'),
        'snowplow.web_page_context': var('journeys__snowplow_web_page_context_table'),
        'snowplow.optimizely_summary_context': var('journeys__snowplow_optimizely_context_table'),
        'snowplow.feature_flag_context': var('journeys__snowplow_feature_flag_context_table'),
    } -%}
    {%- if source_name not in source_switches -%}
        {{ exceptions.raise_compiler_error("journeys: unknown source '" ~ source_name ~ "'; the sources are: "
            ~ (source_switches.keys() | sort | join(', '))) }}
    {%- endif -%}
    {%- set key = source_name ~ '.' ~ table_name -%}
    {{ return(source_switches[source_name] and (key not in named_by_var or named_by_var[key] is not none)) }}
{%- endmacro %}
