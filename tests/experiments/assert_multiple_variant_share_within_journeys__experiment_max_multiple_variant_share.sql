{{ config(severity='warn') }}

{#- Warns (the build goes on) for each experiment in which more than var
    journeys__experiment_max_multiple_variant_share of the exposed persons saw more than one variant: they are left
    out of the results, and many of them point at a broken assignment or at identities stitched across people. -#}
select
    experiment_id,
    count(*) as exposed_persons,
    sum(case when is_multiple_variants then 1 else 0 end) as multiple_variant_persons
from {{ ref('fct_experiment_exposures') }}
group by experiment_id
having
    sum(case when is_multiple_variants then 1 else 0 end)
    > {{ journeys.experiment_settings().max_multiple_variant_share }} * count(*)
