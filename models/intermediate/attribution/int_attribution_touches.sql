{#- One row per conversion (fct_conversions) and eligible touch: a session of the same person that started within
    the conversion's lookback before it, up to its time (see the attribution docs), under the touch options of
    the attribution vars. Incremental by person (person_incremental_config): a run re-writes the touches of the
    persons whose sessions changed; each conversion joins only its person's sessions. -#}

{{ config(**journeys.person_incremental_config(
    settings_seeds=['conversion_definitions'],
    settings_vars=[
        'journeys__attribution_lookback_days', 'journeys__attribution_excluded_channels',
        'journeys__attribution_reset_at_previous_conversion', 'journeys__attribution_max_touches',
    ])) }}

{%- set settings = journeys.attribution_settings() %}

with definitions as (
    {{ journeys.attribution_conversion_lookbacks() }}
),

conversions as (
    select
        fct_conversions.conversion_id,
        fct_conversions.conversion_name,
        fct_conversions.person_id,
        fct_conversions.converted_at,
        fct_conversions.value as conversion_value,
        definitions.lookback_days,
        lag(fct_conversions.converted_at) over (
            partition by fct_conversions.person_id, fct_conversions.conversion_name
            order by fct_conversions.converted_at, fct_conversions.conversion_id
        ) as previous_converted_at
    from {{ ref('fct_conversions') }} as fct_conversions
    inner join definitions
        on fct_conversions.conversion_name = definitions.conversion_name
    where {{ journeys.persons_to_recompute('fct_conversions.person_id') }}
),

sessions as (
    select
        session_id,
        person_id,
        started_at,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer_host
    from {{ ref('fct_sessions') }}
    where {{ journeys.attribution_channel_is_kept('channel') }} and {{ journeys.persons_to_recompute() }}
),

eligible_sessions as (
    select
        conversions.conversion_id,
        conversions.conversion_name,
        conversions.person_id,
        conversions.converted_at,
        conversions.conversion_value,
        sessions.session_id,
        sessions.started_at,
        sessions.channel,
        sessions.utm_source,
        sessions.utm_medium,
        sessions.utm_campaign,
        sessions.referrer_host,
        {{ journeys.seconds_between('sessions.started_at', 'conversions.converted_at') }} / 86400 as days_before
    from conversions
    inner join sessions
        on
            conversions.person_id = sessions.person_id
            and conversions.converted_at >= sessions.started_at
    where
        {{ journeys.seconds_between('sessions.started_at', 'conversions.converted_at') }}
        <= conversions.lookback_days * 86400
        and (
            not {{ 'true' if settings.reset_at_previous_conversion else 'false' }}
            or conversions.previous_converted_at is null
            or conversions.previous_converted_at < sessions.started_at
        )
),

final as (
    select
        {{ dbt.concat(['conversion_id', "'|'", 'session_id']) }} as touch_id,
        conversion_id,
        conversion_name,
        person_id,
        converted_at,
        conversion_value,
        session_id,
        touch_index,
        touch_count,
        started_at,
        days_before,
        channel,
        utm_source,
        utm_medium,
        utm_campaign,
        referrer_host
    from ({{ journeys.attribution_touch_numbers('eligible_sessions', 'conversion_id') }}) as touches
)

select * from final
