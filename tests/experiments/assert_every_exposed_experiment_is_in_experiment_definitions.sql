{{ config(severity='warn') }}

{#- Warns (the build goes on) for each experiment seen in exposures that seed experiment_definitions does not list:
    it is analysed with the first variant in sort order as control and an equal split, which may not be how it was
    run. Add its rows to the seed. -#}
select distinct experiment_id
from {{ ref('int_experiment_variants') }}
where not is_configured
