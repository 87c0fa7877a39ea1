{#- One row per person and funnel of seed funnel_definitions, for every person with an event of the funnel's
    first step: how far the person's best attempt got and when it reached each step. PostHog's ordered funnel:
    every step-1 event starts an attempt, which follows the links of int_funnel_step_links (step k is the first
    step-k event strictly after the attempt's step k - 1, in a strict funnel with nothing between) as long as they
    stay within the window from its step 1, inclusive. An exclusion event after the attempt's step
    `exclude_from_step` and before its step `exclude_to_step` (before the window's end where the attempt did not
    reach that step) removes the attempt. The attempt that got furthest counts, the earliest of those; a person
    whose every attempt was removed has no row. Incremental by person (person_incremental_config), like the
    links. -#}

{{ config(**journeys.person_incremental_config(settings_seeds=['funnel_definitions'])) }}

{#- A funnel has at most this many steps: the step_<n>_at columns of the contract and a seed test agree. -#}
{%- set max_steps = 8 -%}

with funnel_definitions as (
    select
        funnel_name,
        step_number,
        step_name,
        cast(window_interval as {{ dbt.type_bigint() }}) * case window_unit
            when 'second' then 1
            when 'minute' then 60
            when 'hour' then 3600
            when 'day' then 86400
            when 'week' then 604800
        end as window_seconds
    from {{ ref('funnel_definitions') }}
),

links as (
    select
        person_id,
        funnel_name,
        step_number,
        exclude_from_step,
        exclude_to_step,
        event_at,
        event_order_key,
        next_step_order_key
    from {{ ref('int_funnel_step_links') }}
    where {{ journeys.persons_to_recompute() }}
),

funnels as (
    select
        funnel_name,
        max(window_seconds) as window_seconds,
        max(step_number) as step_count
    from funnel_definitions
    group by funnel_name
),

exclusion_events as (
    select * from links
    where step_number is null
),

{# one row per attempt (step-1 event): each next step is the previous step's link, if it is inside the window #}
attempts as (
    select
        step_1.person_id,
        step_1.funnel_name,
        funnels.window_seconds,
        {%- for step in range(1, max_steps + 1) %}
        step_{{ step }}.event_at as step_{{ step }}_at,
        step_{{ step }}.event_order_key as step_{{ step }}_order_key,
        {%- endfor %}
        case
            {%- for step in range(max_steps, 1, -1) %}
            when step_{{ step }}.event_order_key is not null then {{ step }}
            {%- endfor %}
            else 1
        end as furthest_step_number
    from links as step_1
    inner join funnels
        on step_1.funnel_name = funnels.funnel_name
    {%- for step in range(2, max_steps + 1) %}
    left join links as step_{{ step }}
        on
            step_1.person_id = step_{{ step }}.person_id
            and step_1.funnel_name = step_{{ step }}.funnel_name
            and step_{{ step }}.step_number = {{ step }}
            and step_{{ step - 1 }}.next_step_order_key = step_{{ step }}.event_order_key
            and {{ journeys.seconds_between('step_1.event_at', 'step_' ~ step ~ '.event_at') }}
            <= funnels.window_seconds
    {%- endfor %}
    where step_1.step_number = 1
),

excluded_attempts as (
    select distinct
        attempts.person_id,
        attempts.funnel_name,
        attempts.step_1_order_key
    from attempts
    inner join exclusion_events
        on
            attempts.person_id = exclusion_events.person_id
            and attempts.funnel_name = exclusion_events.funnel_name
    where
        exclusion_events.event_order_key > case exclusion_events.exclude_from_step
            {%- for step in range(1, max_steps + 1) %}
            when {{ step }} then attempts.step_{{ step }}_order_key
            {%- endfor %}
        end
        and (
            exclusion_events.event_order_key < case exclusion_events.exclude_to_step
                {%- for step in range(1, max_steps + 1) %}
                when {{ step }} then attempts.step_{{ step }}_order_key
                {%- endfor %}
            end
            or (
                attempts.furthest_step_number < exclusion_events.exclude_to_step
                and {{ journeys.seconds_between('attempts.step_1_at', 'exclusion_events.event_at') }}
                <= attempts.window_seconds
            )
        )
),

ranked_attempts as (
    select
        attempts.*,
        row_number() over (
            partition by attempts.person_id, attempts.funnel_name
            order by attempts.furthest_step_number desc, attempts.step_1_order_key asc
        ) as attempt_rank
    from attempts
    left join excluded_attempts
        on
            attempts.person_id = excluded_attempts.person_id
            and attempts.funnel_name = excluded_attempts.funnel_name
            and attempts.step_1_order_key = excluded_attempts.step_1_order_key
    where excluded_attempts.step_1_order_key is null
),

best_attempts as (
    select
        *,
        case furthest_step_number
            {%- for step in range(1, max_steps + 1) %}
            when {{ step }} then step_{{ step }}_at
            {%- endfor %}
        end as furthest_step_at
    from ranked_attempts
    where attempt_rank = 1
),

final as (
    select
        {{ dbt.hash(dbt.concat(["best_attempts.funnel_name", "'|'", "best_attempts.person_id"])) }}
            as funnel_progress_id,
        {{ journeys.contract_string('best_attempts.funnel_name') }} as funnel_name,
        best_attempts.person_id,
        cast(funnels.step_count as {{ dbt.type_bigint() }}) as funnel_step_count,
        cast(best_attempts.furthest_step_number as {{ dbt.type_bigint() }}) as furthest_step_number,
        {{ journeys.contract_string('furthest_steps.step_name') }} as furthest_step_name,
        best_attempts.furthest_step_number = funnels.step_count as is_completed,
        {%- for step in range(1, max_steps + 1) %}
        best_attempts.step_{{ step }}_at,
        {%- endfor %}
        best_attempts.furthest_step_at,
        cast(
            {{ journeys.seconds_between('best_attempts.step_1_at', 'best_attempts.furthest_step_at') }}
            as {{ dbt.type_float() }}
        ) as seconds_to_furthest_step
    from best_attempts
    inner join funnels
        on best_attempts.funnel_name = funnels.funnel_name
    inner join funnel_definitions as furthest_steps
        on
            best_attempts.funnel_name = furthest_steps.funnel_name
            and best_attempts.furthest_step_number = furthest_steps.step_number
)

select * from final
