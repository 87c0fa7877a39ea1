{#- Every analysed unit (fct_experiment_exposures without persons seen in several variants) is counted once in its
    variant's `all` row of fct_experiment_results for every metric, and in exactly one value of each breakdown. -#}
with exposed as (
    select
        experiment_id,
        variant,
        count(*) as units
    from {{ ref('fct_experiment_exposures') }}
    where not is_multiple_variants
    group by experiment_id, variant
),

results as (
    select
        experiment_id,
        variant,
        metric,
        dimension,
        sum(units) as units
    from {{ ref('fct_experiment_results') }}
    group by experiment_id, variant, metric, dimension
)

select
    results.experiment_id,
    results.variant,
    results.metric,
    results.dimension,
    results.units,
    exposed.units as exposed_units
from results
left join exposed
    on
        results.experiment_id = exposed.experiment_id
        and results.variant = exposed.variant
where exposed.units is null or results.units <> exposed.units
