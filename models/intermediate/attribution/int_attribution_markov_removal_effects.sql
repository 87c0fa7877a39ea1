{#- The removal effect of each channel of the attribution paths of each conversion name (see the attribution docs):
    1 - P(conversion without the channel) / P(conversion), where P(conversion) is the probability that a walk of
    the chain of int_attribution_markov_transitions from `(start)` ends in `(conversion)`. The probabilities solve
    v(s) = P(s -> conversion) + sum over states t of P(s -> t) v(t); the model iterates that system
    journeys__attribution_markov_iterations times (v starts at 0 and rises to the solution) for every removal at
    once, and keeps the largest change of the last iteration (a data test holds it under
    journeys__attribution_markov_tolerance). The iterations run over the transitions, never over the events. -#}

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

values_1 as (
    select
        conversion_name,
        removed_channel,
        from_state as state,
        sum(case when to_state = '(conversion)' then transition_probability else 0 end) as conversion_probability
    from transitions
    group by conversion_name, removed_channel, from_state
),
{%- for iteration in range(2, settings.markov_iterations + 1) %}

values_{{ iteration }} as (
    select
        transitions.conversion_name,
        transitions.removed_channel,
        transitions.from_state as state,
        sum(
            transitions.transition_probability
            * case
                when transitions.to_state = '(conversion)' then 1
                else coalesce(previous.conversion_probability, 0)
            end
        ) as conversion_probability
    from transitions
    left join values_{{ iteration - 1 }} as previous
        on
            transitions.conversion_name = previous.conversion_name
            and transitions.removed_channel = previous.removed_channel
            and transitions.to_state = previous.state
    group by transitions.conversion_name, transitions.removed_channel, transitions.from_state
),
{%- endfor %}

{#- the last values beside the ones before (the iterations are read once each, so engines that inline a CTE at
    every reference never copy the chain more than twice) -#}
last_two as (
    select
        last_values.conversion_name,
        last_values.removed_channel,
        last_values.state,
        last_values.conversion_probability,
        max(abs(last_values.conversion_probability - before_last.conversion_probability)) over (
            partition by last_values.conversion_name, last_values.removed_channel
        ) as last_change
    from values_{{ settings.markov_iterations }} as last_values
    inner join values_{{ settings.markov_iterations - 1 }} as before_last
        on
            last_values.conversion_name = before_last.conversion_name
            and last_values.removed_channel = before_last.removed_channel
            and last_values.state = before_last.state
),

start_probabilities as (
    select
        conversion_name,
        removed_channel,
        conversion_probability,
        last_change
    from last_two
    where state = '(start)'
),

final as (
    select
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
