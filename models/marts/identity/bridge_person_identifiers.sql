{#- One row per identifier a person was seen with: each user id (including ids merged by aliases, with when its
    events were first and last seen) and each device id, with when it was first and last seen for that person.
    Incremental by person (person_incremental_config): a run re-writes the persons whose sessions or user ids
    changed, and deletes those merged away. -#}

{{ config(**journeys.person_incremental_config()) }}

with user_ids as (
    select
        person_id,
        'user_id' as identifier_type,
        user_id as identifier,
        first_seen_at,
        last_seen_at
    from {{ ref('int_user_ids_stitched') }}
    where {{ journeys.persons_to_recompute() }}
),

devices as (
    select
        session_persons.person_id,
        'device_id' as identifier_type,
        sessions.device_id as identifier,
        min(sessions.started_at) as first_seen_at,
        max(sessions.ended_at) as last_seen_at
    from {{ ref('int_sessions_aggregated') }} as sessions
    inner join {{ ref('int_sessions_identified') }} as session_persons
        on sessions.session_id = session_persons.session_id
    where sessions.device_id is not null and {{ journeys.persons_to_recompute('session_persons.person_id') }}
    group by session_persons.person_id, sessions.device_id
),

unioned as (
    select * from user_ids
    union all
    select * from devices
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "person_id", "'|'", "identifier_type", "'|'", "identifier",
        ])) }} as person_identifier_id,
        person_id,
        identifier_type,
        identifier,
        first_seen_at,
        last_seen_at
    from unioned
)

select * from final
