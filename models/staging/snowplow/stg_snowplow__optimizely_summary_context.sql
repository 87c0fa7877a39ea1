{{ config(enabled=journeys.source_table_enabled('snowplow', 'optimizely_summary_context')) }}

{%- set raw = journeys.read_source_table('snowplow', 'optimizely_summary_context', [
    {'name': 'root_id', 'type': 'string', 'required': true},
    {'name': 'root_tstamp', 'type': 'timestamp', 'required': true},
    {'name': 'experiment_id', 'type': 'string', 'required': true},
    {'name': 'variation_name', 'type': 'string'},
    {'name': 'variation', 'type': 'string'},
]) %}
{%- set columns = raw.columns %}

with final as (
    select
        {{ columns.root_id }} as event_id,
        {{ columns.root_tstamp }} as collector_at,
        {{ columns.experiment_id }} as experiment_id,
        {{ columns.variation }} as variant_id,
        {{ columns.variation_name }} as variant_name
    from {{ raw.relation }}
)

select * from final
