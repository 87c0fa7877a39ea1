{#- The columns of the canonical event stream (DESIGN.md section 4), in order. -#}
{% macro canonical_event_columns() -%}
    {{ return([
        'event_id', 'source', 'source_table', 'event_at', 'loaded_at', 'device_id', 'user_id',
        'tracker_session_id', 'tracker_page_view_id', 'event_type', 'event_name', 'event_category', 'event_action',
        'event_property', 'page_url', 'page_path',
        'page_title', 'referrer_url', 'referrer_host', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term',
        'utm_content', 'click_id', 'click_id_type', 'device_class', 'country', 'revenue', 'scroll_depth_percent',
        'is_bot',
    ]) }}
{%- endmacro %}

{#- The columns every event staging model emits under these names (a typed NULL where its source lacks one),
    which int_events_screened unions: the canonical columns but the two it decides once per distinct user agent
    (device_class, is_bot), then what the screening reads: whether the raw row had an event time at all, the user
    agent, the collector time that keys Snowplow's context tables, and the spider flag of Snowplow's context
    column. -#}
{% macro staged_event_columns() -%}
    {{ return(
        journeys.canonical_event_columns() | reject('in', ['device_class', 'is_bot']) | list
        + ['has_event_at', 'user_agent', 'collector_at', 'is_spider_by_context_column']
    ) }}
{%- endmacro %}
