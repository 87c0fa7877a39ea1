{#- One row per page view: how long the reader stayed (until the next page view of the session, else
    the session's last event after it) and, where the tracker sends page pings, engaged time (pings x
    journeys__page_ping_heartbeat_seconds) and the deepest scroll. Pings belong to the page view before
    them in the session. -#}

{{ config(**journeys.device_incremental_config()) }}

{%- set heartbeat_seconds = journeys.var_whole_number('journeys__page_ping_heartbeat_seconds') -%}
{%- set devices_with_new_person = journeys.devices_with_new_person(this) -%}

with events as (
    select
        event_id,
        session_id,
        event_at,
        event_type,
        page_url,
        page_path,
        page_title,
        referrer_host,
        scroll_depth_percent,
        loaded_at,
        device_key,
        device_bucket
    from {{ ref('int_events_sessionized') }}
    where {{ journeys.devices_to_recompute('device_key', ref('int_events_sessionized'), devices_with_new_person) }}
),

events_numbered as (
    select
        *,
        sum(case when event_type = 'page_view' then 1 else 0 end) over (
            partition by session_id
            order by event_at, event_id
            rows between unbounded preceding and current row
        ) as page_view_number
    from events
),

page_view_activity as (
    select
        session_id,
        page_view_number,
        max(event_at) as last_event_at,
        sum(case when event_type = 'page_ping' then 1 else 0 end) as page_ping_count,
        max(scroll_depth_percent) as max_scroll_depth_percent
    from events_numbered
    where page_view_number > 0
    group by session_id, page_view_number
),

page_views as (
    select
        event_id,
        session_id,
        event_at,
        page_url,
        page_path,
        page_title,
        referrer_host,
        page_view_number,
        loaded_at,
        device_key,
        device_bucket,
        lead(event_at) over (partition by session_id order by event_at, event_id) as next_page_view_at
    from events_numbered
    where event_type = 'page_view'
),

session_persons as (
    select
        session_id,
        person_id
    from {{ ref('int_sessions_identified') }}
),

final as (
    select
        page_views.event_id as page_view_id,
        page_views.session_id,
        session_persons.person_id,
        page_views.event_at as viewed_at,
        page_views.page_url,
        page_views.page_path,
        page_views.page_title,
        page_views.referrer_host,
        cast(page_views.page_view_number as {{ dbt.type_bigint() }}) as page_view_index,
        page_views.next_page_view_at is null as is_exit,
        cast(case
            when page_views.next_page_view_at is not null
                then {{ dbt.datediff('page_views.event_at', 'page_views.next_page_view_at', 'second') }}
            when page_view_activity.last_event_at > page_views.event_at
                then {{ dbt.datediff('page_views.event_at', 'page_view_activity.last_event_at', 'second') }}
        end as {{ dbt.type_bigint() }}) as time_on_page_seconds,
        cast(page_view_activity.page_ping_count as {{ dbt.type_bigint() }}) as page_ping_count,
        cast(case
            when page_view_activity.page_ping_count > 0
                then page_view_activity.page_ping_count * {{ heartbeat_seconds }}
        end as {{ dbt.type_bigint() }}) as engaged_seconds,
        cast(page_view_activity.max_scroll_depth_percent as {{ dbt.type_float() }}) as max_scroll_depth_percent,
        page_views.loaded_at,
        page_views.device_key,
        page_views.device_bucket
    from page_views
    inner join session_persons
        on page_views.session_id = session_persons.session_id
    left join page_view_activity
        on
            page_views.session_id = page_view_activity.session_id
            and page_views.page_view_number = page_view_activity.page_view_number
)

select * from final
