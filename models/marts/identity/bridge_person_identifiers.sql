{#- One row per identifier a person was seen with: each user id (including ids merged by aliases) and each
    device id, with when it was first and last seen for that person. -#}

with events as (
    select
        person_id,
        device_id,
        user_id,
        event_at
    from {{ ref('fct_events') }}
),

user_ids as (
    select
        stitched.person_id,
        'user_id' as identifier_type,
        stitched.user_id as identifier,
        min(events.event_at) as first_seen_at,
        max(events.event_at) as last_seen_at
    from {{ ref('int_user_ids_stitched') }} as stitched
    left join events
        on stitched.user_id = events.user_id
    group by stitched.person_id, stitched.user_id
),

devices as (
    select
        person_id,
        'device_id' as identifier_type,
        device_id as identifier,
        min(event_at) as first_seen_at,
        max(event_at) as last_seen_at
    from events
    where device_id is not null
    group by person_id, device_id
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
