{#- Fails with one row per funnel of seed funnel_definitions that is not well formed: its rows disagree on the mode
    or the window, its steps are not numbered 1, 2, ... without gaps or number more than 8 (the step_<n>_at
    columns of fct_funnel_progress), a name repeats, or an exclusion row has no valid step range. -#}

with definitions as (
    select * from {{ ref('funnel_definitions') }}
),

funnels as (
    select
        funnel_name,
        count(distinct funnel_mode) as modes,
        count(distinct window_interval) as window_intervals,
        count(distinct window_unit) as window_units,
        count(step_number) as steps,
        count(distinct step_number) as step_numbers,
        min(step_number) as first_step_number,
        max(step_number) as last_step_number,
        count(*) as definition_rows,
        count(distinct step_name) as step_names
    from definitions
    group by funnel_name
),

bad_exclusions as (
    select
        definitions.funnel_name,
        count(*) as bad_exclusion_rows
    from definitions
    inner join funnels
        on definitions.funnel_name = funnels.funnel_name
    where
        (definitions.step_number is null) <> (definitions.exclude_from_step is not null)
        or (definitions.step_number is null) <> (definitions.exclude_to_step is not null)
        or definitions.exclude_from_step < 1
        or definitions.exclude_to_step <= definitions.exclude_from_step
        or definitions.exclude_to_step > funnels.last_step_number
    group by definitions.funnel_name
),

final as (
    select
        funnels.*,
        coalesce(bad_exclusions.bad_exclusion_rows, 0) as bad_exclusion_rows
    from funnels
    left join bad_exclusions
        on funnels.funnel_name = bad_exclusions.funnel_name
    where
        funnels.modes <> 1
        or funnels.window_intervals <> 1
        or funnels.window_units <> 1
        or coalesce(funnels.first_step_number, 0) <> 1
        or funnels.last_step_number <> funnels.steps
        or funnels.step_numbers <> funnels.steps
        or funnels.last_step_number > 8
        or funnels.step_names <> funnels.definition_rows
        or bad_exclusions.bad_exclusion_rows > 0
)

select * from final
