{{ config(enabled=var('journeys__segment_enabled') and 'signed_up' in var('journeys__segment_spec_tables')) }}

{%- set raw = journeys.read_source_columns(source('segment', 'signed_up'), [
    {'name': 'id', 'type': 'string', 'required': true},
    {'name': 'anonymous_id', 'type': 'string'},
    {'name': 'user_id', 'type': 'string'},
    {'name': 'timestamp', 'type': 'timestamp'},
    {'name': 'method', 'type': 'string'},
    {'name': 'uuid_ts', 'type': 'timestamp'},
    {'name': 'received_at', 'type': 'timestamp'},
]) %}

with final as (
    select
        {{ raw.id }} as event_id,
        {{ raw.anonymous_id }} as device_id,
        {{ raw.user_id }} as user_id,
        {{ raw.timestamp }} as signed_up_at,
        {{ raw.method }} as signup_method,
        coalesce({{ raw.uuid_ts }}, {{ raw.received_at }}) as loaded_at
    from {{ source('segment', 'signed_up') }}
)

select * from final
