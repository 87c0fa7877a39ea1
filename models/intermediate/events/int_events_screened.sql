{{ config(**journeys.load_time_incremental_config('raw_row_id')) }}

{#- Every raw event row of every enabled source, in the canonical columns, with the reason it cannot
    enter the stream (NULL when it can). Incremental by load time (see load_time_incremental): a run screens
    the rows loaded since the last one, against the event ids already in the stream. -#}

{%- set sources = journeys.enabled_event_sources() -%}
{%- set has_order_properties = var('journeys__segment_enabled')
    and 'order_completed' in var('journeys__segment_spec_tables') -%}
{%- set has_spider_context = var('journeys__snowplow_enabled')
    and var('journeys__snowplow_spider_context_table') is not none -%}

with
{% for source_name, table_name, model_name in sources %}
{{ model_name }}_rows as (
    select *
    from {{ ref(model_name) }}
    where {{ journeys.rows_to_rescreen() }}
),
{% endfor %}

{% if has_order_properties %}
segment_order_properties as (
    {# a redelivered track has its properties row twice: one revenue per event id #}
    select
        order_properties.event_id,
        max(order_properties.revenue) as revenue
    from {{ ref('stg_segment__order_completed') }} as order_properties
    {%- if is_incremental() %}
    where order_properties.event_id in (select tracks.event_id from stg_segment__tracks_rows as tracks)
    {%- endif %}
    group by order_properties.event_id
),
{% endif %}
{% if has_spider_context %}
snowplow_spider_context as (
    select
        spider_context.event_id,
        spider_context.collector_at,
        max(case when spider_context.is_spider_or_robot then 1 else 0 end) as is_spider_or_robot
    from {{ ref('stg_snowplow__spiders_and_robots_context') }} as spider_context
    {%- if is_incremental() %}
    where spider_context.event_id in (select snowplow_events.event_id from stg_snowplow__events_rows as snowplow_events)
    {%- endif %}
    group by spider_context.event_id, spider_context.collector_at
),
{% endif %}

{% for source_name, table_name, model_name in sources %}
{% set is_spider = 'false' %}
{% if source_name == 'snowplow' %}
{% set is_spider = 'staged.is_spider_by_context_column' %}
{% endif %}
{% if source_name == 'snowplow' and has_spider_context %}
{% set is_spider = is_spider ~ ' or coalesce(snowplow_spider_context.is_spider_or_robot = 1, false)' %}
{% endif %}
{{ model_name }} as (
    select
        {% for column in journeys.canonical_event_columns() %}
        {% if column == 'source' %}
        '{{ source_name }}' as source,
        {% elif column == 'source_table' %}
        '{{ table_name }}' as source_table,
        {% elif column in ('tracker_session_id', 'tracker_page_view_id') and source_name != 'snowplow' %}
        cast(null as {{ dbt.type_string() }}) as {{ column }},
        {% elif column == 'revenue' and model_name == 'stg_segment__tracks' and has_order_properties %}
        segment_order_properties.revenue,
        {% elif column in ('revenue', 'scroll_depth_percent') and source_name != 'snowplow' %}
        cast(null as {{ dbt.type_float() }}) as {{ column }},
        {% elif column == 'is_bot' %}
        {# set below, once every check has run #}
        {% else %}
        staged.{{ column }},
        {% endif %}
        {% endfor %}
        staged.has_event_at,
        staged.is_bot_user_agent,
        ({{ is_spider }}) as is_spider
    from {{ model_name }}_rows as staged
    {% if model_name == 'stg_segment__tracks' and has_order_properties %}
    left join segment_order_properties
        on staged.event_id = segment_order_properties.event_id
    {% elif source_name == 'snowplow' and has_spider_context %}
    left join snowplow_spider_context
        on
            staged.event_id = snowplow_spider_context.event_id
            and staged.collector_at = snowplow_spider_context.collector_at
    {% endif %}
),
{% endfor %}

unioned as (
    {%- for source_name, table_name, model_name in sources %}
    select * from {{ model_name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

with_invalid_reason as (
    select
        *,
        (is_bot_user_agent or is_spider) as is_bot,
        case
            when event_id is null then 'missing_event_id'
            when not has_event_at then 'missing_timestamp'
            when event_at is null then 'unparseable_timestamp'
            when device_id is null and user_id is null then 'missing_device_and_user_id'
            when event_name is null then 'missing_event_name'
            when event_at > {{ dbt.dateadd('hour', var('journeys__max_future_hours'), 'loaded_at') | trim }}
                then 'future_timestamp'
            when is_bot_user_agent then 'bot_user_agent'
            when is_spider then 'bot_spider_context'
        end as invalid_reason,
        {{ journeys.row_fingerprint(['source_table', 'device_id', 'user_id', 'event_name', 'page_url',
            'page_title', 'referrer_url', 'utm_source', 'utm_medium', 'utm_campaign', 'revenue']) }} as row_fingerprint
    from unioned
),

{# Among the rows that pass every other check, one per event_id stays: the first loaded (rows without a
   load time last), then the earliest event time, then the lowest fingerprint, so the same rows give the
   same choice everywhere. #}
ranked as (
    select
        *,
        row_number() over (
            partition by event_id, invalid_reason
            order by case when loaded_at is null then 1 else 0 end, loaded_at, event_at, source, row_fingerprint
        ) as delivery_rank
    from with_invalid_reason
),

{% if is_incremental() %}
{# event ids in the stream from rows this run does not re-screen: loaded earlier, so they came first #}
earlier_deliveries as (
    select distinct event_id
    from {{ this }}
    where quarantine_reason is null and not {{ journeys.rows_to_rescreen() }}
),
{% endif %}

{# rows identical in all of these are copies of one delivery: numbering them keeps the key unique #}
with_copy_number as (
    select
        ranked.*,
        {%- if is_incremental() %}
        earlier_deliveries.event_id is not null as has_earlier_delivery,
        {%- else %}
        false as has_earlier_delivery,
        {%- endif %}
        row_number() over (
            partition by
                ranked.source_table, ranked.event_id, ranked.row_fingerprint, ranked.loaded_at, ranked.event_at
            order by ranked.delivery_rank
        ) as copy_number
    from ranked
    {% if is_incremental() -%}
    left join earlier_deliveries
        on ranked.event_id = earlier_deliveries.event_id
    {%- endif %}
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "source_table", "'|'", "coalesce(event_id, '~')", "'|'", "row_fingerprint", "'|'",
            "coalesce(cast(loaded_at as " ~ dbt.type_string() ~ "), '~')", "'|'",
            "coalesce(cast(event_at as " ~ dbt.type_string() ~ "), '~')", "'|'",
            "cast(copy_number as " ~ dbt.type_string() ~ ")",
        ])) }} as raw_row_id,
        {{ journeys.select_list(journeys.canonical_event_columns()) }},
        row_fingerprint,
        coalesce(
            invalid_reason,
            case when delivery_rank > 1 or has_earlier_delivery then 'duplicate_event_id' end
        ) as quarantine_reason,
        {{ journeys.load_day('loaded_at') }} as loaded_on
    from with_copy_number
)

select * from final
