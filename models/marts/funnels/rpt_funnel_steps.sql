{#- One row per funnel and step of seed funnel_definitions: the persons whose best attempt (fct_funnel_progress)
    reached the step, their share of the previous step's and of the first step's persons, and the median time
    from the previous step among them. Every step has a row, reached by anyone or not. -#}

{#- as fct_funnel_progress: its step_<n>_at columns -#}
{%- set max_steps = 8 -%}

with funnel_steps as (
    select
        funnel_name,
        step_number,
        step_name
    from {{ ref('funnel_definitions') }}
    where step_number is not null
),

progress as (
    select
        funnel_name,
        person_id,
        {%- for step in range(1, max_steps + 1) %}
        step_{{ step }}_at,
        {%- endfor %}
        furthest_step_number
    from {{ ref('fct_funnel_progress') }}
),

person_steps as (
    select
        funnel_steps.funnel_name,
        funnel_steps.step_number,
        case funnel_steps.step_number
            {%- for step in range(1, max_steps + 1) %}
            when {{ step }} then progress.step_{{ step }}_at
            {%- endfor %}
        end as reached_at,
        case funnel_steps.step_number
            {%- for step in range(2, max_steps + 1) %}
            when {{ step }} then progress.step_{{ step - 1 }}_at
            {%- endfor %}
        end as previous_step_at
    from funnel_steps
    inner join progress
        on
            funnel_steps.funnel_name = progress.funnel_name
            and funnel_steps.step_number <= progress.furthest_step_number
),

step_totals as (
    select
        funnel_name,
        step_number,
        count(*) as persons,
        {{ journeys.median(journeys.seconds_between('previous_step_at', 'reached_at')) }}
            as median_seconds_from_previous_step
    from person_steps
    group by funnel_name, step_number
),

step_persons as (
    select
        funnel_steps.funnel_name,
        funnel_steps.step_number,
        funnel_steps.step_name,
        coalesce(step_totals.persons, 0) as persons,
        step_totals.median_seconds_from_previous_step
    from funnel_steps
    left join step_totals
        on
            funnel_steps.funnel_name = step_totals.funnel_name
            and funnel_steps.step_number = step_totals.step_number
),

step_conversions as (
    select
        funnel_name,
        step_number,
        step_name,
        persons,
        median_seconds_from_previous_step,
        coalesce(
            lag(persons) over (partition by funnel_name order by step_number),
            persons
        ) as previous_step_persons,
        min(case when step_number = 1 then persons end) over (partition by funnel_name) as first_step_persons
    from step_persons
),

final as (
    select
        {{ dbt.hash(dbt.concat(["funnel_name", "'|'", "cast(step_number as " ~ dbt.type_string() ~ ")"])) }}
            as funnel_step_id,
        funnel_name,
        cast(step_number as {{ dbt.type_bigint() }}) as step_number,
        step_name,
        cast(persons as {{ dbt.type_bigint() }}) as persons,
        cast(persons as {{ dbt.type_float() }}) / nullif(previous_step_persons, 0) as conversion_from_previous_step,
        cast(persons as {{ dbt.type_float() }}) / nullif(first_step_persons, 0) as conversion_from_first_step,
        cast(median_seconds_from_previous_step as {{ dbt.type_float() }}) as median_seconds_from_previous_step
    from step_conversions
)

select * from final
