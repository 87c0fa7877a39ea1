{#-
    Whether raw table `table_name` of source `source_name` is enabled (source_table_enabled) and present: an
    optional table, one whose sources entry has `config: meta: journeys_when_absent` (why it can be absent), is
    looked up in the warehouse. Segment creates its per-event tables and `aliases` only once such a call is
    tracked; a loader writes the Snowplow context tables only where the enrichment runs. A required table
    (pages, tracks, identifies; Snowplow's events) is taken to be there: its staging model stops the run, naming
    it, when it is not. While dbt parses the warehouse is not asked, and the answer is source_table_enabled's.

    read_source_table asks it, to read an absent optional table as empty. A model that only needs to know
    whether a staging model is built asks source_table_enabled: its SQL then does not depend on what the
    warehouse holds (a staging model of an absent table is an empty view).
-#}
{% macro source_table_available(source_name, table_name) -%}
    {%- if not journeys.source_table_enabled(source_name, table_name) -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set node = journeys.source_table_node(source_name, table_name) -%}
    {%- if node is none or node.config.meta.get('journeys_when_absent') is none -%}
        {{ return(true) }}
    {%- endif -%}
    {%- set found = adapter.get_relation(database=node.database, schema=node.schema, identifier=node.identifier) -%}
    {{ return(found is not none) }}
{%- endmacro %}


{#- The sources entry of a raw table (graph.sources), none while dbt parses. -#}
{% macro source_table_node(source_name, table_name) -%}
    {%- if execute -%}
        {%- for node in graph.sources.values() -%}
            {%- if node.source_name == source_name and node.name == table_name -%}
                {{ return(node) }}
            {%- endif -%}
        {%- endfor -%}
        {{ exceptions.raise_compiler_error(
            "journeys: no source table " ~ source_name ~ "." ~ table_name ~ " in the sources yml files") }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}
