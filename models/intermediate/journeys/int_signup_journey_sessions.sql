{#- One row per session of a person that started at or before the person's signup (int_person_signups), the
    signup session included; every session of a person who never signed up. Numbered in order (session_step), with
    the session's marketing touch: the steps of the signup journeys (fct_signup_journeys) and of the signup paths
    (rpt_signup_paths). Incremental by person (person_incremental_config): a run re-writes the persons whose
    sessions changed. -#}

{{ config(**journeys.person_incremental_config()) }}

with sessions as (
    select
        session_id,
        person_id,
        started_at,
        channel,
        is_paid,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer_host,
        landing_page_path,
        landing_page_url
    from {{ ref('fct_sessions') }}
    where {{ journeys.persons_to_recompute() }}
),

signups as (
    select
        person_id,
        signed_up_at
    from {{ ref('int_person_signups') }}
    where {{ journeys.persons_to_recompute() }}
),

journey_sessions as (
    select
        sessions.*,
        signups.signed_up_at,
        signups.person_id is not null as is_signed_up
    from sessions
    left join signups
        on sessions.person_id = signups.person_id
    where signups.signed_up_at is null or sessions.started_at <= signups.signed_up_at
),

final as (
    select
        person_id,
        session_id,
        started_at,
        cast(row_number() over (partition by person_id order by started_at, session_id) as {{ dbt.type_bigint() }})
            as session_step,
        cast(count(*) over (partition by person_id) as {{ dbt.type_bigint() }}) as session_steps,
        channel,
        is_paid,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer_host,
        landing_page_path,
        landing_page_url,
        is_signed_up,
        signed_up_at
    from journey_sessions
)

select * from final
