{#- The removal effect of each channel of the attribution paths of each conversion name (see the attribution docs):
    1 - P(conversion without the channel) / P(conversion), where P(conversion) is the probability that a walk of
    the chain of int_attribution_markov_transitions from `(start)` ends in `(conversion)`. Macro
    markov_absorption_probabilities solves every removal's chain at once by iterating its linear system
    journeys__attribution_markov_iterations times, and keeps the largest change of the last iteration (a data test
    holds it under journeys__attribution_markov_tolerance). Over the transitions, never over the events. -#}

{%- set settings = journeys.attribution_settings() %}

with transitions as (
    select
        conversion_name,
        removed_channel,
        from_state,
        to_state,
        transition_probability
    from {{ ref('int_attribution_markov_transitions') }}
),

probabilities as (
    {{ journeys.markov_absorption_probabilities(
        'transitions', ['conversion_name', 'removed_channel'], settings.markov_iterations
    ) }}
),

start_probabilities as (
    select
        conversion_name,
        removed_channel,
        conversion_probability,
        last_change
    from probabilities
    where state = '(start)'
),

final as (
    select
        {{ dbt.concat(['removed.conversion_name', "'|'", 'removed.removed_channel']) }} as removal_effect_id,
        removed.conversion_name,
        removed.removed_channel as channel,
        whole.conversion_probability,
        removed.conversion_probability as conversion_probability_without,
        case
            when whole.conversion_probability > 0
                then greatest(1 - removed.conversion_probability / whole.conversion_probability, 0)
        end as removal_effect,
        greatest(whole.last_change, removed.last_change) as last_change
    from start_probabilities as removed
    inner join start_probabilities as whole
        on
            removed.conversion_name = whole.conversion_name
            and whole.removed_channel = '(none)'
    where removed.removed_channel != '(none)'
)

select * from final
