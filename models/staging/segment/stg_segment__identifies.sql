{{ config(enabled=journeys.source_table_enabled('segment', 'identifies')) }}

{%- set raw = journeys.read_source_table('segment', 'identifies', journeys.segment_common_column_spec() + [
    {'name': 'email', 'type': 'string'},
]) %}
{%- set columns = raw.columns %}

with renamed as (
    select
        {{ journeys.segment_event_columns(columns) }},
        {{ columns.email }} as email
    from {{ raw.relation }}
),

final as (
    select
        event_id,
        'segment' as source,
        'identifies' as source_table,
        event_at,
        loaded_at,
        device_id,
        user_id,
        cast(null as {{ dbt.type_string() }}) as tracker_session_id,
        cast(null as {{ dbt.type_string() }}) as tracker_page_view_id,
        'identify' as event_type,
        'identify' as event_name,
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
        email,
        received_at,
        sent_at,
        ip_address,
        locale
    from renamed
)

select * from final
