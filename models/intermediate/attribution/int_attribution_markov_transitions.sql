{#- The absorbing Markov chain of the attribution paths of each conversion name, once whole and once with each of
    its channels removed (see the attribution docs): one row per conversion name, removed channel (`(none)` for the
    whole chain), state and next state, with the probability of that transition in the whole chain. A state is the
    last journeys__attribution_markov_order channels of a path; `(start)` begins every path, `(conversion)` and
    `(null)` end it. Removing a channel sends every transition into a state that holds it to `(null)` (and drops
    the transitions out of such states, which no walk reaches). One window pass over the path steps; the rest is
    over the transitions, which are few. -#}

{%- set order = journeys.attribution_settings().markov_order %}

with steps as (
    select
        conversion_name,
        path_id,
        is_conversion,
        path_step,
        path_length,
        {%- for lag in range(1, order) %}
        lag(channel, {{ lag }}) over (partition by path_id order by path_step) as channel_lag_{{ lag }},
        {%- endfor %}
        channel
    from {{ ref('int_attribution_path_steps') }}
),

step_states as (
    select
        *,
        {%- set parts = [] %}
        {%- for lag in range(order - 1, 0, -1) %}
        {%- do parts.append("case when channel_lag_" ~ lag ~ " is not null then " ~ dbt.concat(['channel_lag_' ~ lag, "' > '"]) ~ " else '' end") %}
        {%- endfor %}
        {%- do parts.append('channel') %}
        {{ dbt.concat(parts) if parts | length > 1 else 'channel' }} as state
    from steps
),

state_walks as (
    select
        conversion_name,
        path_id,
        path_step,
        coalesce(lag(state) over (partition by path_id order by path_step), '(start)') as from_state,
        state as to_state
    from step_states
    union all
    select
        conversion_name,
        path_id,
        path_step + 1 as path_step,
        state as from_state,
        case when is_conversion then '(conversion)' else '(null)' end as to_state
    from step_states
    where path_step = path_length
),

transition_counts as (
    select
        conversion_name,
        from_state,
        to_state,
        count(*) as transitions
    from state_walks
    group by conversion_name, from_state, to_state
),

transitions as (
    select
        conversion_name,
        from_state,
        to_state,
        cast(transitions as {{ dbt.type_float() }})
        / sum(transitions) over (partition by conversion_name, from_state) as transition_probability
    from transition_counts
),

state_channels as (
    {%- for lag in range(order) %}
    select distinct
        conversion_name,
        state,
        {{ 'channel' if lag == 0 else 'channel_lag_' ~ lag }} as channel
    from step_states
    {%- if lag > 0 %}
    where channel_lag_{{ lag }} is not null
    {%- endif %}
    {%- if not loop.last %}
    union
    {%- endif %}
    {%- endfor %}
),

removals as (
    select distinct
        conversion_name,
        channel as removed_channel
    from state_channels
    union all
    select distinct
        conversion_name,
        '(none)' as removed_channel
    from transitions
),

removed_states as (
    select
        removals.conversion_name,
        removals.removed_channel,
        state_channels.state
    from removals
    inner join state_channels
        on
            removals.conversion_name = state_channels.conversion_name
            and removals.removed_channel = state_channels.channel
),

final as (
    select
        {{ dbt.concat([
            'removals.conversion_name', "'|'", 'removals.removed_channel', "'|'", 'transitions.from_state', "'|'",
            "case when removed_to.state is null then transitions.to_state else '(null)' end",
        ]) }} as transition_id,
        removals.conversion_name,
        removals.removed_channel,
        transitions.from_state,
        case when removed_to.state is null then transitions.to_state else '(null)' end as to_state,
        sum(transitions.transition_probability) as transition_probability
    from removals
    inner join transitions
        on removals.conversion_name = transitions.conversion_name
    left join removed_states as removed_from
        on
            removals.conversion_name = removed_from.conversion_name
            and removals.removed_channel = removed_from.removed_channel
            and transitions.from_state = removed_from.state
    left join removed_states as removed_to
        on
            removals.conversion_name = removed_to.conversion_name
            and removals.removed_channel = removed_to.removed_channel
            and transitions.to_state = removed_to.state
    where removed_from.state is null
    group by
        removals.conversion_name,
        removals.removed_channel,
        transitions.from_state,
        case when removed_to.state is null then transitions.to_state else '(null)' end
)

select * from final
