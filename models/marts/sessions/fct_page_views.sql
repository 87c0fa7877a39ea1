{{ config(materialized='view') }}

{#- One row per page view (see int_page_views: repeated tracker page view ids are one page view, pings join their
    page view by id, else by order) with its session's person. A view, like fct_events: the page views are stored
    once (int_page_views) and take their session's person when read. -#}

with page_views as (
    select * from {{ ref('int_page_views') }}
),

session_persons as (
    select
        session_id,
        person_id
    from {{ ref('int_sessions_identified') }}
),

final as (
    select
        page_views.page_view_id,
        page_views.tracker_page_view_id,
        page_views.session_id,
        session_persons.person_id,
        page_views.viewed_at,
        page_views.page_url,
        page_views.page_path,
        page_views.page_title,
        page_views.referrer_host,
        cast(page_views.page_view_index as {{ dbt.type_bigint() }}) as page_view_index,
        page_views.is_exit,
        cast(page_views.page_view_event_count as {{ dbt.type_bigint() }}) as page_view_event_count,
        cast(page_views.time_on_page_seconds as {{ dbt.type_bigint() }}) as time_on_page_seconds,
        cast(page_views.page_ping_count as {{ dbt.type_bigint() }}) as page_ping_count,
        cast(page_views.engaged_seconds as {{ dbt.type_bigint() }}) as engaged_seconds,
        cast(page_views.max_scroll_depth_percent as {{ dbt.type_float() }}) as max_scroll_depth_percent,
        page_views.loaded_at,
        page_views.device_key
    from page_views
    inner join session_persons
        on page_views.session_id = session_persons.session_id
)

select * from final
