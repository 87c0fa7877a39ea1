{{ config(**journeys.device_incremental_config()) }}

{#- Every event of the canonical stream with its device session (DESIGN: events -> device sessions). Events
    without a device id are sessionized per user id. In tracker mode each tracker session id is one session of
    its device (its events may interleave with another's); events without one follow the timeout. In both modes
    a session never spans more than journeys__max_session_hours. Incremental by device (see device_incremental).

    The session rules run over narrow rows (the columns they read); the sessions they start are joined back to
    the wide events by their span, not event by event: an event belongs to the latest session start of its
    partition at or before it (in the order of time, then event id). That join holds one row per session start
    and week it reaches, not one per event, so the wide events stream through it at any size. -#}

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
{#- the weeks a session's span can reach: the week of its start and those up to max_session_hours later -#}
{%- set week_offsets = range(((max_session_hours + 167) // 168) + 1) | list -%}
{%- set session_span_end = dbt.dateadd('hour', max_session_hours, 'session_starts.session_started_at') | trim -%}
{%- set session_week_started_at = dbt.dateadd(
    'day', '7 * week_offsets.week_offset', dbt.date_trunc('week', 'session_starts.session_started_at')
) | trim -%}

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
        session_starts_only=true,
    ) }}
),

{# one row per session: its start, and the start of the next session of its partition (its span ends there) #}
session_starts as (
    select
        device_key,
        {%- if tracker_mode %}
        tracker_session_id,
        {%- endif %}
        session_id,
        session_started_at,
        session_first_event_id,
        lead(session_started_at) over (
            partition by {{ session_partition }} order by session_started_at, session_first_event_id
        ) as next_session_started_at,
        lead(session_first_event_id) over (
            partition by {{ session_partition }} order by session_started_at, session_first_event_id
        ) as next_session_first_event_id
    from sessionized
),

{# 0 for the week a session starts in, then each later week its span can reach #}
week_offsets as (
    {%- for offset in week_offsets %}
    select {{ offset }} as week_offset
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{# each session once per week its span can reach (the join's equality key, so that an event meets only the few
   sessions of its partition in its week): the span ends by the next start and by max_session_hours after its
   own #}
session_weeks as (
    select
        session_starts.*,
        {{ session_week_started_at }} as week_started_at
    from session_starts
    cross join week_offsets
    where
        week_offsets.week_offset = 0
        or {{ session_week_started_at }} <= least(
            coalesce(session_starts.next_session_started_at, {{ session_span_end }}), {{ session_span_end }}
        )
),

final as (
    select
        events.event_id,
        session_weeks.session_id,
        events.device_key,
        {{ journeys.device_bucket('events.device_key') }} as device_bucket,
        session_weeks.session_started_at,
        session_weeks.session_first_event_id,
        events.event_id = session_weeks.session_first_event_id as is_session_start,
        {{ journeys.select_list(passed_through, prefix='events.') }}
    from events
    inner join session_weeks
        on
            events.device_key = session_weeks.device_key
            {%- if tracker_mode %}
            and coalesce(events.tracker_session_id, '') = coalesce(session_weeks.tracker_session_id, '')
            {%- endif %}
            and {{ dbt.date_trunc('week', 'events.event_at') }} = session_weeks.week_started_at
            and (
                events.event_at > session_weeks.session_started_at
                or (
                    events.event_at = session_weeks.session_started_at
                    and events.event_id >= session_weeks.session_first_event_id
                )
            )
            and (
                session_weeks.next_session_started_at is null
                or events.event_at < session_weeks.next_session_started_at
                or (
                    events.event_at = session_weeks.next_session_started_at
                    and events.event_id < session_weeks.next_session_first_event_id
                )
            )
)

select * from final
