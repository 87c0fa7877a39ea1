{#- The probability that a walk of an absorbing Markov chain reaches `(conversion)` from each of its states, for
    many chains at once: see _attribution__macros.yml. Returns a select of chain key, `state`,
    `conversion_probability` and `last_change` (the largest change in the chain's last iteration). The values solve
    v(s) = P(s -> conversion) + sum over states t of P(s -> t) v(t), iterated `iterations` times from 0. -#}
{% macro markov_absorption_probabilities(relation, chain_key, iterations) -%}
    {{ return(adapter.dispatch('markov_absorption_probabilities', 'journeys')(relation, chain_key, iterations)) }}
{%- endmacro %}

{#- PostgreSQL and DuckDB: one CTE per iteration, each reading the one before once, over the transitions; each
    stored on PostgreSQL (stored_cte), which would otherwise plan the whole chain as one query. -#}
{% macro default__markov_absorption_probabilities(relation, chain_key, iterations) -%}
    {%- set key_matches = [] -%}
    {%- for column in chain_key -%}
        {%- do key_matches.append('transitions.' ~ column ~ ' = previous.' ~ column) -%}
    {%- endfor -%}
    with values_1 as (
        select
            {{ chain_key | join(', ') }},
            from_state as state,
            sum(case when to_state = '(conversion)' then transition_probability else 0 end) as conversion_probability
        from {{ relation }}
        group by {{ chain_key | join(', ') }}, from_state
    ),
    {%- for iteration in range(2, iterations + 1) %}

    values_{{ iteration }} as {{ journeys.stored_cte() }} (
        select
            {%- for column in chain_key %}
            transitions.{{ column }},
            {%- endfor %}
            transitions.from_state as state,
            sum(
                transitions.transition_probability
                * case
                    when transitions.to_state = '(conversion)' then 1
                    else coalesce(previous.conversion_probability, 0)
                end
            ) as conversion_probability
        from {{ relation }} as transitions
        left join values_{{ iteration - 1 }} as previous
            on
                {{ key_matches | join(' and ') }}
                and transitions.to_state = previous.state
        group by
            {%- for column in chain_key %}
            transitions.{{ column }},
            {%- endfor %}
            transitions.from_state
    ),
    {%- endfor %}

    final as (
        select
            {%- for column in chain_key %}
            last_values.{{ column }},
            {%- endfor %}
            last_values.state,
            last_values.conversion_probability,
            max(abs(last_values.conversion_probability - before_last.conversion_probability)) over (
                partition by last_values.{{ chain_key | join(', last_values.') }}
            ) as last_change
        from values_{{ iterations }} as last_values
        inner join values_{{ iterations - 1 }} as before_last
            on
                {%- for column in chain_key %}
                last_values.{{ column }} = before_last.{{ column }} and
                {%- endfor %}
                last_values.state = before_last.state
    )

    select * from final
{%- endmacro %}

{#- Spark: its analyzer cannot resolve a plan hundreds of CTEs deep, so each chain is folded into one row (its
    states numbered, each with its probability of converting next and its array of (next state, probability)) and
    iterated by aggregate() over sequence(1, iterations), a higher-order function. -#}
{% macro spark__markov_absorption_probabilities(relation, chain_key, iterations) -%}
    {%- set key = chain_key | join(', ') -%}
    {%- set key_matches = [] -%}
    {%- for column in chain_key -%}
        {%- do key_matches.append('transitions.' ~ column ~ ' = next_states.' ~ column) -%}
    {%- endfor -%}
    with state_numbers as (
        select
            {{ key }},
            state,
            dense_rank() over (partition by {{ key }} order by state) as state_number
        from (select distinct {{ key }}, from_state as state from {{ relation }}) as states
    ),

    state_rows as (
        select
            {%- for column in chain_key %}
            transitions.{{ column }},
            {%- endfor %}
            from_states.state_number,
            sum(case when transitions.to_state = '(conversion)' then transitions.transition_probability else 0 end)
                as to_conversion,
            collect_list(
                case
                    when next_states.state_number is not null
                        then named_struct(
                            'state_number', next_states.state_number,
                            'probability', transitions.transition_probability
                        )
                end
            ) as next_states
        from {{ relation }} as transitions
        inner join state_numbers as from_states
            on
                {{ key_matches | join(' and ') | replace('next_states.', 'from_states.') }}
                and transitions.from_state = from_states.state
        left join state_numbers as next_states
            on
                {{ key_matches | join(' and ') }}
                and transitions.to_state = next_states.state
        group by
            {%- for column in chain_key %}
            transitions.{{ column }},
            {%- endfor %}
            from_states.state_number
    ),

    chains as (
        select
            {{ key }},
            array_sort(collect_list(named_struct(
                'state_number', state_number, 'to_conversion', to_conversion, 'next_states', next_states
            ))) as chain_states
        from state_rows
        group by {{ key }}
    ),

    iterated as (
        select
            {{ key }},
            aggregate(
                sequence(1, {{ iterations }}),
                named_struct(
                    'current', transform(chain_states, chain_state -> cast(0 as double)),
                    'previous', transform(chain_states, chain_state -> cast(0 as double))
                ),
                (values_so_far, iteration) -> named_struct(
                    'current', transform(
                        chain_states,
                        chain_state -> chain_state.to_conversion + aggregate(
                            chain_state.next_states,
                            cast(0 as double),
                            (total, next_state) -> total
                            + next_state.probability * element_at(values_so_far.current, next_state.state_number)
                        )
                    ),
                    'previous', values_so_far.current
                )
            ) as chain_values
        from chains
    ),

    final as (
        select
            {%- for column in chain_key %}
            iterated.{{ column }},
            {%- endfor %}
            state_numbers.state,
            element_at(iterated.chain_values.current, state_numbers.state_number) as conversion_probability,
            array_max(zip_with(
                iterated.chain_values.current, iterated.chain_values.previous, (now, before) -> abs(now - before)
            )) as last_change
        from iterated
        inner join state_numbers
            on
                {{ key_matches | join(' and ') | replace('transitions.', 'iterated.') | replace('next_states.', 'state_numbers.') }}
    )

    select * from final
{%- endmacro %}
