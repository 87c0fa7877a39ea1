{{ config(enabled=journeys.source_table_enabled('segment', 'order_completed')) }}

{%- set raw = journeys.read_source_table('segment', 'order_completed', [
    {'name': 'id', 'type': 'string', 'required': true},
    {'name': 'order_id', 'type': 'string'},
    {'name': 'revenue', 'type': 'number'},
    {'name': 'total', 'type': 'number'},
    {'name': 'currency', 'type': 'string'},
    {'name': 'uuid_ts', 'type': 'timestamp'},
    {'name': 'received_at', 'type': 'timestamp'},
]) %}
{%- set columns = raw.columns %}

with final as (
    select
        {{ columns.id }} as event_id,
        {{ columns.order_id }} as order_id,
        {# Segment's spec: revenue excludes shipping and tax; total is the fallback some sources send. #}
        coalesce({{ columns.revenue }}, {{ columns.total }}) as revenue,
        {{ columns.currency }} as currency,
        coalesce({{ columns.uuid_ts }}, {{ columns.received_at }}) as loaded_at
    from {{ raw.relation }}
)

select * from final
