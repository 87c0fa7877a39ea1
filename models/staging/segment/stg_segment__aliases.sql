{{ config(enabled=journeys.source_table_enabled('segment', 'aliases')) }}

{%- set raw = journeys.read_source_table('segment', 'aliases', [
    {'name': 'id', 'type': 'string', 'required': true},
    {'name': 'previous_id', 'type': 'string', 'required': true},
    {'name': 'user_id', 'type': 'string', 'required': true},
    {'name': 'anonymous_id', 'type': 'string'},
    {'name': 'timestamp', 'type': 'timestamp', 'required': true},
    {'name': 'received_at', 'type': 'timestamp'},
    {'name': 'uuid_ts', 'type': 'timestamp'},
]) %}
{%- set columns = raw.columns %}

with final as (
    select
        {{ columns.id }} as alias_id,
        {{ columns.previous_id }} as previous_user_id,
        {{ columns.user_id }} as user_id,
        {{ columns.anonymous_id }} as device_id,
        {{ columns.timestamp }} as aliased_at,
        coalesce({{ columns.uuid_ts }}, {{ columns.received_at }}, {{ columns.timestamp }}) as loaded_at
    from {{ raw.relation }}
)

select * from final
