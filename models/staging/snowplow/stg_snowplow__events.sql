{{ config(enabled=journeys.source_table_enabled('snowplow', 'events')) }}

{%- set raw = journeys.read_source_table('snowplow', 'events', [
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
    {'name': var('journeys__snowplow_optimizely_context_column'), 'type': 'string'},
    {'name': var('journeys__snowplow_feature_flag_context_column'), 'type': 'string'},
]) %}
{%- set columns = raw.columns %}
{%- set optimizely_context = columns[var('journeys__snowplow_optimizely_context_column')] %}
{%- set feature_flag_context = columns[var('journeys__snowplow_feature_flag_context_column')] %}
{#- a context's numeric field (the variation index), quoted or not -#}
{%- set variation_pattern = '"variation" *: *"?([^",}]*)' %}
{#- a JSON array with a second entry: a closing brace followed by an opening one -#}
{%- set several_entries_pattern = "'%}%{" ~ "%'" %}

with renamed as (
    select
        {{ columns.event_id }} as event_id,
        {{ columns.domain_userid }} as device_id,
        {{ columns.user_id }} as user_id,
        {{ columns.network_userid }} as network_user_id,
        {{ columns.domain_sessionid }} as tracker_session_id,
        {{ columns.domain_sessionidx }} as tracker_session_index,
        {{ journeys.json_string_field(columns.contexts_com_snowplowanalytics_snowplow_web_page_1_0_0, 'id') }}
            as tracker_page_view_id,
        {# The event time is derived_tstamp (device time corrected for clock skew) when the tracker sent
           it; an unparseable derived_tstamp makes the event time unknown rather than falling back. #}
        case
            when {{ columns.derived_tstamp__is_present }} then {{ columns.derived_tstamp }}
            else {{ columns.collector_tstamp }}
        end as event_at,
        ({{ columns.derived_tstamp__is_present }} or {{ columns.collector_tstamp__is_present }}) as has_event_at,
        coalesce({{ columns.load_tstamp }}, {{ columns.collector_tstamp }}) as loaded_at,
        {{ columns.collector_tstamp }} as collector_at,
        {{ columns.dvce_created_tstamp }} as device_created_at,
        case
            when {{ columns.event }} in ('page_view', 'page_ping') then {{ columns.event }}
            when {{ columns.event }} in ('struct', 'unstruct', 'transaction', 'transaction_item') then 'track'
            else {{ columns.event }}
        end as event_type,
        coalesce({{ columns.event_name }}, {{ columns.event }}) as event_name,
        {{ columns.event }} as snowplow_event,
        {{ columns.event_vendor }} as event_vendor,
        {{ columns.app_id }} as app_id,
        {{ columns.platform }} as platform,
        {{ columns.page_url }} as page_url,
        {{ columns.page_urlpath }} as collector_page_path,
        {{ columns.page_title }} as page_title,
        {{ columns.page_referrer }} as referrer_url,
        {{ columns.refr_urlhost }} as collector_referrer_host,
        {{ columns.refr_medium }} as referrer_medium,
        {{ columns.refr_source }} as referrer_source,
        {{ columns.mkt_source }} as collector_utm_source,
        {{ columns.mkt_medium }} as collector_utm_medium,
        {{ columns.mkt_campaign }} as collector_utm_campaign,
        {{ columns.mkt_term }} as collector_utm_term,
        {{ columns.mkt_content }} as collector_utm_content,
        {{ columns.mkt_clickid }} as collector_click_id,
        {{ columns.mkt_network }} as click_network,
        {{ columns.se_category }} as struct_category,
        {{ columns.se_action }} as struct_action,
        {{ columns.se_label }} as struct_label,
        {{ columns.se_property }} as struct_property,
        {{ columns.se_value }} as struct_value,
        {{ columns.tr_orderid }} as order_id,
        case when {{ columns.event }} = 'transaction' then {{ columns.tr_total }} end as revenue,
        {{ columns.tr_currency }} as currency,
        {{ columns.pp_yoffset_max }} as max_scroll_y,
        {{ columns.doc_height }} as document_height,
        {{ columns.br_viewheight }} as viewport_height,
        {# a ping reports its deepest offset; a page view only what its first viewport shows #}
        case
            when {{ columns.event }} = 'page_ping' and {{ columns.doc_height }} > 0
                then least(
                    100.0,
                    100.0 * ({{ columns.pp_yoffset_max }} + coalesce({{ columns.br_viewheight }}, 0))
                    / {{ columns.doc_height }}
                )
            when {{ columns.event }} = 'page_view' and {{ columns.doc_height }} > 0
                then least(100.0, 100.0 * {{ columns.br_viewheight }} / {{ columns.doc_height }})
        end as scroll_depth_percent,
        {{ columns.useragent }} as user_agent,
        {{ columns.user_ipaddress }} as ip_address,
        {{ columns.geo_country }} as country,
        {{ columns.br_lang }} as locale,
        {# the experiment contexts' first entry (a data test warns of events whose array holds several) #}
        {{ journeys.json_string_field(optimizely_context, 'experimentId') }} as optimizely_experiment_id,
        {{ journeys.json_string_field(optimizely_context, 'variationName') }} as optimizely_variant_name,
        {{ journeys.regexp_extract(optimizely_context, variation_pattern, 1) }} as optimizely_variant_id,
        {{ journeys.json_string_field(feature_flag_context, 'key') }} as feature_flag_key,
        {{ journeys.json_string_field(feature_flag_context, 'value') }} as feature_flag_variant_name,
        {{ journeys.regexp_extract(feature_flag_context, variation_pattern, 1) }} as feature_flag_variant_id,
        (
            coalesce({{ optimizely_context }} like {{ several_entries_pattern }}, false)
            or coalesce({{ feature_flag_context }} like {{ several_entries_pattern }}, false)
        ) as has_several_experiment_contexts,
        {# JSON is case-sensitive and most contexts say false: a LIKE test spares most rows the expression #}
        case
            when {{ columns.contexts_com_iab_snowplow_spiders_and_robots_1_0_0 }} like '%true%'
                then {{ journeys.regexp_like(columns.contexts_com_iab_snowplow_spiders_and_robots_1_0_0,
                    '"spiderOrRobot" *: *true', case_insensitive=false) }}
            else false
        end as is_spider_by_context_column
    from {{ raw.relation }}
),

final as (
    select
        event_id,
        'snowplow' as source,
        'events' as source_table,
        event_at,
        loaded_at,
        device_id,
        user_id,
        tracker_session_id,
        tracker_page_view_id,
        event_type,
        event_name,
        struct_category as event_category,
        struct_action as event_action,
        struct_property as event_property,
        page_url,
        {{ journeys.url_path('page_url') }} as page_path,
        page_title,
        referrer_url,
        {{ journeys.url_host('referrer_url') }} as referrer_host,
        {{ journeys.campaign_columns() }},
        country,
        revenue,
        scroll_depth_percent,
        has_event_at,
        user_agent,
        collector_at,
        is_spider_by_context_column,
        {{ journeys.url_query('page_url') }} as page_query,
        network_user_id,
        tracker_session_index,
        device_created_at,
        snowplow_event,
        event_vendor,
        app_id,
        platform,
        collector_page_path,
        collector_referrer_host,
        referrer_medium,
        referrer_source,
        click_network,
        struct_category,
        struct_action,
        struct_label,
        struct_property,
        struct_value,
        order_id,
        currency,
        max_scroll_y,
        document_height,
        viewport_height,
        ip_address,
        locale,
        optimizely_experiment_id,
        optimizely_variant_name,
        optimizely_variant_id,
        feature_flag_key,
        feature_flag_variant_name,
        feature_flag_variant_id,
        has_several_experiment_contexts
    from renamed
)

select * from final
