{{ config(enabled=journeys.source_table_enabled('snowplow', 'feature_flag_context')) }}

{%- set raw = journeys.read_source_table('snowplow', 'feature_flag_context', [
    {'name': 'root_id', 'type': 'string', 'required': true},
    {'name': 'root_tstamp', 'type': 'timestamp', 'required': true},
    {'name': 'key', 'type': 'string', 'required': true},
    {'name': 'variation', 'type': 'string'},
    {'name': 'value', 'type': 'string'},
]) %}
{%- set columns = raw.columns %}

with final as (
    select
        {{ columns.root_id }} as event_id,
        {{ columns.root_tstamp }} as collector_at,
        {{ columns.key }} as flag_key,
        {{ columns.variation }} as variant_id,
        {{ columns.value }} as variant_name
    from {{ raw.relation }}
)

select * from final
