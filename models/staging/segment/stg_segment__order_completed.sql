{{ config(enabled=var('journeys__segment_enabled') and 'order_completed' in var('journeys__segment_spec_tables')) }}

{%- set raw = journeys.read_source_columns(source('segment', 'order_completed'), [
    {'name': 'id', 'type': 'string', 'required': true},
    {'name': 'order_id', 'type': 'string'},
    {'name': 'revenue', 'type': 'number'},
    {'name': 'total', 'type': 'number'},
    {'name': 'currency', 'type': 'string'},
    {'name': 'uuid_ts', 'type': 'timestamp'},
    {'name': 'received_at', 'type': 'timestamp'},
]) %}

with final as (
    select
        {{ raw.id }} as event_id,
        {{ raw.order_id }} as order_id,
        {# Segment's spec: revenue excludes shipping and tax; total is the fallback some sources send. #}
        coalesce({{ raw.revenue }}, {{ raw.total }}) as revenue,
        {{ raw.currency }} as currency,
        coalesce({{ raw.uuid_ts }}, {{ raw.received_at }}) as loaded_at
    from {{ source('segment', 'order_completed') }}
)

select * from final
