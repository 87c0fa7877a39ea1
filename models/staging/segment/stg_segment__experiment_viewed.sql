{{ config(enabled=journeys.source_table_enabled('segment', 'experiment_viewed')) }}

{%- set raw = journeys.read_source_table('segment', 'experiment_viewed', [
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
{%- set columns = raw.columns %}

with final as (
    select
        {{ columns.id }} as event_id,
        {{ columns.anonymous_id }} as device_id,
        {{ columns.user_id }} as user_id,
        {{ columns.timestamp }} as exposed_at,
        {{ columns.experiment_id }} as experiment_id,
        {{ columns.experiment_name }} as experiment_name,
        {{ columns.variation_id }} as variant_id,
        {{ columns.variation_name }} as variant_name,
        coalesce({{ columns.uuid_ts }}, {{ columns.received_at }}) as loaded_at
    from {{ raw.relation }}
)

select * from final
