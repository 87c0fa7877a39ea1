{{ config(enabled=var('journeys__segment_enabled') and 'experiment_viewed' in var('journeys__segment_spec_tables')) }}

{%- set raw = journeys.read_source_columns(source('segment', 'experiment_viewed'), [
    {'name': 'id', 'type': 'string', 'required': true},
    {'name': 'anonymous_id', 'type': 'string'},
    {'name': 'user_id', 'type': 'string'},
    {'name': 'timestamp', 'type': 'timestamp'},
    {'name': 'experiment_id', 'type': 'string', 'required': true},
    {'name': 'experiment_name', 'type': 'string'},
    {'name': 'variation_id', 'type': 'string', 'required': true},
    {'name': 'variation_name', 'type': 'string'},
    {'name': 'uuid_ts', 'type': 'timestamp'},
    {'name': 'received_at', 'type': 'timestamp'},
]) %}

with final as (
    select
        {{ raw.id }} as event_id,
        {{ raw.anonymous_id }} as device_id,
        {{ raw.user_id }} as user_id,
        {{ raw.timestamp }} as exposed_at,
        {{ raw.experiment_id }} as experiment_id,
        {{ raw.experiment_name }} as experiment_name,
        {{ raw.variation_id }} as variant_id,
        {{ raw.variation_name }} as variant_name,
        coalesce({{ raw.uuid_ts }}, {{ raw.received_at }}) as loaded_at
    from {{ source('segment', 'experiment_viewed') }}
)

select * from final
