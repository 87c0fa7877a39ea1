{{ config(enabled=journeys.source_table_enabled('segment', 'signed_up')) }}

{%- set raw = journeys.read_source_table('segment', 'signed_up', [
    {'name': 'id', 'type': 'string', 'required': true},
    {'name': 'anonymous_id', 'type': 'string'},
    {'name': 'user_id', 'type': 'string'},
    {'name': 'timestamp', 'type': 'timestamp'},
    {'name': 'method', 'type': 'string'},
    {'name': 'uuid_ts', 'type': 'timestamp'},
    {'name': 'received_at', 'type': 'timestamp'},
]) %}
{%- set columns = raw.columns %}

with final as (
    select
        {{ columns.id }} as event_id,
        {{ columns.anonymous_id }} as device_id,
        {{ columns.user_id }} as user_id,
        {{ columns.timestamp }} as signed_up_at,
        {{ columns.method }} as signup_method,
        coalesce({{ columns.uuid_ts }}, {{ columns.received_at }}) as loaded_at
    from {{ raw.relation }}
)

select * from final
