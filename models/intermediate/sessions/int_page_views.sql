{{ config(**journeys.device_incremental_config()) }}

{#- One row per page view: the page view events of a session that share a tracker page view id (Snowplow's
    web_page context) are one page view, the first of them; without an id each page view event is one. A page
    ping joins the page view whose id it carries, else the page view before it in the session. Engagement follows
    the tracker's heartbeat: the first ping is sent after journeys__page_ping_min_visit_seconds and then one per
    journeys__page_ping_heartbeat_seconds, so engaged seconds = minimum visit + heartbeat x (distinct heartbeat
    windows with a ping - 1), a ping's window being floor((ping time - view time - minimum visit) / heartbeat),
    at least 0. Incremental by device (see device_incremental). -#}

{%- set heartbeat_seconds = journeys.var_whole_number('journeys__page_ping_heartbeat_seconds') -%}
{%- set min_visit_seconds = journeys.var_whole_number('journeys__page_ping_min_visit_seconds', minimum=0) -%}

{#- each import reads the table once with its own filter, so none of them is materialized for the others. The
    page views are found and ordered on narrow rows (they are read four times below, and DuckDB stores such a
    CTE whole); their wide columns join them once at the end. #}
with page_view_events as (
    select
        event_id,
        session_id,
        event_at,
        tracker_page_view_id,
        coalesce(tracker_page_view_id, event_id) as page_view_key
    from {{ ref('int_events_sessionized') }}
    where event_type = 'page_view' and {{ journeys.devices_to_recompute() }}
),

{# the tracker page view ids that more than one page view event of a session carries (a re-sent page view): a
   few of the page views, so only their events are sorted to find the first #}
repeated_page_view_ids as (
    select
        session_id,
        tracker_page_view_id
    from {{ ref('int_events_sessionized') }}
    where
        event_type = 'page_view'
        and tracker_page_view_id is not null
        and {{ journeys.devices_to_recompute() }}
    group by session_id, tracker_page_view_id
    having count(*) > 1
),

repeated_page_view_events as (
    select
        events.event_id,
        events.session_id,
        events.event_at,
        events.tracker_page_view_id,
        events.tracker_page_view_id as page_view_key,
        row_number() over (
            partition by events.session_id, events.tracker_page_view_id
            order by events.event_at, events.event_id
        ) as repeat_number,
        count(*) over (partition by events.session_id, events.tracker_page_view_id) as page_view_event_count
    from {{ ref('int_events_sessionized') }} as events
    inner join repeated_page_view_ids
        on
            events.session_id = repeated_page_view_ids.session_id
            and events.tracker_page_view_id = repeated_page_view_ids.tracker_page_view_id
    where events.event_type = 'page_view' and {{ journeys.devices_to_recompute('events.device_key') }}
),

ping_events as (
    select
        event_id,
        session_id,
        event_at,
        tracker_page_view_id,
        scroll_depth_percent
    from {{ ref('int_events_sessionized') }}
    where event_type = 'page_ping' and {{ journeys.devices_to_recompute() }}
),

session_ends as (
    select
        session_id,
        max(event_at) as last_event_at
    from {{ ref('int_events_sessionized') }}
    where {{ journeys.devices_to_recompute() }}
    group by session_id
),

{# the columns a page view shows, read once for the final select #}
page_view_details as (
    select
        event_id,
        page_url,
        page_path,
        page_title,
        referrer_url,
        referrer_host,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        click_id,
        click_id_type,
        scroll_depth_percent,
        loaded_at,
        device_key,
        device_bucket
    from {{ ref('int_events_sessionized') }}
    where event_type = 'page_view' and {{ journeys.devices_to_recompute() }}
),

{# the first page view event of each page view key opens a page view; the others repeat it. The events of the
   repeated keys are set apart with a NOT IN, which each engine runs as one hash lookup: as a join, PostgreSQL,
   expecting almost no repeats, ran it as a nested loop over every page view (47 s instead of 4.7 s at 1M events) #}
page_view_openings as (
    select
        *,
        1 as page_view_event_count
    from page_view_events
    where event_id not in (select repeated_page_view_events.event_id from repeated_page_view_events)
    union all
    select
        event_id,
        session_id,
        event_at,
        tracker_page_view_id,
        page_view_key,
        page_view_event_count
    from repeated_page_view_events
    where repeat_number = 1
),

{# the session's last event joins the narrow rows here: joined to the wide rows at the end, DuckDB built its hash
   table on those (the select at 10M events: 19.7-23.2 s then, 15.3-17.0 s now) #}
page_views as (
    select
        page_view_openings.*,
        session_ends.last_event_at as session_last_event_at,
        row_number() over (
            partition by page_view_openings.session_id
            order by page_view_openings.event_at, page_view_openings.event_id
        ) as page_view_index,
        lead(page_view_openings.event_at) over (
            partition by page_view_openings.session_id
            order by page_view_openings.event_at, page_view_openings.event_id
        ) as next_page_view_at
    from page_view_openings
    left join session_ends
        on page_view_openings.session_id = session_ends.session_id
),

{# each ping with the number of page views opened before it in its session: its page view by order #}
pings_and_page_views as (
    select
        event_id,
        session_id,
        event_at,
        tracker_page_view_id,
        scroll_depth_percent,
        0 as opens_page_view
    from ping_events
    union all
    select
        event_id,
        session_id,
        event_at,
        cast(null as {{ dbt.type_string() }}) as tracker_page_view_id,
        cast(null as {{ dbt.type_float() }}) as scroll_depth_percent,
        1 as opens_page_view
    from page_views
),

pings_in_order as (
    select
        *,
        sum(opens_page_view) over (
            partition by session_id order by event_at, event_id rows between unbounded preceding and current row
        ) as page_views_before
    from pings_and_page_views
),

pings_linked as (
    select
        pings_in_order.event_id,
        pings_in_order.event_at,
        pings_in_order.scroll_depth_percent,
        coalesce(by_id.session_id, by_order.session_id) as session_id,
        coalesce(by_id.page_view_index, by_order.page_view_index) as page_view_index,
        coalesce(by_id.event_at, by_order.event_at) as viewed_at
    from pings_in_order
    left join page_views as by_id
        on
            pings_in_order.session_id = by_id.session_id
            and pings_in_order.tracker_page_view_id = by_id.page_view_key
    left join page_views as by_order
        on
            pings_in_order.session_id = by_order.session_id
            and pings_in_order.page_views_before = by_order.page_view_index
    where pings_in_order.opens_page_view = 0
),

pings_timed as (
    select
        *,
        {# the engines' datediff renders as one long line #}
        {{ dbt.datediff('viewed_at', 'event_at', 'millisecond') }} as milliseconds_after_view  -- noqa: LT05
    from pings_linked
    where page_view_index is not null
),

ping_activity as (
    select
        session_id,
        page_view_index,
        count(*) as page_ping_count,
        count(distinct case
            when milliseconds_after_view >= {{ min_visit_seconds * 1000 }}
                then floor(
                    (milliseconds_after_view - {{ min_visit_seconds * 1000 }}) / {{ heartbeat_seconds * 1000 }}.0
                )
            else 0
        end) as heartbeat_windows,
        max(scroll_depth_percent) as max_ping_scroll_depth_percent
    from pings_timed
    group by session_id, page_view_index
),

final as (
    select
        page_views.event_id as page_view_id,
        page_views.tracker_page_view_id,
        page_views.session_id,
        page_views.event_at as viewed_at,
        page_view_details.page_url,
        page_view_details.page_path,
        page_view_details.page_title,
        page_view_details.referrer_url,
        page_view_details.referrer_host,
        page_view_details.utm_source,
        page_view_details.utm_medium,
        page_view_details.utm_campaign,
        page_view_details.utm_term,
        page_view_details.utm_content,
        page_view_details.click_id,
        page_view_details.click_id_type,
        page_views.page_view_index,
        page_views.page_view_event_count,
        page_views.next_page_view_at is null as is_exit,
        case
            when page_views.next_page_view_at is not null
                then {{ dbt.datediff('page_views.event_at', 'page_views.next_page_view_at', 'second') }}
            when page_views.session_last_event_at > page_views.event_at
                then {{ dbt.datediff('page_views.event_at', 'page_views.session_last_event_at', 'second') }}
        end as time_on_page_seconds,
        coalesce(ping_activity.page_ping_count, 0) as page_ping_count,
        case
            when ping_activity.page_ping_count > 0
                then {{ min_visit_seconds }} + {{ heartbeat_seconds }} * (ping_activity.heartbeat_windows - 1)
        end as engaged_seconds,
        case
            when ping_activity.max_ping_scroll_depth_percent is null then page_view_details.scroll_depth_percent
            when page_view_details.scroll_depth_percent is null then ping_activity.max_ping_scroll_depth_percent
            else greatest(page_view_details.scroll_depth_percent, ping_activity.max_ping_scroll_depth_percent)
        end as max_scroll_depth_percent,
        page_view_details.loaded_at,
        page_view_details.device_key,
        page_view_details.device_bucket
    from page_view_details
    inner join page_views
        on page_view_details.event_id = page_views.event_id
    left join ping_activity
        on
            page_views.session_id = ping_activity.session_id
            and page_views.page_view_index = ping_activity.page_view_index
)

select * from final
