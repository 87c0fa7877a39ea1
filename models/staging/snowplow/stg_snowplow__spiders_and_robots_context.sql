{{ config(enabled=journeys.source_table_enabled('snowplow', 'spiders_and_robots_context')) }}

{%- set raw = journeys.read_source_table('snowplow', 'spiders_and_robots_context', [
    {'name': 'root_id', 'type': 'string', 'required': true},
    {'name': 'root_tstamp', 'type': 'timestamp', 'required': true},
    {'name': 'spider_or_robot', 'type': 'boolean', 'required': true, 'aliases': ['spiderorrobot']},
    {'name': 'category', 'type': 'string'},
    {'name': 'primary_impact', 'type': 'string', 'aliases': ['primaryimpact']},
    {'name': 'reason', 'type': 'string'},
]) %}
{%- set columns = raw.columns %}

with final as (
    select
        {{ columns.root_id }} as event_id,
        {{ columns.root_tstamp }} as collector_at,
        {{ columns.spider_or_robot }} as is_spider_or_robot,
        {{ columns.category }} as category,
        {{ columns.primary_impact }} as primary_impact,
        {{ columns.reason }} as reason
    from {{ raw.relation }}
)

select * from final
