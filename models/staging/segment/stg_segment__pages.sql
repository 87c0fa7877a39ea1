{{ config(enabled=journeys.source_table_enabled('segment', 'pages')) }}

{%- set raw = journeys.read_source_table('segment', 'pages', journeys.segment_common_column_spec() + [
    {'name': 'name', 'type': 'string'},
    {'name': 'url', 'type': 'string'},
    {'name': 'referrer', 'type': 'string'},
    {'name': 'title', 'type': 'string'},
]) %}
{%- set columns = raw.columns %}

with renamed as (
    select
        {{ journeys.segment_event_columns(columns, page_url=columns.url, referrer_url=columns.referrer,
            page_title=columns.title) }},
        {{ columns.name }} as page_name
    from {{ raw.relation }}
),

final as (
    select
        event_id,
        'segment' as source,
        'pages' as source_table,
        event_at,
        loaded_at,
        device_id,
        user_id,
        cast(null as {{ dbt.type_string() }}) as tracker_session_id,
        cast(null as {{ dbt.type_string() }}) as tracker_page_view_id,
        'page_view' as event_type,
        'page_view' as event_name,
        cast(null as {{ dbt.type_string() }}) as event_category,
        cast(null as {{ dbt.type_string() }}) as event_action,
        cast(null as {{ dbt.type_string() }}) as event_property,
        page_url,
        {{ journeys.url_path('page_url') }} as page_path,
        page_title,
        referrer_url,
        {{ journeys.url_host('referrer_url') }} as referrer_host,
        {{ journeys.campaign_columns() }},
        country,
        cast(null as {{ dbt.type_float() }}) as revenue,
        cast(null as {{ dbt.type_float() }}) as scroll_depth_percent,
        has_event_at,
        user_agent,
        cast(null as {{ dbt.type_timestamp() }}) as collector_at,
        false as is_spider_by_context_column,
        {{ journeys.url_query('page_url') }} as page_query,
        page_name,
        received_at,
        sent_at,
        ip_address,
        locale
    from renamed
)

select * from final
