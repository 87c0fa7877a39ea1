{{ config(enabled=var('journeys__segment_enabled') and var('journeys__segment_aliases_enabled')) }}

{%- set raw = journeys.read_source_columns(source('segment', 'aliases'), [
    {'name': 'id', 'type': 'string', 'required': true},
    {'name': 'previous_id', 'type': 'string', 'required': true},
    {'name': 'user_id', 'type': 'string', 'required': true},
    {'name': 'anonymous_id', 'type': 'string'},
    {'name': 'timestamp', 'type': 'timestamp', 'required': true},
    {'name': 'received_at', 'type': 'timestamp'},
    {'name': 'uuid_ts', 'type': 'timestamp'},
]) %}

with final as (
    select
        {{ raw.id }} as alias_id,
        {{ raw.previous_id }} as previous_user_id,
        {{ raw.user_id }} as user_id,
        {{ raw.anonymous_id }} as device_id,
        {{ raw.timestamp }} as aliased_at,
        coalesce({{ raw.uuid_ts }}, {{ raw.received_at }}, {{ raw.timestamp }}) as loaded_at
    from {{ source('segment', 'aliases') }}
)

select * from final
