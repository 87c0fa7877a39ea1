{#- The counterfactual (leave one step out) score of each step of each converting attribution path (see the
    attribution docs): max(0, the path's conversion rate - the rate of the same sequence without that step), the
    rate of a sequence being its converting paths over all paths with exactly that sequence (0 if never seen; the
    shortened sequence is not transformed again). One row per conversion name, distinct converting path and step.
    Everything here is over the distinct paths, never over the events. -#}

with path_rates as (
    select
        conversion_name,
        path,
        cast(sum(case when is_conversion then 1 else 0 end) as {{ dbt.type_float() }}) / count(*) as conversion_rate
    from {{ ref('int_attribution_paths') }}
    group by conversion_name, path
),

{# one converting path of each distinct sequence stands for it: steps are keyed by its short id, not the
   sequence's text, so the self-join and its grouping compare ids #}
sequences as (
    select
        conversion_name,
        path,
        min(path_id) as path_id
    from {{ ref('int_attribution_paths') }}
    where is_conversion
    group by conversion_name, path
),

converting_steps as (
    select
        sequences.conversion_name,
        sequences.path,
        sequences.path_id,
        steps.path_step,
        steps.channel
    from sequences
    inner join {{ ref('int_attribution_path_steps') }} as steps
        on sequences.path_id = steps.path_id
),

paths_without_a_step as (
    select
        left_out.path_id,
        left_out.path_step,
        {{ journeys.ordered_string_agg('kept.channel', ['kept.path_step'], "' > '") }} as path_without_step
    from converting_steps as left_out
    inner join converting_steps as kept
        on
            left_out.path_id = kept.path_id
            and left_out.path_step != kept.path_step
    group by left_out.path_id, left_out.path_step
),

final as (
    select
        {{ dbt.concat([
            'converting_steps.conversion_name', "'|'", 'converting_steps.path', "'|'",
            'cast(converting_steps.path_step as ' ~ dbt.type_string() ~ ')',
        ]) }} as counterfactual_step_id,
        converting_steps.conversion_name,
        converting_steps.path,
        converting_steps.path_step,
        converting_steps.channel,
        greatest(path_rates.conversion_rate - coalesce(rates_without_step.conversion_rate, 0), 0)
            as counterfactual_score
    from converting_steps
    inner join path_rates
        on
            converting_steps.conversion_name = path_rates.conversion_name
            and converting_steps.path = path_rates.path
    left join paths_without_a_step
        on
            converting_steps.path_id = paths_without_a_step.path_id
            and converting_steps.path_step = paths_without_a_step.path_step
    left join path_rates as rates_without_step
        on
            converting_steps.conversion_name = rates_without_step.conversion_name
            and paths_without_a_step.path_without_step = rates_without_step.path
)

select * from final
