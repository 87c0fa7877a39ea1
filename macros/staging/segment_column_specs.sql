{#- Column specs of the Segment tables (see read_source_columns): the columns every Segment event table
    has, and those of tables written by page calls and track calls. -#}
{% macro segment_common_column_spec() -%}
    {{ return([
        {'name': 'id', 'type': 'string', 'required': true},
        {'name': 'anonymous_id', 'type': 'string', 'required': true},
        {'name': 'user_id', 'type': 'string', 'required': true},
        {'name': 'timestamp', 'type': 'timestamp', 'required': true},
        {'name': 'received_at', 'type': 'timestamp'},
        {'name': 'sent_at', 'type': 'timestamp'},
        {'name': 'uuid_ts', 'type': 'timestamp'},
        {'name': 'context_user_agent', 'type': 'string'},
        {'name': 'context_ip', 'type': 'string'},
        {'name': 'context_locale', 'type': 'string'},
        {'name': 'context_location_country', 'type': 'string'},
        {'name': 'context_page_url', 'type': 'string'},
        {'name': 'context_page_referrer', 'type': 'string'},
        {'name': 'context_page_title', 'type': 'string'},
        {'name': 'context_campaign_source', 'type': 'string'},
        {'name': 'context_campaign_medium', 'type': 'string'},
        {'name': 'context_campaign_name', 'type': 'string'},
        {'name': 'context_campaign_term', 'type': 'string'},
        {'name': 'context_campaign_content', 'type': 'string'},
    ]) }}
{%- endmacro %}

{% macro segment_track_column_spec() -%}
    {{ return(journeys.segment_common_column_spec() + [
        {'name': 'event', 'type': 'string', 'required': true},
        {'name': 'event_text', 'type': 'string'},
    ]) }}
{%- endmacro %}

{#- The columns every Segment event staging model selects, renamed from the resolved raw columns. A
    page call's own url/referrer/title come before the page context's. -#}
{% macro segment_event_columns(raw, page_url=none, referrer_url=none, page_title=none) -%}
    {{ raw.id }} as event_id,
        {{ raw.anonymous_id }} as device_id,
        {{ raw.user_id }} as user_id,
        {{ raw.timestamp }} as event_at,
        {{ raw.timestamp__is_present }} as has_event_at,
        coalesce({{ raw.uuid_ts }}, {{ raw.received_at }}, {{ raw.timestamp }}) as loaded_at,
        {{ raw.received_at }} as received_at,
        {{ raw.sent_at }} as sent_at,
        {{ 'coalesce(' ~ page_url ~ ', ' ~ raw.context_page_url ~ ')' if page_url else raw.context_page_url }} as page_url,
        {{ 'coalesce(' ~ page_title ~ ', ' ~ raw.context_page_title ~ ')' if page_title else raw.context_page_title }} as page_title,
        {{ 'coalesce(' ~ referrer_url ~ ', ' ~ raw.context_page_referrer ~ ')' if referrer_url else raw.context_page_referrer }} as referrer_url,
        {{ raw.context_campaign_source }} as collector_utm_source,
        {{ raw.context_campaign_medium }} as collector_utm_medium,
        {{ raw.context_campaign_name }} as collector_utm_campaign,
        {{ raw.context_campaign_term }} as collector_utm_term,
        {{ raw.context_campaign_content }} as collector_utm_content,
        {#- Segment's campaign context has no click id: the URL's is read -#}
        cast(null as {{ dbt.type_string() }}) as collector_click_id,
        {{ raw.context_user_agent }} as user_agent,
        {{ raw.context_ip }} as ip_address,
        {{ raw.context_locale }} as locale,
        {{ raw.context_location_country }} as country
{%- endmacro %}
