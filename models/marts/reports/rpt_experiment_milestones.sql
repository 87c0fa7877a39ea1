{#- Per experiment, variant and milestone (seed milestone_definitions): the exposed persons (fct_experiment_exposures
    without those seen in several variants), how many first reached the milestone at or after their first
    exposure (any time after, not only in the analysis window), their share, and the median days from the
    exposure and from signup to the milestone. Milestones reached before the exposure do not count. -#}

with units as (
    select
        experiment_id,
        variant,
        person_id,
        first_exposed_at
    from {{ ref('fct_experiment_exposures') }}
    where not is_multiple_variants
),

variant_units as (
    select
        experiment_id,
        variant,
        count(*) as exposed_persons
    from units
    group by experiment_id, variant
),

milestone_names as (
    select milestone_name
    from {{ ref('milestone_definitions') }}
),

milestones as (
    select
        person_id,
        milestone_name,
        reached_at,
        seconds_since_signup
    from {{ ref('fct_milestones') }}
),

reached as (
    select
        units.experiment_id,
        units.variant,
        milestones.milestone_name,
        {{ journeys.seconds_between('units.first_exposed_at', 'milestones.reached_at') }} / 86400
            as days_since_exposure,
        cast(milestones.seconds_since_signup as {{ dbt.type_float() }}) / 86400 as days_since_signup
    from units
    inner join milestones
        on units.person_id = milestones.person_id
    where milestones.reached_at >= units.first_exposed_at
),

reached_by_variant as (
    select
        experiment_id,
        variant,
        milestone_name,
        count(*) as persons_reached,
        {{ journeys.median('days_since_exposure') }} as median_days_since_exposure,
        {{ journeys.median('days_since_signup') }} as median_days_since_signup
    from reached
    group by experiment_id, variant, milestone_name
),

final as (
    select
        variant_units.experiment_id
        || '|' || variant_units.variant
        || '|' || milestone_names.milestone_name as experiment_milestone_id,
        variant_units.experiment_id,
        variant_units.variant,
        milestone_names.milestone_name,
        variant_units.exposed_persons,
        coalesce(reached_by_variant.persons_reached, 0) as persons_reached,
        cast(coalesce(reached_by_variant.persons_reached, 0) as {{ dbt.type_float() }})
        / variant_units.exposed_persons as reached_share,
        cast(reached_by_variant.median_days_since_exposure as {{ dbt.type_float() }}) as median_days_since_exposure,
        cast(reached_by_variant.median_days_since_signup as {{ dbt.type_float() }}) as median_days_since_signup
    from variant_units
    cross join milestone_names
    left join reached_by_variant
        on
            variant_units.experiment_id = reached_by_variant.experiment_id
            and variant_units.variant = reached_by_variant.variant
            and milestone_names.milestone_name = reached_by_variant.milestone_name
)

select * from final
