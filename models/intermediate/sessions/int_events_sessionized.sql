{{ config(**journeys.device_incremental_config()) }}

{#- Every event of the canonical stream with its device session (DESIGN: events -> device sessions). Events
    without a device id are sessionized per user id. Incremental by device (see device_incremental). -#}

{%- set passed_through = [
    'event_at', 'loaded_at', 'device_id', 'user_id', 'tracker_session_id', 'event_type', 'event_name', 'page_url',
    'page_path', 'page_title', 'referrer_url', 'referrer_host', 'utm_source', 'utm_medium', 'utm_campaign',
    'utm_term', 'utm_content', 'click_id', 'click_id_type', 'device_class', 'country', 'revenue',
    'scroll_depth_percent', 'source',
] -%}
{%- set timeout_minutes = journeys.var_whole_number('journeys__session_timeout_minutes') -%}
{%- set boundaries = journeys.var_choice('journeys__session_boundaries', ['inactivity', 'tracker']) -%}
{%- set new_session_conditions = [] -%}
{%- set timeout_applies_when = none -%}
{%- if var('journeys__session_new_on_campaign_change') -%}
    {%- do new_session_conditions.append('is_new_campaign') -%}
{%- endif -%}
{%- if boundaries == 'tracker' -%}
    {%- set both_tracked = 'tracker_session_id is not null and previous_tracker_session_id is not null' -%}
    {%- do new_session_conditions.append('(' ~ both_tracked ~ ' and tracker_session_id != previous_tracker_session_id)') -%}
    {%- set timeout_applies_when = 'not (' ~ both_tracked ~ ')' -%}
{%- endif -%}

with events as (
    select
        event_id,
        {{ journeys.select_list(passed_through) }},
        {{ journeys.device_key_expression() }} as device_key,
        case
            when
                event_type = 'page_view'
                and coalesce(utm_source, utm_medium, utm_campaign, click_id) is not null
                then {{ dbt.concat([
                    "coalesce(utm_source, '')", "'|'", "coalesce(utm_medium, '')", "'|'",
                    "coalesce(utm_campaign, '')", "'|'", "coalesce(click_id, '')",
                ]) }}
        end as campaign_key
    from {{ ref('int_events_validated') }}
    where {{ journeys.devices_to_recompute(journeys.device_key_expression(), ref('int_events_validated')) }}
),

{# each campaign landing against the device's previous campaign landing, whatever came between #}
campaign_landings as (
    select
        event_id,
        campaign_key,
        lag(campaign_key) over (partition by device_key order by event_at, event_id) as previous_campaign_key
    from events
    where campaign_key is not null
),

events_with_campaign_change as (
    select
        events.*,
        (
            campaign_landings.event_id is not null
            and coalesce(campaign_landings.previous_campaign_key, '') != campaign_landings.campaign_key
        ) as is_new_campaign
    from events
    left join campaign_landings
        on events.event_id = campaign_landings.event_id
),

sessionized as (
    {{ journeys.sessionize(
        'events_with_campaign_change', 'device_key', 'event_at', 'event_id', timeout_minutes,
        new_session_when=(new_session_conditions | join(' or ')) or none,
        compare_previous=['tracker_session_id'],
        timeout_applies_when=timeout_applies_when,
    ) }}
),

final as (
    select
        event_id,
        session_id,
        device_key,
        {{ journeys.device_bucket('device_key') }} as device_bucket,
        session_number as device_session_number,
        is_session_start,
        {{ journeys.select_list(passed_through) }}
    from sessionized
)

select * from final
