{{ config(materialized='view') }}

{#- One row per event of the canonical stream, with its session and its session's person. A view: the events are
    stored once (int_events_sessionized, incremental by device) and take their session's person when read, so a
    login or alias call that moves a session to another person rewrites no event. -#}

with events as (
    select * from {{ ref('int_events_sessionized') }}
),

session_persons as (
    select
        session_id,
        person_id
    from {{ ref('int_sessions_identified') }}
),

final as (
    select
        events.event_id,
        events.event_at,
        events.loaded_at,
        events.device_id,
        events.user_id,
        session_persons.person_id,
        events.session_id,
        events.event_type,
        events.event_name,
        events.event_category,
        events.event_action,
        events.event_property,
        events.page_url,
        events.page_path,
        events.page_title,
        events.referrer_host,
        events.utm_source,
        events.utm_medium,
        events.utm_campaign,
        events.click_id,
        events.device_class,
        events.country,
        cast(events.revenue as {{ dbt.type_float() }}) as revenue,
        events.source,
        events.device_key
    from events
    inner join session_persons
        on events.session_id = session_persons.session_id
)

select * from final
