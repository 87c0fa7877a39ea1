{{ config(enabled=journeys.source_table_enabled('segment', 'tracks')) }}

{%- set raw = journeys.read_source_table('segment', 'tracks', journeys.segment_track_column_spec()) %}
{%- set columns = raw.columns %}

with renamed as (
    select
        {{ journeys.segment_event_columns(columns) }},
        {{ columns.event }} as event_name,
        {{ columns.event_text }} as event_text
    from {{ raw.relation }}
),

final as (
    select
        event_id,
        'segment' as source,
        'tracks' as source_table,
        event_at,
        loaded_at,
        device_id,
        user_id,
        cast(null as {{ dbt.type_string() }}) as tracker_session_id,
        cast(null as {{ dbt.type_string() }}) as tracker_page_view_id,
        'track' as event_type,
        event_name,
        cast(null as {{ dbt.type_string() }}) as event_category,
        cast(null as {{ dbt.type_string() }}) as event_action,
        {# a track's properties are in its own table: the screening joins the one that var
           journeys__segment_property_columns names #}
        cast(null as {{ dbt.type_string() }}) as event_property,
        page_url,
        {{ journeys.url_path('page_url') }} as page_path,
        page_title,
        referrer_url,
        {{ journeys.url_host('referrer_url') }} as referrer_host,
        {{ journeys.campaign_columns() }},
        country,
        {# an order's revenue is in its spec table (order_completed), which the screening joins #}
        cast(null as {{ dbt.type_float() }}) as revenue,
        cast(null as {{ dbt.type_float() }}) as scroll_depth_percent,
        has_event_at,
        user_agent,
        cast(null as {{ dbt.type_timestamp() }}) as collector_at,
        false as is_spider_by_context_column,
        {{ journeys.url_query('page_url') }} as page_query,
        event_text,
        received_at,
        sent_at,
        ip_address,
        locale
    from renamed
)

select * from final
