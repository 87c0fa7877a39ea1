{#-
    Reads raw table `table_name` of source `source_name` by a column spec (see read_source_columns), for the
    staging model of that table, which calls it once. Returns a dict: `relation`, what the model selects from,
    and `columns`, the dict of read_source_columns.

    An optional table that is absent (see source_table_available) reads as empty: `relation` is a derived table
    with no rows and every column a typed NULL, and one log line says so. An absent required table stops the
    run with a message naming the table and the vars that point at it.
-#}
{% macro read_source_table(source_name, table_name, spec) -%}
    {%- set relation = source(source_name, table_name) -%}
    {%- if execute and not journeys.source_table_available(source_name, table_name) -%}
        {%- set note = journeys.source_table_node(source_name, table_name).config.meta.journeys_when_absent -%}
        {%- do log("journeys: " ~ source_name ~ "." ~ table_name ~ " (" ~ relation.schema ~ "." ~ relation.identifier
            ~ ") is absent: " ~ note ~ "; reading it as empty.", info=true) -%}
        {%- set columns = {} -%}
        {%- for column in spec -%}
            {%- do columns.update({column.name: journeys.typed_null(column.type)}) -%}
            {%- if column.type == 'timestamp' -%}
                {%- do columns.update({column.name ~ '__is_present': 'false'}) -%}
            {%- endif -%}
        {%- endfor -%}
        {{ return({'relation': '(select 1 as no_row where 1 = 0) as ' ~ table_name, 'columns': columns}) }}
    {%- endif -%}
    {{ return({'relation': relation, 'columns': journeys.read_source_columns(relation, spec)}) }}
{%- endmacro %}
