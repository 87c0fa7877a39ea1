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

{#- The canonical columns the screening derives from a page or referrer URL, once per distinct URL rather than once
    per event: the page path, the referrer's host, and the campaign columns where the collector gave no value. -#}
{% macro url_derived_event_columns() -%}
    {{ return(
        ['page_path', 'referrer_host']
        + journeys.utm_fields() | map('replace', '', 'utm_', 1) | list
        + ['click_id', 'click_id_type']
    ) }}
{%- endmacro %}

{#- The columns int_events_screened reads from every event staging model (each emits them under these names, a
    typed NULL where its source lacks one): the canonical columns but those the screening decides once per
    distinct user agent (device_class, is_bot) or URL (url_derived_event_columns), then what the screening reads:
    whether the raw row had an event time at all, the user agent, the collector time that keys Snowplow's context
    tables, the spider flag of Snowplow's context column, and the campaign values the collector split out. -#}
{% macro staged_event_columns() -%}
    {{ return(
        journeys.canonical_event_columns()
        | reject('in', ['device_class', 'is_bot'] + journeys.url_derived_event_columns()) | list
        + ['has_event_at', 'user_agent', 'collector_at', 'is_spider_by_context_column']
        + journeys.utm_fields() | map('replace', '', 'collector_utm_', 1) | list
        + ['collector_click_id']
    ) }}
{%- endmacro %}
