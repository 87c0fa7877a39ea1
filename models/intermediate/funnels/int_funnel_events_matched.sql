{{ config(**journeys.device_incremental_config()) }}

{#- One row per event of the stream and row of seed funnel_definitions that recognises it (macro event_matches):
    the funnels' steps and their exclusion events. Only the matcher is applied here; the step numbers, windows,
    modes and exclusion ranges are read from the seed by the marts, so editing them needs no rebuild of this
    table (editing a matcher does: a run then stops asking for it, see definitions_fingerprint). Incremental by
    device (see device_incremental), like the sessions it takes each event's from. -#}

with events as (
    select
        event_id,
        session_id,
        event_at,
        event_type,
        event_name,
        event_category,
        event_action,
        event_property,
        page_path,
        page_url,
        page_title,
        loaded_at,
        device_key,
        device_bucket
    from {{ ref('int_events_sessionized') }}
    where {{ journeys.devices_to_recompute() }}
),

definitions as (
    select
        funnel_name,
        step_name,
        {{ journeys.seed_text('event_type') }} as event_type,
        {{ journeys.seed_text('event_names') }} as event_names,
        {{ journeys.seed_text('event_category') }} as event_category,
        {{ journeys.seed_text('event_action') }} as event_action,
        {{ journeys.seed_text('property_column') }} as property_column,
        {{ journeys.seed_text('property_value') }} as property_value
    from {{ ref('funnel_definitions') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "definitions.funnel_name", "'|'", "definitions.step_name", "'|'", "events.event_id",
        ])) }} as funnel_match_id,
        definitions.funnel_name,
        definitions.step_name,
        events.event_id,
        events.session_id,
        events.event_at,
        events.loaded_at,
        events.device_key,
        events.device_bucket,
        {{ journeys.definitions_fingerprint(['funnel_definitions'], columns=[
            'funnel_name', 'step_name', 'event_type', 'event_names', 'event_category', 'event_action',
            'property_column', 'property_value',
        ]) }} as definitions_fingerprint
    from events
    inner join definitions
        on {{ journeys.event_matches('events', 'definitions') }}
)

select * from final
