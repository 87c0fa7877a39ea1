{{ config(**journeys.load_time_incremental_config('raw_row_id')) }}

{#- Every raw event row of every enabled source, in the canonical columns, with the reason it cannot enter the
    stream (NULL when it can). Each event staging model emits the same columns (journeys.staged_event_columns),
    so the rows are a union of one select per raw table; then come the joins staging does not make (order
    revenue, Snowplow's context tables, what each distinct user agent, page URL and referrer URL say), the
    checks in the order of seed quarantine_reasons, and one sort of each repeated event id's deliveries that
    keeps the first. Incremental by load time (see load_time_incremental): a run screens the rows loaded since
    the last one, against the event ids already in the stream. -#}

{%- set event_sources = journeys.enabled_event_sources() | map('first') | list -%}
{%- set has_segment = 'segment' in event_sources -%}
{%- set has_snowplow = 'snowplow' in event_sources -%}
{%- set has_spider_context = journeys.source_table_enabled('snowplow', 'spiders_and_robots_context') -%}
{%- set has_web_page_context = journeys.source_table_enabled('snowplow', 'web_page_context') -%}
{%- set staged_columns = journeys.select_list(journeys.staged_event_columns()) -%}
{#- the order of an event id's deliveries: rows tied on all of it are copies of one delivery -#}
{%- set delivery_order = "case when loaded_at is null then 1 else 0 end, loaded_at, event_at, source, "
    ~ "row_fingerprint" -%}
{#- a full build streams every raw row through these CTEs (see `ranked`); an incremental run reads few rows, which
    are better stored once than read again from the raw tables by each CTE that reads them -#}
{%- set streamed = '' if is_incremental() else journeys.streamed_cte() -%}
{#- this run's rows, where they are stored (an incremental run); a full build reads a column of them from the staging
    views again (see user_agents) -#}
{%- set stored_rows = 'unioned' if is_incremental() else none -%}
{#- what a page URL says of the campaign: parsed once per distinct URL in page_urls (`parsed`), then read from
    there in `joined` (`read`) -#}
{%- set url_campaign_parsed = [] -%}
{%- set url_campaign_read = {} -%}
{%- for name, expression in journeys.campaign_url_columns('page_url').items() -%}
{%- do url_campaign_parsed.append(expression ~ ' as ' ~ name) -%}
{%- do url_campaign_read.update({name: 'page_urls.' ~ name}) -%}
{%- endfor -%}
{#- the same frame for the three window functions (numbering ignores it), so each engine sorts once -#}
{%- set frame = "rows between unbounded preceding and current row" -%}

with

{%- if has_segment %}

segment_pages as {{ streamed }} (
    select
        {{ staged_columns }}
    from {{ ref('stg_segment__pages') }}
    where {{ journeys.rows_to_rescreen() }}
),

segment_tracks as {{ streamed }} (
    select
        {{ staged_columns }}
    from {{ ref('stg_segment__tracks') }}
    where {{ journeys.rows_to_rescreen() }}
),

segment_identifies as {{ streamed }} (
    select
        {{ staged_columns }}
    from {{ ref('stg_segment__identifies') }}
    where {{ journeys.rows_to_rescreen() }}
),
{%- endif %}

{%- if has_snowplow %}

snowplow_events as {{ streamed }} (
    select
        {{ staged_columns }}
    from {{ ref('stg_snowplow__events') }}
    where {{ journeys.rows_to_rescreen() }}
),
{%- endif %}

{%- if has_segment %}

{# the properties of tracks that live in Segment's per-event tables: an order's revenue (order_completed) and the
   property var journeys__segment_property_columns names; a redelivered track has its row there twice: one value
   per event id #}
track_properties as (
    select
        event_id,
        max(revenue) as revenue,
        max(event_property) as event_property
    from (
        select
            event_id,
            revenue,
            cast(null as {{ dbt.type_string() }}) as event_property
        from {{ ref('stg_segment__order_completed') }}
        union all
        select
            event_id,
            cast(null as {{ dbt.type_float() }}) as revenue,
            event_property
        from {{ ref('stg_segment__track_properties') }}
    ) as properties
    {%- if is_incremental() %}
    where event_id in (select segment_tracks.event_id from segment_tracks)
    {%- endif %}
    group by event_id
),
{%- endif %}

{%- if has_spider_context or has_web_page_context %}

{# Snowplow's context tables, keyed like the events they describe (a context row delivered twice counts once):
   whether the spiders-and-robots enrichment flagged the event (only its flags are read), and the page view id #}
snowplow_contexts as (
    select
        event_id,
        collector_at,
        max(is_spider_or_robot) = 1 as is_spider_or_robot,
        max(page_view_id) as page_view_id
    from (
        {%- if has_spider_context %}
        select
            event_id,
            collector_at,
            1 as is_spider_or_robot,
            cast(null as {{ dbt.type_string() }}) as page_view_id
        from {{ ref('stg_snowplow__spiders_and_robots_context') }}
        where
            is_spider_or_robot
            {%- if is_incremental() %}
            and event_id in (select snowplow_events.event_id from snowplow_events)
            {%- endif %}
        {%- endif %}
        {%- if has_spider_context and has_web_page_context %}
        union all
        {%- endif %}
        {%- if has_web_page_context %}
        select
            event_id,
            collector_at,
            0 as is_spider_or_robot,
            page_view_id
        from {{ ref('stg_snowplow__web_page_context') }}
        {%- if is_incremental() %}
        where event_id in (select snowplow_events.event_id from snowplow_events)
        {%- endif %}
        {%- endif %}
    ) as contexts
    group by event_id, collector_at
),
{%- endif %}

unioned as {{ streamed }} (
    {%- if has_segment %}
    select * from segment_pages
    union all
    select * from segment_tracks
    union all
    select * from segment_identifies
    {%- endif %}
    {%- if has_segment and has_snowplow %}
    union all
    {%- endif %}
    {%- if has_snowplow %}
    select * from snowplow_events
    {%- endif %}
),

{# the class and bot verdict of each distinct user agent, decided once rather than once per event; likewise what
   each distinct page URL and referrer URL say (a full build reads the column of the staging views again, a
   projection without their parsing: reading `unioned` twice would make PostgreSQL store every row of it first) #}
user_agents as (
    select
        user_agent,
        {{ journeys.device_class('user_agent') }} as device_class,
        {{ journeys.is_bot_user_agent('user_agent') }} as is_bot_user_agent
    from ({{ journeys.staged_column_values('user_agent', from_cte=stored_rows) }}) as distinct_agents
    where user_agent is not null
),

page_urls as (
    select
        page_url,
        {{ journeys.url_path('page_url') }} as page_path,
        {{ journeys.select_list(url_campaign_parsed) }}
    from ({{ journeys.staged_column_values('page_url', from_cte=stored_rows) }}) as distinct_page_urls
    where page_url is not null
),

referrer_hosts as (
    select
        referrer_url,
        {{ journeys.url_host('referrer_url') }} as referrer_host
    from ({{ journeys.staged_column_values('referrer_url', from_cte=stored_rows) }}) as distinct_referrer_urls
    where referrer_url is not null
),

{# the event ids that more than one of these rows carries: only their rows need the sort that orders an event id's
   deliveries (a few percent of the rows); the others are each their event id's only delivery #}
repeated_event_ids as (
    select event_id
    from ({{ journeys.staged_column_values('event_id', distinct=false, from_cte=stored_rows) }}) as event_ids
    where event_id is not null
    group by event_id
    having count(*) > 1
),

joined as {{ streamed }} (
    select
        unioned.event_id,
        unioned.source,
        unioned.source_table,
        unioned.event_at,
        unioned.loaded_at,
        unioned.device_id,
        unioned.user_id,
        unioned.tracker_session_id,
        {%- if has_web_page_context %}
        coalesce(snowplow_contexts.page_view_id, unioned.tracker_page_view_id) as tracker_page_view_id,
        {%- else %}
        unioned.tracker_page_view_id,
        {%- endif %}
        unioned.event_type,
        unioned.event_name,
        unioned.event_category,
        unioned.event_action,
        {%- if has_segment %}
        coalesce(track_properties.event_property, unioned.event_property) as event_property,
        {%- else %}
        unioned.event_property,
        {%- endif %}
        unioned.page_url,
        page_urls.page_path,
        unioned.page_title,
        unioned.referrer_url,
        referrer_hosts.referrer_host,
        {{ journeys.campaign_columns_from('unioned.', url_campaign_read) }},
        user_agents.device_class,
        unioned.country,
        {%- if has_segment %}
        coalesce(track_properties.revenue, unioned.revenue) as revenue,
        {%- else %}
        unioned.revenue,
        {%- endif %}
        unioned.scroll_depth_percent,
        unioned.has_event_at,
        unioned.user_agent,
        unioned.collector_at,
        unioned.is_spider_by_context_column,
        coalesce(user_agents.is_bot_user_agent, false) as is_bot_user_agent,
        {%- if has_spider_context %}
        coalesce(unioned.is_spider_by_context_column or snowplow_contexts.is_spider_or_robot, false) as is_spider
        {%- else %}
        coalesce(unioned.is_spider_by_context_column, false) as is_spider
        {%- endif %},
        (unioned.event_id is null or repeated_event_ids.event_id is not null) as is_repeated_event_id
    from unioned
    left join user_agents
        on unioned.user_agent = user_agents.user_agent
    left join page_urls
        on unioned.page_url = page_urls.page_url
    left join referrer_hosts
        on unioned.referrer_url = referrer_hosts.referrer_url
    left join repeated_event_ids
        on unioned.event_id = repeated_event_ids.event_id
    {%- if has_segment %}
    left join track_properties
        on
            unioned.source_table = 'tracks'
            and unioned.event_id = track_properties.event_id
    {%- endif %}
    {%- if has_spider_context or has_web_page_context %}
    left join snowplow_contexts
        on
            unioned.event_id = snowplow_contexts.event_id
            and unioned.collector_at = snowplow_contexts.collector_at
    {%- endif %}
),

{# the checks, in the check_order of seed quarantine_reasons #}
checked as (
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
        {# the raw row's table, event id, times and payload: with the copy number, the raw row's key #}
        {{ journeys.row_fingerprint([
            'source_table', 'event_id', 'loaded_at', 'event_at', 'device_id', 'user_id', 'event_name', 'page_url',
            'page_title', 'referrer_url', 'utm_source', 'utm_medium', 'utm_campaign', 'revenue',
        ]) }} as row_fingerprint
    from joined
),

{# One sort per event id, by delivery: the first loaded (rows without a load time last), then the earliest event
   time, then the lowest fingerprint, so the same rows give the same choice everywhere. The first of them that
   passes every check stays in the stream; the later ones that pass are duplicates. Rows tied on the order are
   copies of one delivery: their copy number keeps raw_row_id unique. Only the rows of repeated event ids (and rows
   without one) are sorted; a lone delivery is its event id's first and only copy. Both branches read `checked`:
   in a full build on DuckDB the CTEs above are not materialized (streamed_cte), so the lone rows stream from the
   raw tables to the table and the repeated ones' branch reads the staging views again, rather than every
   screened row being stored first (at 100M events that store spilled 50 GB to disk). #}
ranked as (
    select
        *,
        case when invalid_reason is null then 1 else 0 end as valid_deliveries_so_far,
        1 as copy_number
    from checked
    where not is_repeated_event_id
    union all
    select
        *,
        sum(case when invalid_reason is null then 1 else 0 end) over (
            partition by event_id order by {{ delivery_order }} {{ frame }}
        ) as valid_deliveries_so_far,
        row_number() over (partition by event_id order by {{ delivery_order }} {{ frame }})
        - rank() over (partition by event_id order by {{ delivery_order }} {{ frame }}) + 1 as copy_number
    from checked
    where is_repeated_event_id
),

{% if is_incremental() %}
{# the event ids of this run's rows already in the stream from rows it does not re-screen: loaded earlier, so
   those came first #}
earlier_deliveries as (
    select distinct previous.event_id
    from {{ this }} as previous
    where
        previous.quarantine_reason is null
        and not {{ journeys.rows_to_rescreen('previous.loaded_at') }}
        and previous.event_id in (select unioned.event_id from unioned)
),
{% endif %}

final as (
    select
        {#- rows with one fingerprint are tied on the delivery order, so copies: their copy numbers tell them apart #}
        case
            when ranked.copy_number = 1 then ranked.row_fingerprint
            else {{ dbt.concat([
                "ranked.row_fingerprint", "'-'", "cast(ranked.copy_number as " ~ dbt.type_string() ~ ")",
            ]) }}
        end as raw_row_id,
        {{ journeys.select_list(journeys.canonical_event_columns(), prefix='ranked.') }},
        ranked.row_fingerprint,
        coalesce(
            ranked.invalid_reason,
            {%- if is_incremental() %}
            case
                when ranked.valid_deliveries_so_far > 1 or earlier_deliveries.event_id is not null
                    then 'duplicate_event_id'
            end
            {%- else %}
            case when ranked.valid_deliveries_so_far > 1 then 'duplicate_event_id' end
            {%- endif %}
        ) as quarantine_reason,
        {{ journeys.load_day('ranked.loaded_at') }} as loaded_on
    from ranked
    {% if is_incremental() -%}
    left join earlier_deliveries
        on ranked.event_id = earlier_deliveries.event_id
    {%- endif %}
)

select * from final
