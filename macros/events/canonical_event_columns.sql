{#- The columns of the canonical event stream (DESIGN.md section 4), in order; every source's staging
    models provide them under these names, so the union selects them by name. -#}
{% macro canonical_event_columns() -%}
    {{ return([
        'event_id', 'source', 'source_table', 'event_at', 'loaded_at', 'device_id', 'user_id',
        'tracker_session_id', 'tracker_page_view_id', 'event_type', 'event_name', 'page_url', 'page_path', 'page_title',
        'referrer_url', 'referrer_host', 'utm_source', 'utm_medium', 'utm_campaign', 'utm_term',
        'utm_content', 'click_id', 'click_id_type', 'device_class', 'country', 'revenue', 'scroll_depth_percent',
        'is_bot',
    ]) }}
{%- endmacro %}
