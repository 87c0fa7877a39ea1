{#- The sufficient statistics of each experiment, variant, metric and breakdown (dimension `all` with value `all`
    for the whole experiment; `device_class`, `country` and `channel` at exposure, each with its
    journeys__experiment_breakdown_top_n most common values in the experiment and `other` for the rest; a missing
    value reads `(unknown)`): units, and the sums, sums of squares and sum of products of the metric's value and
    its pre-period value. fct_experiment_results computes every statistic from these. -#}

{%- set top_n = journeys.experiment_settings().breakdown_top_n %}
{%- set dimensions = ['device_class', 'country', 'channel'] %}

with unit_metrics as (
    select
        experiment_id,
        person_id,
        variant,
        metric,
        metric_type,
        value,
        pre_period_value
    from {{ ref('fct_experiment_unit_metrics') }}
),

exposures as (
    select
        experiment_id,
        person_id,
        coalesce(device_class, '(unknown)') as device_class,
        coalesce(country, '(unknown)') as country,
        coalesce(channel, '(unknown)') as channel
    from {{ ref('fct_experiment_exposures') }}
    where not is_multiple_variants
),

unit_dimensions as (
    select
        experiment_id,
        person_id,
        'all' as dimension,
        'all' as dimension_value
    from exposures
    {%- for dimension in dimensions %}
    union all
    select
        experiment_id,
        person_id,
        '{{ dimension }}' as dimension,
        {{ dimension }} as dimension_value
    from exposures
    {%- endfor %}
),

value_ranks as (
    select
        experiment_id,
        dimension,
        dimension_value,
        row_number() over (
            partition by experiment_id, dimension
            order by count(*) desc, dimension_value
        ) as value_rank
    from unit_dimensions
    group by experiment_id, dimension, dimension_value
),

{# the sums of each experiment, variant, metric and combination of the three dimensions' values: the units are
   summed once here (one row per unit), then each breakdown adds up these cells, far fewer than its units #}
cell_sums as (
    select
        unit_metrics.experiment_id,
        unit_metrics.variant,
        unit_metrics.metric,
        unit_metrics.metric_type,
        {%- for dimension in dimensions %}
        exposures.{{ dimension }},
        {%- endfor %}
        count(*) as units,
        sum(unit_metrics.value) as metric_sum,
        sum(unit_metrics.value * unit_metrics.value) as metric_sum_squares,
        sum(unit_metrics.pre_period_value) as pre_period_sum,
        sum(unit_metrics.pre_period_value * unit_metrics.pre_period_value) as pre_period_sum_squares,
        sum(unit_metrics.value * unit_metrics.pre_period_value) as sum_of_products
    from unit_metrics
    inner join exposures
        on
            unit_metrics.experiment_id = exposures.experiment_id
            and unit_metrics.person_id = exposures.person_id
    group by
        {%- for dimension in dimensions %}
        exposures.{{ dimension }},
        {%- endfor %}
        unit_metrics.experiment_id,
        unit_metrics.variant,
        unit_metrics.metric,
        unit_metrics.metric_type
),

cell_dimensions as (
    select
        *,
        'all' as dimension,
        'all' as dimension_value
    from cell_sums
    {%- for dimension in dimensions %}
    union all
    select
        *,
        '{{ dimension }}' as dimension,
        {{ dimension }} as dimension_value
    from cell_sums
    {%- endfor %}
),

cell_breakdowns as (
    select
        cell_dimensions.experiment_id,
        cell_dimensions.variant,
        cell_dimensions.metric,
        cell_dimensions.metric_type,
        cell_dimensions.dimension,
        case
            when value_ranks.value_rank <= {{ top_n }} then cell_dimensions.dimension_value
            else 'other'
        end as dimension_value,
        cell_dimensions.units,
        cell_dimensions.metric_sum,
        cell_dimensions.metric_sum_squares,
        cell_dimensions.pre_period_sum,
        cell_dimensions.pre_period_sum_squares,
        cell_dimensions.sum_of_products
    from cell_dimensions
    inner join value_ranks
        on
            cell_dimensions.experiment_id = value_ranks.experiment_id
            and cell_dimensions.dimension = value_ranks.dimension
            and cell_dimensions.dimension_value = value_ranks.dimension_value
),

final as (
    select
        experiment_id
        || '|' || variant
        || '|' || metric
        || '|' || dimension
        || '|' || dimension_value as variant_sums_id,
        experiment_id,
        variant,
        metric,
        metric_type,
        dimension,
        dimension_value,
        sum(units) as units,
        sum(metric_sum) as metric_sum,
        sum(metric_sum_squares) as metric_sum_squares,
        sum(pre_period_sum) as pre_period_sum,
        sum(pre_period_sum_squares) as pre_period_sum_squares,
        sum(sum_of_products) as sum_of_products
    from cell_breakdowns
    group by
        experiment_id,
        variant,
        metric,
        metric_type,
        dimension,
        dimension_value
)

select * from final
