{{ config(**journeys.device_incremental_config()) }}

{#- One row per device session: its span, counts, first user id, landing and exit pages, and its
    marketing touch (the first page view's) with the channel from seed channel_rules. Incremental by device
    (see device_incremental): a run re-aggregates the sessions of the devices with newly loaded events. -#}

with events as (
    select * from {{ ref('int_events_sessionized') }}
    where {{ journeys.devices_to_recompute(
        'device_key', ref('int_events_sessionized'), loaded_at_column='last_loaded_at') }}
),

referrer_hosts as (
    select
        referrer_host,
        referrer_medium,
        referrer_source
    from {{ ref('referrer_hosts') }}
),

events_ranked as (
    select
        *,
        case
            when event_type = 'page_view'
                then row_number() over (
                    partition by session_id, case when event_type = 'page_view' then 1 else 0 end
                    order by event_at, event_id
                )
        end as page_view_number,
        case
            when event_type = 'page_view'
                then row_number() over (
                    partition by session_id, case when event_type = 'page_view' then 1 else 0 end
                    order by event_at desc, event_id desc
                )
        end as page_view_number_from_end,
        case
            when user_id is not null
                then row_number() over (
                    partition by session_id, case when user_id is not null then 1 else 0 end
                    order by event_at, event_id
                )
        end as identified_event_number
    from events
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
        sum(case when event_type = 'page_view' then 1 else 0 end) as page_view_count,
        sum(case when event_type not in ('page_view', 'page_ping') then 1 else 0 end) as interaction_count,
        max(case when identified_event_number = 1 then user_id end) as first_user_id,
        max(case when page_view_number = 1 then page_path end) as landing_page_path,
        max(case when page_view_number_from_end = 1 then page_path end) as exit_page_path,
        max(case when page_view_number = 1 then event_id end) as landing_event_id,
        max(source) as source,
        max(device_class) as device_class,
        max(country) as country
    from events_ranked
    group by session_id
),

landings as (
    select
        events_ranked.session_id,
        events_ranked.utm_source,
        events_ranked.utm_medium,
        events_ranked.utm_campaign,
        events_ranked.utm_term,
        events_ranked.utm_content,
        events_ranked.click_id,
        events_ranked.click_id_type,
        events_ranked.referrer_url,
        events_ranked.referrer_host,
        referrer_hosts.referrer_medium,
        referrer_hosts.referrer_source
    from events_ranked
    left join referrer_hosts
        on events_ranked.referrer_host = referrer_hosts.referrer_host
    where events_ranked.page_view_number = 1
),

touches as (
    select
        session_totals.*,
        landings.utm_source,
        landings.utm_medium,
        landings.utm_campaign,
        landings.utm_term,
        landings.utm_content,
        landings.click_id,
        landings.click_id_type,
        landings.referrer_url,
        landings.referrer_host,
        landings.referrer_medium,
        landings.referrer_source,
        coalesce(
            landings.utm_source, landings.utm_medium, landings.utm_campaign, landings.click_id
        ) is not null as has_campaign,
        landings.referrer_host is not null as has_referrer
    from session_totals
    left join landings
        on session_totals.session_id = landings.session_id
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
        started_at,
        ended_at,
        {# the engines' datediff renders as one long line #}
        {{ dbt.datediff('started_at', 'ended_at', 'second') }} as duration_seconds,  -- noqa: LT05
        last_loaded_at,
        event_count,
        page_view_count,
        (page_view_count = 1 and interaction_count = 0) as is_bounce,
        first_user_id,
        first_user_id is not null as has_user_id,
        landing_event_id,
        landing_page_path,
        exit_page_path,
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
