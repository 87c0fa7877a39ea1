{{ config(enabled=var('journeys__segment_enabled')) }}

{%- set raw = journeys.read_source_columns(source('segment', 'pages'), journeys.segment_common_column_spec() + [
    {'name': 'name', 'type': 'string'},
    {'name': 'url', 'type': 'string'},
    {'name': 'referrer', 'type': 'string'},
    {'name': 'title', 'type': 'string'},
]) %}

with renamed as (
    select
        {{ journeys.segment_event_columns(raw, page_url=raw.url, referrer_url=raw.referrer, page_title=raw.title) }},
        'page_view' as event_type,
        'page_view' as event_name,
        {{ raw.name }} as page_name
    from {{ source('segment', 'pages') }}
),

final as (
    select
        *,
        {{ journeys.parsed_event_columns() }}
    from renamed
)

select * from final
