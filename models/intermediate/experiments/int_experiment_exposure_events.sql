{#- One row per valid event (of fct_events) and experiment it exposed: Segment's Experiment Viewed tracks, and the
    Snowplow events that carry an Optimizely X summary context or a feature flag context (from the context tables
    named by vars, else the events table's JSON columns; where both hold an event's experiment, the table's row
    wins). Quarantined and bot events expose nothing; a redelivered event is one exposure. `variant` is the
    variation's name as sent, its id where no name is sent. Rebuilt each run (exposures are few). -#}

{%- set has_segment = journeys.source_table_enabled('segment', 'experiment_viewed') -%}
{%- set has_snowplow = journeys.source_table_enabled('snowplow', 'events') -%}
{%- set has_optimizely_table = journeys.source_table_enabled('snowplow', 'optimizely_summary_context') -%}
{%- set has_feature_flag_table = journeys.source_table_enabled('snowplow', 'feature_flag_context') -%}
{%- set selects = [] -%}

with

{%- if has_segment %}

segment_exposures as (
    select
        event_id,
        experiment_id,
        experiment_name,
        coalesce(variant_name, variant_id) as variant,
        'segment' as source_system,
        1 as source_priority
    from {{ ref('stg_segment__experiment_viewed') }}
),
{%- do selects.append('segment_exposures') -%}
{%- endif %}

{%- if has_snowplow %}

snowplow_context_columns as (
    select
        event_id,
        optimizely_experiment_id,
        optimizely_variant_name,
        optimizely_variant_id,
        feature_flag_key,
        feature_flag_variant_name,
        feature_flag_variant_id
    from {{ ref('stg_snowplow__events') }}
    where optimizely_experiment_id is not null or feature_flag_key is not null
),

optimizely_column_exposures as (
    select
        event_id,
        optimizely_experiment_id as experiment_id,
        cast(null as {{ dbt.type_string() }}) as experiment_name,
        coalesce(optimizely_variant_name, optimizely_variant_id) as variant,
        'snowplow_optimizely' as source_system,
        2 as source_priority
    from snowplow_context_columns
    where optimizely_experiment_id is not null
),

feature_flag_column_exposures as (
    select
        event_id,
        feature_flag_key as experiment_id,
        cast(null as {{ dbt.type_string() }}) as experiment_name,
        coalesce(feature_flag_variant_name, feature_flag_variant_id) as variant,
        'snowplow_feature_flag' as source_system,
        2 as source_priority
    from snowplow_context_columns
    where feature_flag_key is not null
),
{%- do selects.extend(['optimizely_column_exposures', 'feature_flag_column_exposures']) -%}
{%- endif %}

{%- if has_optimizely_table %}

optimizely_table_exposures as (
    select
        event_id,
        experiment_id,
        cast(null as {{ dbt.type_string() }}) as experiment_name,
        coalesce(variant_name, variant_id) as variant,
        'snowplow_optimizely' as source_system,
        1 as source_priority
    from {{ ref('stg_snowplow__optimizely_summary_context') }}
),
{%- do selects.append('optimizely_table_exposures') -%}
{%- endif %}

{%- if has_feature_flag_table %}

feature_flag_table_exposures as (
    select
        event_id,
        flag_key as experiment_id,
        cast(null as {{ dbt.type_string() }}) as experiment_name,
        coalesce(variant_name, variant_id) as variant,
        'snowplow_feature_flag' as source_system,
        1 as source_priority
    from {{ ref('stg_snowplow__feature_flag_context') }}
),
{%- do selects.append('feature_flag_table_exposures') -%}
{%- endif %}

raw_exposures as (
    {%- for name in selects %}
    select * from {{ name }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- else %}
    select
        cast(null as {{ dbt.type_string() }}) as event_id,
        cast(null as {{ dbt.type_string() }}) as experiment_id,
        cast(null as {{ dbt.type_string() }}) as experiment_name,
        cast(null as {{ dbt.type_string() }}) as variant,
        cast(null as {{ dbt.type_string() }}) as source_system,
        1 as source_priority
    where 1 = 0
    {%- endfor %}
),

ranked_exposures as (
    select
        event_id,
        experiment_id,
        experiment_name,
        variant,
        source_system,
        row_number() over (
            partition by event_id, experiment_id
            order by source_priority, variant, source_system
        ) as delivery_rank
    from raw_exposures
    where experiment_id is not null and variant is not null
),

{# the exposing events with their session's person, as fct_events gives them, but only the exposing ones are
   joined to their sessions (a semi-join on the stored events first: the exposures are a few percent of them) #}
events as (
    select
        exposing_events.event_id,
        exposing_events.event_at,
        exposing_events.session_id,
        sessions.person_id,
        exposing_events.device_id,
        exposing_events.device_class,
        exposing_events.country
    from {{ ref('int_events_sessionized') }} as exposing_events
    inner join {{ ref('int_sessions_identified') }} as sessions
        on exposing_events.session_id = sessions.session_id
    where exposing_events.event_id in (select raw_exposures.event_id from raw_exposures)
),

final as (
    select
        ranked_exposures.event_id || '|' || ranked_exposures.experiment_id as exposure_event_id,
        ranked_exposures.event_id,
        ranked_exposures.experiment_id,
        ranked_exposures.experiment_name,
        ranked_exposures.variant,
        ranked_exposures.source_system,
        events.event_at as exposed_at,
        events.session_id,
        events.person_id,
        events.device_id,
        events.device_class,
        events.country
    from ranked_exposures
    inner join events
        on ranked_exposures.event_id = events.event_id
    where ranked_exposures.delivery_rank = 1
)

select * from final
