{#- One row per person and experiment the person was exposed to (int_experiment_exposure_events within the
    experiment's dates): the first exposure sets the variant, the start and the exposure's session; the dimensions
    are those at that exposure (its event's device class and country) and the person's first-touch channel (their
    first session's, which starts at or before the exposure). A person seen in more than one variant is flagged
    (is_multiple_variants) and left out of the unit metrics, the results and the SRM check. -#}

with experiment_dates as (
    select distinct
        experiment_id,
        start_date,
        end_date
    from {{ ref('int_experiment_variants') }}
),

exposure_events as (
    select
        exposure_events.event_id,
        exposure_events.experiment_id,
        exposure_events.experiment_name,
        exposure_events.variant,
        exposure_events.source_system,
        exposure_events.exposed_at,
        exposure_events.session_id,
        exposure_events.person_id,
        exposure_events.device_class,
        exposure_events.country
    from {{ ref('int_experiment_exposure_events') }} as exposure_events
    inner join experiment_dates
        on exposure_events.experiment_id = experiment_dates.experiment_id
    where
        (experiment_dates.start_date is null or cast(exposure_events.exposed_at as date) >= experiment_dates.start_date)
        and (experiment_dates.end_date is null or cast(exposure_events.exposed_at as date) <= experiment_dates.end_date)
),

ranked_exposures as (
    select
        *,
        row_number() over (
            partition by person_id, experiment_id
            order by exposed_at, event_id
        ) as exposure_rank
    from exposure_events
),

person_experiments as (
    select
        person_id,
        experiment_id,
        count(*) as exposure_count,
        count(distinct variant) as variant_count
    from exposure_events
    group by person_id, experiment_id
),

experiment_names as (
    select
        experiment_id,
        max(experiment_name) as experiment_name
    from exposure_events
    group by experiment_id
),

first_touches as (
    select
        person_id,
        first_touch_channel
    from {{ ref('fct_signup_journeys') }}
),

final as (
    select
        first_exposures.experiment_id || '|' || first_exposures.person_id as experiment_exposure_id,
        first_exposures.experiment_id,
        coalesce(experiment_names.experiment_name, first_exposures.experiment_id) as experiment_name,
        first_exposures.person_id,
        first_exposures.variant,
        first_exposures.source_system,
        first_exposures.exposed_at as first_exposed_at,
        first_exposures.session_id as exposure_session_id,
        first_exposures.event_id as exposure_event_id,
        person_experiments.exposure_count,
        person_experiments.variant_count,
        person_experiments.variant_count > 1 as is_multiple_variants,
        first_exposures.device_class,
        first_exposures.country,
        first_touches.first_touch_channel as channel
    from ranked_exposures as first_exposures
    inner join person_experiments
        on
            first_exposures.person_id = person_experiments.person_id
            and first_exposures.experiment_id = person_experiments.experiment_id
    inner join experiment_names
        on first_exposures.experiment_id = experiment_names.experiment_id
    left join first_touches
        on first_exposures.person_id = first_touches.person_id
    where first_exposures.exposure_rank = 1
)

select * from final
