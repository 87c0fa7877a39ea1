{{ config(enabled=journeys.source_table_enabled('snowplow', 'web_page_context')) }}

{%- set raw = journeys.read_source_table('snowplow', 'web_page_context', [
    {'name': 'root_id', 'type': 'string', 'required': true},
    {'name': 'root_tstamp', 'type': 'timestamp', 'required': true},
    {'name': 'id', 'type': 'string', 'required': true},
]) %}
{%- set columns = raw.columns %}

with final as (
    select
        {{ columns.root_id }} as event_id,
        {{ columns.root_tstamp }} as collector_at,
        {{ columns.id }} as page_view_id
    from {{ raw.relation }}
)

select * from final
