{{ config(enabled=var('journeys__snowplow_enabled') and var('journeys__snowplow_spider_context_table') is not none) }}

{%- set raw = journeys.read_source_columns(source('snowplow', 'spiders_and_robots_context'), [
    {'name': 'root_id', 'type': 'string', 'required': true},
    {'name': 'root_tstamp', 'type': 'timestamp', 'required': true},
    {'name': 'spider_or_robot', 'type': 'boolean', 'required': true, 'aliases': ['spiderorrobot']},
    {'name': 'category', 'type': 'string'},
    {'name': 'primary_impact', 'type': 'string', 'aliases': ['primaryimpact']},
    {'name': 'reason', 'type': 'string'},
]) %}

with final as (
    select
        {{ raw.root_id }} as event_id,
        {{ raw.root_tstamp }} as collector_at,
        {{ raw.spider_or_robot }} as is_spider_or_robot,
        {{ raw.category }} as category,
        {{ raw.primary_impact }} as primary_impact,
        {{ raw.reason }} as reason
    from {{ source('snowplow', 'spiders_and_robots_context') }}
)

select * from final
