{#- Per experiment and variant, the signup journeys of the exposed persons (fct_experiment_exposures without those
    seen in several variants; fct_signup_journeys): how many had not signed up when first exposed, how many of
    those signed up at or after the exposure (any time after), the visit-to-registration rate (the second over the
    first), and for those signups the average and median sessions before signup and the median days from first
    visit to signup. -#}

with units as (
    select
        experiment_id,
        variant,
        person_id,
        first_exposed_at
    from {{ ref('fct_experiment_exposures') }}
    where not is_multiple_variants
),

journeys as (
    select
        person_id,
        is_signed_up,
        signed_up_at,
        sessions_before_signup,
        days_to_signup
    from {{ ref('fct_signup_journeys') }}
),

unit_journeys as (
    select
        units.experiment_id,
        units.variant,
        units.person_id,
        coalesce(journeys.is_signed_up and journeys.signed_up_at < units.first_exposed_at, false)
            as was_signed_up_at_exposure,
        coalesce(journeys.is_signed_up and journeys.signed_up_at >= units.first_exposed_at, false)
            as signed_up_after_exposure,
        journeys.sessions_before_signup,
        journeys.days_to_signup
    from units
    left join journeys
        on units.person_id = journeys.person_id
),

variant_journeys as (
    select
        experiment_id,
        variant,
        count(*) as exposed_persons,
        sum(case when was_signed_up_at_exposure then 0 else 1 end) as exposed_before_signup,
        sum(case when signed_up_after_exposure then 1 else 0 end) as signed_up_after_exposure,
        avg(case when signed_up_after_exposure then cast(sessions_before_signup as {{ dbt.type_float() }}) end)
            as avg_sessions_before_signup,
        {{ journeys.median('case when signed_up_after_exposure then sessions_before_signup end') }}
            as median_sessions_before_signup,
        {{ journeys.median('case when signed_up_after_exposure then days_to_signup end') }}
            as median_days_to_signup
    from unit_journeys
    group by experiment_id, variant
),

final as (
    select
        experiment_id || '|' || variant as experiment_variant_id,
        experiment_id,
        variant,
        exposed_persons,
        cast(exposed_before_signup as {{ dbt.type_bigint() }}) as exposed_before_signup,
        cast(signed_up_after_exposure as {{ dbt.type_bigint() }}) as signed_up_after_exposure,
        cast(signed_up_after_exposure as {{ dbt.type_float() }})
        / nullif(exposed_before_signup, 0) as visit_to_registration_rate,
        avg_sessions_before_signup,
        cast(median_sessions_before_signup as {{ dbt.type_float() }}) as median_sessions_before_signup,
        cast(median_days_to_signup as {{ dbt.type_float() }}) as median_days_to_signup
    from variant_journeys
)

select * from final
