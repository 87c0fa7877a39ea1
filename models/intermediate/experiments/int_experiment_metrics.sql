{#- One row per metric of the experiment marts: each conversion of seed conversion_definitions (binary: converted
    in the window) and, for one with a value, `<name>_value` (the sum of its values); `sessions`, `page_views` and
    `engaged_seconds` (sums); and `milestone_<name>` for each milestone of seed milestone_definitions (binary:
    first reached in the window). `metric_type` tells the statistics a proportion from a mean. -#}

with conversions as (
    select
        conversion_name,
        {{ journeys.seed_text('value_column') }} as value_column
    from {{ ref('conversion_definitions') }}
),

milestones as (
    select milestone_name
    from {{ ref('milestone_definitions') }}
),

all_metrics as (
    select
        conversion_name as metric,
        'binary' as metric_type,
        'conversion' as metric_source,
        conversion_name as source_name
    from conversions
    union all
    select
        conversion_name || '_value' as metric,
        'continuous' as metric_type,
        'conversion_value' as metric_source,
        conversion_name as source_name
    from conversions
    where value_column is not null
    union all
    select
        'milestone_' || milestone_name as metric,
        'binary' as metric_type,
        'milestone' as metric_source,
        milestone_name as source_name
    from milestones
    union all
    select
        'sessions' as metric,
        'continuous' as metric_type,
        'sessions' as metric_source,
        cast(null as {{ dbt.type_string() }}) as source_name
    union all
    select
        'page_views' as metric,
        'continuous' as metric_type,
        'page_views' as metric_source,
        cast(null as {{ dbt.type_string() }}) as source_name
    union all
    select
        'engaged_seconds' as metric,
        'continuous' as metric_type,
        'engaged_seconds' as metric_source,
        cast(null as {{ dbt.type_string() }}) as source_name
),

final as (
    select
        metric,
        metric_type,
        metric_source,
        source_name
    from all_metrics
)

select * from final
