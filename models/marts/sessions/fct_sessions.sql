{#- One row per session, with its person, span, engagement, landing and exit pages and marketing touch.
    Incremental by person (person_incremental_config): session_index numbers each person's sessions, so a run
    re-writes the sessions of the persons whose sessions changed. -#}

{{ config(**journeys.person_incremental_config()) }}

with sessions as (
    select * from {{ ref('int_sessions_aggregated') }}
),

session_persons as (
    select
        session_id,
        person_id,
        identified_by
    from {{ ref('int_sessions_identified') }}
    where {{ journeys.persons_to_recompute() }}
),

final as (
    select
        sessions.session_id,
        session_persons.person_id,
        sessions.device_id,
        session_persons.identified_by,
        cast(sessions.device_session_number as {{ dbt.type_bigint() }}) as device_session_number,
        cast(row_number() over (
            partition by session_persons.person_id
            order by sessions.started_at, sessions.session_id
        ) as {{ dbt.type_bigint() }}) as session_index,
        sessions.started_at,
        sessions.ended_at,
        cast(sessions.duration_seconds as {{ dbt.type_bigint() }}) as duration_seconds,
        cast(sessions.event_count as {{ dbt.type_bigint() }}) as event_count,
        cast(sessions.page_view_count as {{ dbt.type_bigint() }}) as page_view_count,
        cast(sessions.interaction_count as {{ dbt.type_bigint() }}) as interaction_count,
        cast(sessions.engaged_seconds as {{ dbt.type_bigint() }}) as engaged_seconds,
        sessions.is_engaged,
        sessions.is_bounce,
        sessions.landing_page_path,
        sessions.landing_page_url,
        sessions.landing_page_title,
        sessions.exit_page_path,
        sessions.exit_page_url,
        sessions.exit_page_title,
        sessions.channel,
        sessions.is_paid,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.utm_term,
        sessions.utm_content,
        sessions.click_id,
        sessions.click_id_type,
        sessions.referrer_host,
        sessions.referrer_medium,
        sessions.source,
        sessions.device_class,
        sessions.country,
        sessions.last_loaded_at
    from sessions
    inner join session_persons
        on sessions.session_id = session_persons.session_id
)

select * from final
