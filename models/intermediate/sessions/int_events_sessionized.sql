{{ config(**journeys.device_incremental_config()) }}

{#- Every event of the canonical stream with its device session (DESIGN: events -> device sessions). Events
    without a device id are sessionized per user id. In tracker mode each tracker session id is one session of
    its device (its events may interleave with another's); events without one follow the timeout. In both modes
    a session never spans more than journeys__max_session_hours. Incremental by device (see device_incremental). -#}

{%- set passed_through = [
    'event_at', 'loaded_at', 'device_id', 'user_id', 'tracker_session_id', 'tracker_page_view_id', 'event_type',
    'event_name', 'event_category', 'event_action', 'event_property', 'page_url', 'page_path', 'page_title',
    'referrer_url', 'referrer_host', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term', 'utm_content',
    'click_id', 'click_id_type', 'device_class', 'country', 'revenue', 'scroll_depth_percent', 'source',
] -%}
{%- set timeout_minutes = journeys.var_whole_number('journeys__session_timeout_minutes') -%}
{%- set max_session_hours = journeys.var_whole_number('journeys__max_session_hours') -%}
{%- set boundaries = journeys.var_choice('journeys__session_boundaries', ['inactivity', 'tracker']) -%}
{%- set new_on_campaign_change = var('journeys__session_new_on_campaign_change') -%}
{#- tracker mode: each tracker session id of a device is sessionized on its own; the timeout cuts only events
    without one -#}
{%- set tracker_mode = boundaries == 'tracker' -%}
{%- set session_partition = dbt.concat(['device_key', "'|'", "coalesce(tracker_session_id, '')"])
    if tracker_mode else 'device_key' -%}
{%- set timeout_applies_when = 'tracker_session_id is null' if tracker_mode else none -%}

with events as (
    select
        event_id,
        {{ journeys.select_list(passed_through) }},
        {{ journeys.device_key_expression() }} as device_key
    from {{ ref('int_events_validated') }}
    where {{ journeys.devices_to_recompute(journeys.device_key_expression()) }}
),

{# the same events with only the columns the session rules read, read again rather than from `events` (which
   DuckDB would then store whole): the window functions sort these, and the rest joins back by event id #}
event_times as (
    select
        event_id,
        event_at,
        {%- if tracker_mode %}
        tracker_session_id,
        {%- endif %}
        {%- if new_on_campaign_change %}
        event_type,
        utm_source,
        utm_medium,
        utm_campaign,
        click_id,
        {%- endif %}
        {{ journeys.device_key_expression() }} as device_key
    from {{ ref('int_events_validated') }}
    where {{ journeys.devices_to_recompute(journeys.device_key_expression()) }}
),

{% if new_on_campaign_change %}
events_with_campaign as (
    select
        *,
        case
            when
                event_type = 'page_view'
                and coalesce(utm_source, utm_medium, utm_campaign, click_id) is not null
                then {{ dbt.concat([
                    "coalesce(utm_source, '')", "'|'", "coalesce(utm_medium, '')", "'|'",
                    "coalesce(utm_campaign, '')", "'|'", "coalesce(click_id, '')",
                ]) }}
        end as campaign_key
    from event_times
),

{# each campaign landing against the previous campaign landing of its session partition, whatever came between #}
campaign_landings as (
    select
        event_id,
        campaign_key,
        lag(campaign_key) over (
            partition by {{ session_partition }} order by event_at, event_id
        ) as previous_campaign_key
    from events_with_campaign
    where campaign_key is not null
),

events_to_sessionize as (
    select
        event_times.event_id,
        event_times.event_at,
        event_times.device_key,
        {%- if tracker_mode %}
        event_times.tracker_session_id,
        {%- endif %}
        (
            campaign_landings.event_id is not null
            and coalesce(campaign_landings.previous_campaign_key, '') != campaign_landings.campaign_key
        ) as is_new_campaign
    from event_times
    left join campaign_landings
        on event_times.event_id = campaign_landings.event_id
),
{% else %}
events_to_sessionize as (
    select * from event_times
),
{% endif %}

sessionized as (
    {{ journeys.sessionize(
        'events_to_sessionize', session_partition, 'event_at', 'event_id', timeout_minutes,
        new_session_when=('is_new_campaign' if new_on_campaign_change else none),
        timeout_applies_when=timeout_applies_when,
        max_session_hours=max_session_hours,
    ) }}
),

final as (
    select
        events.event_id,
        sessionized.session_id,
        events.device_key,
        {{ journeys.device_bucket('events.device_key') }} as device_bucket,
        sessionized.session_started_at,
        sessionized.session_first_event_id,
        sessionized.is_session_start,
        {{ journeys.select_list(passed_through, prefix='events.') }}
    from events
    inner join sessionized
        on events.event_id = sessionized.event_id
)

select * from final
