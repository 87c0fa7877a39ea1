{{ config(**journeys.device_incremental_config()) }}

{#- One row per device session: its span, counts, first user id, landing and exit pages, engagement, and its
    marketing touch (the landing page view's) with the channel from seed channel_rules. Incremental by device
    (see device_incremental): a run re-aggregates the sessions of the devices with newly loaded events. -#}

{%- set engaged_min_seconds = journeys.var_whole_number('journeys__engaged_session_min_seconds', minimum=0) -%}
{%- set engaged_min_page_views = journeys.var_whole_number('journeys__engaged_session_min_page_views') -%}

{#- each import reads its table once with its own filter, so that none is stored whole for two readers #}
with events as (
    select
        session_id,
        device_key,
        device_id,
        event_at,
        event_type,
        loaded_at,
        source,
        device_class,
        country
    from {{ ref('int_events_sessionized') }}
    where {{ journeys.devices_to_recompute(loaded_at_column='last_loaded_at') }}
),

identified_events as (
    select
        session_id,
        user_id,
        event_at,
        event_id
    from {{ ref('int_events_sessionized') }}
    where user_id is not null and {{ journeys.devices_to_recompute(loaded_at_column='last_loaded_at') }}
),

page_views as (
    select
        session_id,
        page_view_id,
        page_view_index,
        is_exit,
        engaged_seconds,
        page_path,
        page_url,
        page_title,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        click_id,
        click_id_type,
        referrer_url,
        referrer_host
    from {{ ref('int_page_views') }}
    where {{ journeys.devices_to_recompute(loaded_at_column='last_loaded_at') }}
),

referrer_hosts as (
    select
        referrer_host,
        referrer_medium,
        referrer_source
    from {{ ref('referrer_hosts') }}
),

session_totals as (
    select
        session_id,
        max(device_key) as device_key,
        max(device_id) as device_id,
        min(event_at) as started_at,
        max(event_at) as ended_at,
        max(loaded_at) as last_loaded_at,
        count(*) as event_count,
        sum(case when event_type not in ('page_view', 'page_ping') then 1 else 0 end) as interaction_count,
        max(source) as source,
        max(device_class) as device_class,
        max(country) as country
    from events
    group by session_id
),

{# the user id of each session's first identified event #}
identified_events_numbered as (
    select
        session_id,
        user_id,
        row_number() over (partition by session_id order by event_at, event_id) as identified_event_number
    from identified_events
),

first_user_ids as (
    select
        session_id,
        user_id as first_user_id
    from identified_events_numbered
    where identified_event_number = 1
),

{# the landing page view's columns come from the same group by as the totals: page views are read once #}
page_view_totals as (
    select
        session_id,
        count(*) as page_view_count,
        sum(engaged_seconds) as engaged_seconds,
        max(case when page_view_index = 1 then page_view_id end) as landing_page_view_id,
        max(case when page_view_index = 1 then page_path end) as landing_page_path,
        max(case when page_view_index = 1 then page_url end) as landing_page_url,
        max(case when page_view_index = 1 then page_title end) as landing_page_title,
        max(case when is_exit then page_path end) as exit_page_path,
        max(case when is_exit then page_url end) as exit_page_url,
        max(case when is_exit then page_title end) as exit_page_title,
        max(case when page_view_index = 1 then utm_source end) as utm_source,
        max(case when page_view_index = 1 then utm_medium end) as utm_medium,
        max(case when page_view_index = 1 then utm_campaign end) as utm_campaign,
        max(case when page_view_index = 1 then utm_term end) as utm_term,
        max(case when page_view_index = 1 then utm_content end) as utm_content,
        max(case when page_view_index = 1 then click_id end) as click_id,
        max(case when page_view_index = 1 then click_id_type end) as click_id_type,
        max(case when page_view_index = 1 then referrer_url end) as referrer_url,
        max(case when page_view_index = 1 then referrer_host end) as referrer_host
    from page_views
    group by session_id
),

touches as (
    select
        session_totals.*,
        first_user_ids.first_user_id,
        coalesce(page_view_totals.page_view_count, 0) as page_view_count,
        page_view_totals.engaged_seconds,
        page_view_totals.landing_page_view_id,
        page_view_totals.landing_page_path,
        page_view_totals.landing_page_url,
        page_view_totals.landing_page_title,
        page_view_totals.exit_page_path,
        page_view_totals.exit_page_url,
        page_view_totals.exit_page_title,
        page_view_totals.utm_source,
        page_view_totals.utm_medium,
        page_view_totals.utm_campaign,
        page_view_totals.utm_term,
        page_view_totals.utm_content,
        page_view_totals.click_id,
        page_view_totals.click_id_type,
        page_view_totals.referrer_url,
        page_view_totals.referrer_host,
        referrer_hosts.referrer_medium,
        referrer_hosts.referrer_source,
        coalesce(
            page_view_totals.utm_source, page_view_totals.utm_medium, page_view_totals.utm_campaign,
            page_view_totals.click_id
        ) is not null as has_campaign,
        page_view_totals.referrer_host is not null as has_referrer,
        {# the engines' datediff renders as one long line #}
        {{ dbt.datediff('session_totals.started_at', 'session_totals.ended_at', 'second') }} as duration_seconds  -- noqa: LT05
    from session_totals
    left join first_user_ids
        on session_totals.session_id = first_user_ids.session_id
    left join page_view_totals
        on session_totals.session_id = page_view_totals.session_id
    left join referrer_hosts
        on page_view_totals.referrer_host = referrer_hosts.referrer_host
),

{%- set touch = {
    'has_campaign': 'has_campaign', 'has_referrer': 'has_referrer', 'utm_source': 'utm_source',
    'utm_medium': 'utm_medium', 'click_id_type': 'click_id_type', 'referrer_medium': 'referrer_medium',
} %}

final as (
    select
        session_id,
        device_key,
        device_id,
        row_number() over (partition by device_key order by started_at, session_id) as device_session_number,
        started_at,
        ended_at,
        duration_seconds,
        last_loaded_at,
        event_count,
        page_view_count,
        interaction_count,
        engaged_seconds,
        (
            duration_seconds >= {{ engaged_min_seconds }}
            or coalesce(engaged_seconds, 0) >= {{ engaged_min_seconds }}
            or page_view_count >= {{ engaged_min_page_views }}
            or interaction_count > 0
        ) as is_engaged,
        (page_view_count = 1 and interaction_count = 0) as is_bounce,
        first_user_id,
        first_user_id is not null as has_user_id,
        landing_page_view_id,
        landing_page_path,
        landing_page_url,
        landing_page_title,
        exit_page_path,
        exit_page_url,
        exit_page_title,
        source,
        device_class,
        country,
        {{ journeys.channel_group(touch, 'channel') }} as channel,
        {{ journeys.channel_group(touch, 'is_paid') }} as is_paid,
        utm_source,
        utm_medium,
        utm_campaign,
        utm_term,
        utm_content,
        click_id,
        click_id_type,
        referrer_url,
        referrer_host,
        referrer_medium,
        referrer_source,
        {{ journeys.device_bucket('device_key') }} as device_bucket
    from touches
)

select * from final
