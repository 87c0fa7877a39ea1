{{ config(enabled=var('journeys__segment_enabled')) }}

{%- set raw = journeys.read_source_columns(source('segment', 'tracks'), journeys.segment_track_column_spec()) %}

with renamed as (
    select
        {{ journeys.segment_event_columns(raw) }},
        'track' as event_type,
        {{ raw.event }} as event_name,
        {{ raw.event_text }} as event_text
    from {{ source('segment', 'tracks') }}
),

final as (
    select
        *,
        {{ journeys.parsed_event_columns() }}
    from renamed
)

select * from final
