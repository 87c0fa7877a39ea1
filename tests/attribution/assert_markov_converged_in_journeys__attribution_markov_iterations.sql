{#- The iterations of the Markov chain's linear system converged: a row here is a conversion name and channel
    whose conversion probabilities still moved by more than var journeys__attribution_markov_tolerance in the last
    of journeys__attribution_markov_iterations iterations: raise the iterations. -#}

{%- set settings = journeys.attribution_settings() %}

with final as (
    select
        conversion_name,
        channel,
        last_change,
        'raise var journeys__attribution_markov_iterations' as remedy
    from {{ ref('int_attribution_markov_removal_effects') }}
    where last_change > {{ settings.markov_tolerance }}
)

select * from final
