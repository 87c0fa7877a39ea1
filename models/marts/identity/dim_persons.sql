{#- One row per person, known or anonymous: whether identified, how many user ids and devices (listed in
    bridge_person_identifiers), first and last seen, sessions. -#}

with sessions as (
    select
        person_id,
        identified_by,
        started_at,
        ended_at
    from {{ ref('fct_sessions') }}
),

identifiers as (
    select
        person_id,
        sum(case when identifier_type = 'user_id' then 1 else 0 end) as user_id_count,
        sum(case when identifier_type = 'device_id' then 1 else 0 end) as device_count
    from {{ ref('bridge_person_identifiers') }}
    group by person_id
),

session_totals as (
    select
        person_id,
        max(case when identified_by = 'user_id' then 1 else 0 end) = 1 as is_identified,
        min(started_at) as first_seen_at,
        max(ended_at) as last_seen_at,
        count(*) as session_count
    from sessions
    group by person_id
),

final as (
    select
        session_totals.person_id,
        session_totals.is_identified,
        cast(coalesce(identifiers.user_id_count, 0) as {{ dbt.type_bigint() }}) as user_id_count,
        cast(coalesce(identifiers.device_count, 0) as {{ dbt.type_bigint() }}) as device_count,
        session_totals.first_seen_at,
        session_totals.last_seen_at,
        cast(session_totals.session_count as {{ dbt.type_bigint() }}) as session_count
    from session_totals
    left join identifiers
        on session_totals.person_id = identifiers.person_id
)

select * from final
