{#- One row per experiment and variant, configured (seed experiment_definitions) or seen in an exposure: the
    control, the expected share of the split (the seed's weights divided by their sum), the analysis window and
    dates. An experiment not in the seed takes the first variant name in sort order as control, an equal split
    over the variants seen and var journeys__experiment_window_days (is_configured false). A variant seen but not
    configured for a configured experiment expects a share of 0. -#}

with definitions as (
    select
        experiment_id,
        variant,
        is_control,
        cast(expected_share as {{ dbt.type_float() }}) as expected_share,
        window_days,
        start_date,
        end_date
    from {{ ref('experiment_definitions') }}
),

seen_variants as (
    select distinct
        experiment_id,
        variant
    from {{ ref('int_experiment_exposure_events') }}
),

experiment_settings as (
    select
        experiment_id,
        max(window_days) as window_days,
        max(start_date) as start_date,
        max(end_date) as end_date,
        sum(expected_share) as share_total
    from definitions
    group by experiment_id
),

configured_variants as (
    select
        definitions.experiment_id,
        definitions.variant,
        definitions.is_control,
        definitions.expected_share / experiment_settings.share_total as expected_share,
        true as is_configured,
        true as is_in_definitions
    from definitions
    inner join experiment_settings
        on definitions.experiment_id = experiment_settings.experiment_id
),

unconfigured_variants as (
    select
        seen_variants.experiment_id,
        seen_variants.variant,
        row_number() over (partition by seen_variants.experiment_id order by seen_variants.variant) = 1
            as is_control,
        cast(1 as {{ dbt.type_float() }})
        / count(*) over (partition by seen_variants.experiment_id) as expected_share,
        false as is_configured,
        false as is_in_definitions
    from seen_variants
    left join experiment_settings
        on seen_variants.experiment_id = experiment_settings.experiment_id
    where experiment_settings.experiment_id is null
),

unlisted_variants as (
    select
        seen_variants.experiment_id,
        seen_variants.variant,
        false as is_control,
        cast(0 as {{ dbt.type_float() }}) as expected_share,
        true as is_configured,
        false as is_in_definitions
    from seen_variants
    inner join experiment_settings
        on seen_variants.experiment_id = experiment_settings.experiment_id
    left join definitions
        on
            seen_variants.experiment_id = definitions.experiment_id
            and seen_variants.variant = definitions.variant
    where definitions.variant is null
),

all_variants as (
    select * from configured_variants
    union all
    select * from unconfigured_variants
    union all
    select * from unlisted_variants
),

final as (
    select
        all_variants.experiment_id || '|' || all_variants.variant as experiment_variant_id,
        all_variants.experiment_id,
        all_variants.variant,
        all_variants.is_control,
        all_variants.expected_share,
        all_variants.is_configured,
        all_variants.is_in_definitions,
        coalesce(experiment_settings.window_days, {{ journeys.experiment_settings().window_days }}) as window_days,
        experiment_settings.start_date,
        experiment_settings.end_date
    from all_variants
    left join experiment_settings
        on all_variants.experiment_id = experiment_settings.experiment_id
)

select * from final
