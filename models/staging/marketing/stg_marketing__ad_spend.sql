{#- The ad spend table, one row per raw row (several rows of a day, channel and campaign add up downstream).
    Off (journeys__ad_spend_enabled false, the default), no source is read and the model is empty with the same
    columns. On, the table must exist: an absent one stops the run naming it and the vars. -#}
{%- set spec = [
    {'name': 'date', 'type': 'timestamp', 'required': true, 'aliases': ['spend_date', 'day']},
    {'name': 'channel', 'type': 'string', 'required': true},
    {'name': 'campaign', 'type': 'string', 'required': true, 'aliases': ['campaign_name']},
    {'name': 'spend', 'type': 'number', 'required': true, 'aliases': ['cost']},
] %}

{%- if journeys.source_table_enabled('marketing', 'ad_spend') %}
{%- set relation = source('marketing', 'ad_spend') %}
{%- if execute and adapter.get_relation(
    database=relation.database, schema=relation.schema, identifier=relation.identifier) is none %}
{{ exceptions.raise_compiler_error(
    "journeys: the ad spend table " ~ relation ~ " was not found. Load it, point vars "
    ~ "journeys__ad_spend_schema and journeys__ad_spend_table at it, or switch it off "
    ~ "(journeys__ad_spend_enabled: false).") }}
{%- endif %}
{%- set raw = journeys.read_source_table('marketing', 'ad_spend', spec) %}
{%- set columns = raw.columns %}
{%- set spend_rows = raw.relation %}
{%- else %}
{#- off: typed NULLs over no row -#}
{%- set columns = {} %}
{%- for column in spec %}
{%- do columns.update({column.name: journeys.typed_null(column.type)}) %}
{%- endfor %}
{%- set spend_rows = '(select 1 as no_row where 1 = 0) as ad_spend' %}
{%- endif %}

with final as (
    select
        cast({{ columns.date }} as date) as spend_date,
        {{ columns.channel }} as channel,
        {{ columns.campaign }} as campaign,
        {{ columns.spend }} as spend
    from {{ spend_rows }}
)

select * from final
