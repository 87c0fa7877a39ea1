{{ config(enabled=var('journeys__segment_enabled')) }}

{%- set raw = journeys.read_source_columns(source('segment', 'identifies'), journeys.segment_common_column_spec() + [
    {'name': 'email', 'type': 'string'},
]) %}

with renamed as (
    select
        {{ journeys.segment_event_columns(raw) }},
        'identify' as event_type,
        'identify' as event_name,
        {{ raw.email }} as email
    from {{ source('segment', 'identifies') }}
),

final as (
    select
        *,
        {{ journeys.parsed_event_columns() }}
    from renamed
)

select * from final
