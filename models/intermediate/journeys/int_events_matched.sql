{{ config(**journeys.device_incremental_config()) }}

{#- One row per event of the stream and definition that recognises it (macro event_matches): each conversion of
    seed conversion_definitions and each milestone of seed milestone_definitions. One pass over the events for
    both; the definitions are few, so the join is a small nested loop whose first test (the event type) is an
    equality. Incremental by device (see device_incremental), like the sessions it takes each event's from; a run
    after the seeds changed stops and asks for a full refresh (see definitions_fingerprint). -#}

with events as (
    select
        event_id,
        session_id,
        event_at,
        {{ journeys.select_list(journeys.event_matcher_columns()) }},
        revenue,
        device_class,
        country,
        loaded_at,
        device_key,
        device_bucket
    from {{ ref('int_events_sessionized') }}
    where {{ journeys.devices_to_recompute() }}
),

definitions as (
    select
        'conversion' as definition_kind,
        conversion_name as definition_name,
        {{ journeys.select_definition_matchers() }},
        {{ journeys.seed_text('value_column') }} as value_column,
        is_signup
    from {{ ref('conversion_definitions') }}
    union all
    select
        'milestone' as definition_kind,
        milestone_name as definition_name,
        {{ journeys.select_definition_matchers() }},
        cast(null as {{ dbt.type_string() }}) as value_column,
        false as is_signup
    from {{ ref('milestone_definitions') }}
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "definitions.definition_kind", "'|'", "definitions.definition_name", "'|'", "events.event_id",
        ])) }} as match_id,
        definitions.definition_kind,
        definitions.definition_name,
        coalesce(definitions.is_signup, false) as is_signup,
        events.event_id,
        events.session_id,
        events.event_at,
        cast(case when definitions.value_column = 'revenue' then events.revenue end as {{ dbt.type_float() }})
            as conversion_value,
        events.event_name,
        events.event_property,
        events.page_path,
        events.device_class,
        events.country,
        events.loaded_at,
        events.device_key,
        events.device_bucket,
        {{ journeys.definitions_fingerprint(['conversion_definitions', 'milestone_definitions']) }}
            as definitions_fingerprint
    from events
    inner join definitions
        on {{ journeys.event_matches('events', 'definitions') }}
)

select * from final
