{#- One row per person and milestone (seed milestone_definitions): the first time the person reached it at or
    after their signup (int_person_signups), with the seconds since the signup, the order in which the person
    reached their milestones, and the context of that event: device class, country, page, the feature property
    (event_property) and the channel of its session. Persons who never signed up have none. Incremental by person
    (person_incremental_config): a run re-writes the persons whose sessions changed, from the stored matches
    (int_events_matched). -#}

{{ config(**journeys.person_incremental_config()) }}

with milestone_events as (
    select
        definition_name,
        event_id,
        session_id,
        event_at,
        event_property,
        page_path,
        device_class,
        country
    from {{ ref('int_events_matched') }}
    where definition_kind = 'milestone'
),

sessions as (
    select
        session_id,
        person_id,
        channel
    from {{ ref('fct_sessions') }}
    where {{ journeys.persons_to_recompute() }}
),

{# not filtered on the persons to re-compute: the inner join with `sessions` keeps theirs only. Filtered here too,
   PostgreSQL under-estimates this view's rows and tests each joined row against the changed persons in a nested
   loop (12.6 s against 0.9 s for the full build, 1M events) #}
signups as (
    select
        person_id,
        signed_up_at
    from {{ ref('int_person_signups') }}
),

after_signup as (
    select
        milestone_events.*,
        sessions.person_id,
        sessions.channel,
        signups.signed_up_at,
        row_number() over (
            partition by sessions.person_id, milestone_events.definition_name
            order by milestone_events.event_at, milestone_events.event_id
        ) as reaching_number
    from milestone_events
    inner join sessions
        on milestone_events.session_id = sessions.session_id
    inner join signups
        on sessions.person_id = signups.person_id
    where milestone_events.event_at >= signups.signed_up_at
),

firsts as (
    select
        *,
        row_number() over (partition by person_id order by event_at, event_id, definition_name) as milestone_rank
    from after_signup
    where reaching_number = 1
),

final as (
    select
        {{ dbt.hash(dbt.concat(['person_id', "'|'", 'definition_name'])) }} as person_milestone_id,
        person_id,
        {{ journeys.contract_string('definition_name') }} as milestone_name,
        event_at as reached_at,
        signed_up_at,
        cast(
            {{ journeys.seconds_between('signed_up_at', 'event_at') }} as {{ dbt.type_float() }}
        ) as seconds_since_signup,
        cast(milestone_rank as {{ dbt.type_bigint() }}) as milestone_rank,
        session_id,
        event_id,
        device_class,
        country,
        page_path,
        event_property,
        channel
    from firsts
)

select * from final
