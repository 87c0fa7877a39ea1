{{ config(enabled=var('journeys__snowplow_enabled')) }}

{%- set raw = journeys.read_source_columns(source('snowplow', 'events'), [
    {'name': 'event_id', 'type': 'string', 'required': true},
    {'name': 'domain_userid', 'type': 'string', 'required': true},
    {'name': 'user_id', 'type': 'string', 'required': true},
    {'name': 'collector_tstamp', 'type': 'timestamp', 'required': true},
    {'name': 'derived_tstamp', 'type': 'timestamp'},
    {'name': 'dvce_created_tstamp', 'type': 'timestamp'},
    {'name': 'load_tstamp', 'type': 'timestamp'},
    {'name': 'event', 'type': 'string', 'required': true},
    {'name': 'event_name', 'type': 'string'},
    {'name': 'event_vendor', 'type': 'string'},
    {'name': 'app_id', 'type': 'string'},
    {'name': 'platform', 'type': 'string'},
    {'name': 'network_userid', 'type': 'string'},
    {'name': 'domain_sessionid', 'type': 'string'},
    {'name': 'domain_sessionidx', 'type': 'integer'},
    {'name': 'page_url', 'type': 'string'},
    {'name': 'page_title', 'type': 'string'},
    {'name': 'page_referrer', 'type': 'string'},
    {'name': 'page_urlpath', 'type': 'string'},
    {'name': 'refr_urlhost', 'type': 'string'},
    {'name': 'refr_medium', 'type': 'string'},
    {'name': 'refr_source', 'type': 'string'},
    {'name': 'mkt_source', 'type': 'string'},
    {'name': 'mkt_medium', 'type': 'string'},
    {'name': 'mkt_campaign', 'type': 'string'},
    {'name': 'mkt_term', 'type': 'string'},
    {'name': 'mkt_content', 'type': 'string'},
    {'name': 'mkt_clickid', 'type': 'string'},
    {'name': 'mkt_network', 'type': 'string'},
    {'name': 'se_category', 'type': 'string'},
    {'name': 'se_action', 'type': 'string'},
    {'name': 'se_label', 'type': 'string'},
    {'name': 'se_property', 'type': 'string'},
    {'name': 'se_value', 'type': 'number'},
    {'name': 'tr_orderid', 'type': 'string'},
    {'name': 'tr_total', 'type': 'number'},
    {'name': 'tr_currency', 'type': 'string'},
    {'name': 'pp_yoffset_max', 'type': 'integer'},
    {'name': 'doc_height', 'type': 'integer'},
    {'name': 'br_viewheight', 'type': 'integer'},
    {'name': 'useragent', 'type': 'string'},
    {'name': 'user_ipaddress', 'type': 'string'},
    {'name': 'geo_country', 'type': 'string'},
    {'name': 'br_lang', 'type': 'string'},
    {'name': 'contexts_com_iab_snowplow_spiders_and_robots_1_0_0', 'type': 'string',
        'aliases': ['contexts_com_iab_snowplow_spiders_and_robots_1']},
    {'name': 'contexts_com_snowplowanalytics_snowplow_web_page_1_0_0', 'type': 'string',
        'aliases': ['contexts_com_snowplowanalytics_snowplow_web_page_1']},
]) %}

with renamed as (
    select
        {{ raw.event_id }} as event_id,
        {{ raw.domain_userid }} as device_id,
        {{ raw.user_id }} as user_id,
        {{ raw.network_userid }} as network_user_id,
        {{ raw.domain_sessionid }} as tracker_session_id,
        {{ raw.domain_sessionidx }} as tracker_session_index,
        {{ journeys.json_string_field(raw.contexts_com_snowplowanalytics_snowplow_web_page_1_0_0, 'id') }}
            as tracker_page_view_id,
        {# The event time is derived_tstamp (device time corrected for clock skew) when the tracker sent
           it; an unparseable derived_tstamp makes the event time unknown rather than falling back. #}
        case
            when {{ raw.derived_tstamp__is_present }} then {{ raw.derived_tstamp }}
            else {{ raw.collector_tstamp }}
        end as event_at,
        ({{ raw.derived_tstamp__is_present }} or {{ raw.collector_tstamp__is_present }}) as has_event_at,
        coalesce({{ raw.load_tstamp }}, {{ raw.collector_tstamp }}) as loaded_at,
        {{ raw.collector_tstamp }} as collector_at,
        {{ raw.dvce_created_tstamp }} as device_created_at,
        case
            when {{ raw.event }} in ('page_view', 'page_ping') then {{ raw.event }}
            when {{ raw.event }} in ('struct', 'unstruct', 'transaction', 'transaction_item') then 'track'
            else {{ raw.event }}
        end as event_type,
        coalesce({{ raw.event_name }}, {{ raw.event }}) as event_name,
        {{ raw.event }} as snowplow_event,
        {{ raw.event_vendor }} as event_vendor,
        {{ raw.app_id }} as app_id,
        {{ raw.platform }} as platform,
        {{ raw.page_url }} as page_url,
        {{ raw.page_urlpath }} as collector_page_path,
        {{ raw.page_title }} as page_title,
        {{ raw.page_referrer }} as referrer_url,
        {{ raw.refr_urlhost }} as collector_referrer_host,
        {{ raw.refr_medium }} as referrer_medium,
        {{ raw.refr_source }} as referrer_source,
        {{ raw.mkt_source }} as collector_utm_source,
        {{ raw.mkt_medium }} as collector_utm_medium,
        {{ raw.mkt_campaign }} as collector_utm_campaign,
        {{ raw.mkt_term }} as collector_utm_term,
        {{ raw.mkt_content }} as collector_utm_content,
        {{ raw.mkt_clickid }} as collector_click_id,
        {{ raw.mkt_network }} as click_network,
        {{ raw.se_category }} as struct_category,
        {{ raw.se_action }} as struct_action,
        {{ raw.se_label }} as struct_label,
        {{ raw.se_property }} as struct_property,
        {{ raw.se_value }} as struct_value,
        {{ raw.tr_orderid }} as order_id,
        case when {{ raw.event }} = 'transaction' then {{ raw.tr_total }} end as revenue,
        {{ raw.tr_currency }} as currency,
        {{ raw.pp_yoffset_max }} as max_scroll_y,
        {{ raw.doc_height }} as document_height,
        {{ raw.br_viewheight }} as viewport_height,
        {# a ping reports its deepest offset; a page view only what its first viewport shows #}
        case
            when {{ raw.event }} = 'page_ping' and {{ raw.doc_height }} > 0
                then least(
                    100.0,
                    100.0 * ({{ raw.pp_yoffset_max }} + coalesce({{ raw.br_viewheight }}, 0)) / {{ raw.doc_height }}
                )
            when {{ raw.event }} = 'page_view' and {{ raw.doc_height }} > 0
                then least(100.0, 100.0 * {{ raw.br_viewheight }} / {{ raw.doc_height }})
        end as scroll_depth_percent,
        {{ raw.useragent }} as user_agent,
        {{ raw.user_ipaddress }} as ip_address,
        {{ raw.geo_country }} as country,
        {{ raw.br_lang }} as locale,
        {{ journeys.regexp_like(raw.contexts_com_iab_snowplow_spiders_and_robots_1_0_0,
            '"spiderOrRobot" *: *true') }} as is_spider_by_context_column
    from {{ source('snowplow', 'events') }}
),

final as (
    select
        *,
        {{ journeys.parsed_event_columns(has_collector_click_id=true) }}
    from renamed
)

select * from final
