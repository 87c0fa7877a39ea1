{#- One row per person, known or anonymous: every person of a session, and every person of a user id, including
    one whose user id was only seen after another's in the same session (the session belongs to the other person)
    or only in alias calls. With the person's user ids and devices (listed in bridge_person_identifiers), first and
    last seen, sessions, page views, engagement, first and last page, and the country and device class of the
    first session. Incremental by person (person_incremental_config): a run re-writes the persons whose sessions or
    user ids changed, and deletes those merged away. -#}

{{ config(**journeys.person_incremental_config()) }}

with sessions as (
    select
        person_id,
        session_id,
        started_at,
        ended_at,
        session_index,
        page_view_count,
        engaged_seconds,
        landing_page_path,
        landing_page_url,
        exit_page_path,
        exit_page_url,
        country,
        device_class
    from {{ ref('fct_sessions') }}
    where {{ journeys.persons_to_recompute() }}
),

user_ids as (
    select
        person_id,
        first_seen_at,
        last_seen_at
    from {{ ref('int_user_ids_stitched') }}
    where {{ journeys.persons_to_recompute() }}
),

identifiers as (
    select
        person_id,
        sum(case when identifier_type = 'user_id' then 1 else 0 end) as user_id_count,
        sum(case when identifier_type = 'device_id' then 1 else 0 end) as device_count
    from {{ ref('bridge_person_identifiers') }}
    where {{ journeys.persons_to_recompute() }}
    group by person_id
),

sessions_from_last as (
    select
        *,
        row_number() over (partition by person_id order by started_at desc, session_id desc) as session_index_from_last
    from sessions
),

session_totals as (
    select
        person_id,
        min(started_at) as first_seen_at,
        max(ended_at) as last_seen_at,
        count(*) as session_count,
        sum(page_view_count) as page_view_count,
        sum(engaged_seconds) as engaged_seconds,
        max(case when session_index = 1 then landing_page_path end) as first_page_path,
        max(case when session_index = 1 then landing_page_url end) as first_page_url,
        max(case when session_index_from_last = 1 then exit_page_path end) as last_page_path,
        max(case when session_index_from_last = 1 then exit_page_url end) as last_page_url,
        max(case when session_index = 1 then country end) as first_session_country,
        max(case when session_index = 1 then device_class end) as first_session_device_class
    from sessions_from_last
    group by person_id
),

user_id_totals as (
    select
        person_id,
        min(first_seen_at) as first_seen_at,
        max(last_seen_at) as last_seen_at
    from user_ids
    group by person_id
),

persons as (
    select person_id from session_totals
    union
    select person_id from user_id_totals
),

final as (
    select
        persons.person_id,
        coalesce(identifiers.user_id_count, 0) > 0 as is_identified,
        cast(coalesce(identifiers.user_id_count, 0) as {{ dbt.type_bigint() }}) as user_id_count,
        cast(coalesce(identifiers.device_count, 0) as {{ dbt.type_bigint() }}) as device_count,
        coalesce(session_totals.first_seen_at, user_id_totals.first_seen_at) as first_seen_at,
        coalesce(session_totals.last_seen_at, user_id_totals.last_seen_at) as last_seen_at,
        cast(coalesce(session_totals.session_count, 0) as {{ dbt.type_bigint() }}) as session_count,
        cast(coalesce(session_totals.page_view_count, 0) as {{ dbt.type_bigint() }}) as page_view_count,
        cast(session_totals.engaged_seconds as {{ dbt.type_bigint() }}) as engaged_seconds,
        session_totals.first_page_path,
        session_totals.first_page_url,
        session_totals.last_page_path,
        session_totals.last_page_url,
        session_totals.first_session_country,
        session_totals.first_session_device_class
    from persons
    left join session_totals
        on persons.person_id = session_totals.person_id
    left join user_id_totals
        on persons.person_id = user_id_totals.person_id
    left join identifiers
        on persons.person_id = identifiers.person_id
)

select * from final
