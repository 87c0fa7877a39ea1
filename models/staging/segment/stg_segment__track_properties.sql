{{ config(enabled=journeys.source_table_enabled('segment', 'tracks')) }}

{#- One row per row of the Segment per-event tables named by var journeys__segment_property_columns (Segment
    names each after its event and gives it a column per property): the event id (the same as in tracks) and the
    value of the one property that var names for that table, as text. The screening gives it to the track as its
    event_property. A table named by the var but absent reads as empty, with a log line: Segment creates it only
    once that event is tracked. -#}

{%- set property_columns = journeys.var_name_mapping('journeys__segment_property_columns') %}
{%- set tracks = source('segment', 'tracks') %}
{%- set selects = [] %}
{%- for table_name, column_name in property_columns | dictsort %}
{%- set relation = adapter.get_relation(database=tracks.database, schema=tracks.schema, identifier=table_name)
    if execute else none %}
{%- if relation is none and execute %}
{%- do log("journeys: segment." ~ table_name ~ " (" ~ tracks.schema ~ "." ~ table_name ~ ") is absent: "
    ~ "Segment creates it when the first such event is tracked; reading it as empty.", info=true) %}
{%- elif relation is not none %}
{%- set columns = journeys.read_source_columns(relation, [
    {'name': 'id', 'type': 'string', 'required': true},
    {'name': column_name, 'type': 'string', 'required': true},
]) %}
{%- do selects.append(
    "select " ~ columns.id ~ " as event_id, '" ~ table_name ~ "' as property_table, '" ~ column_name
    ~ "' as property_name, " ~ columns[column_name] ~ " as event_property from " ~ relation) %}
{%- endif %}
{%- endfor %}

with final as (
    {%- for select in selects %}
    {{ select }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as property_table,
        cast(null as {{ dbt.type_string() }}) as property_name,
        cast(null as {{ dbt.type_string() }}) as event_property
    where 1 = 0
    {%- endfor %}
)

select * from final
