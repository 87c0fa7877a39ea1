{#- Which page had the biggest share of last touches before signup: the landing page of each signed-up person's
    last touch (their last session that started at or before the signup, as fct_signup_journeys.last_touch_at
    defines it), with its share of all signups and how many channels brought those last touches. -#}

with signups as (
    select
        person_id,
        signed_up_at
    from {{ ref('fct_signup_journeys') }}
    where is_signed_up
),

sessions as (
    select
        session_id,
        person_id,
        started_at,
        channel,
        coalesce(landing_page_path, '(none)') as landing_page_path
    from {{ ref('fct_sessions') }}
),

sessions_before_signup as (
    select
        sessions.person_id,
        sessions.channel,
        sessions.landing_page_path,
        row_number() over (
            partition by sessions.person_id
            order by sessions.started_at desc, sessions.session_id desc
        ) as session_from_last
    from sessions
    inner join signups
        on
            sessions.person_id = signups.person_id
            and sessions.started_at <= signups.signed_up_at
),

last_touches as (
    select
        landing_page_path,
        channel
    from sessions_before_signup
    where session_from_last = 1
),

pages as (
    select
        landing_page_path,
        count(*) as last_touches,
        count(distinct channel) as channels
    from last_touches
    group by landing_page_path
),

final as (
    select
        landing_page_path,
        last_touches,
        round(100.0 * last_touches / sum(last_touches) over (), 1) as share_percent,
        channels,
        rank() over (order by last_touches desc) as page_rank
    from pages
)

select * from final
order by page_rank, landing_page_path
