{#- One row per experiment, variant, metric and breakdown value (int_experiment_variant_sums): units, sums, the
    mean, and against the control of the same breakdown value the lifts, intervals and p-values, plain and after
    CUPED (macro experiment_comparisons); the p-value corrected for the experiment's comparisons of that breakdown
    value (var journeys__experiment_p_value_correction); and the experiment's sample ratio mismatch check: a
    chi-square test of the units of each variant (persons seen in several variants excluded) against the
    configured split. The formulas are in the experiments docs. -#}

{%- set settings = journeys.experiment_settings() %}

with variants as (
    select
        experiment_id,
        variant,
        is_control,
        expected_share,
        is_configured
    from {{ ref('int_experiment_variants') }}
),

variant_sums as (
    select
        sums.experiment_id,
        sums.variant,
        variants.is_control,
        sums.metric,
        sums.metric_type,
        sums.dimension,
        sums.dimension_value,
        sums.units,
        sums.metric_sum,
        sums.metric_sum_squares,
        sums.pre_period_sum,
        sums.pre_period_sum_squares,
        sums.sum_of_products
    from {{ ref('int_experiment_variant_sums') }} as sums
    inner join variants
        on
            sums.experiment_id = variants.experiment_id
            and sums.variant = variants.variant
),

comparisons as (
    {{ journeys.experiment_comparisons('variant_sums', settings.confidence_level) }}
),

ranked_p_values as (
    select
        *,
        count(p_value) over (partition by experiment_id, dimension, dimension_value) as comparison_count,
        row_number() over (
            partition by experiment_id, dimension, dimension_value
            order by case when p_value is null then 1 else 0 end, p_value, metric, variant
        ) as p_value_rank
    from comparisons
),

corrected as (
    select
        *,
        {%- if settings.p_value_correction == 'holm' %}
        {#- Holm: the running maximum of (m - rank + 1) x p in ascending order, at most 1 -#}
        case when p_value is not null then
            max(case when p_value is not null then least(1.0, (comparison_count - p_value_rank + 1) * p_value) end)
            over (
                partition by experiment_id, dimension, dimension_value
                order by p_value_rank
                rows between unbounded preceding and current row
            )
        end as corrected_p_value
        {%- elif settings.p_value_correction == 'benjamini_hochberg' %}
        {#- Benjamini-Hochberg: the running minimum of m / rank x p from the largest p down, at most 1 -#}
        case when p_value is not null then
            min(case when p_value is not null then least(1.0, comparison_count * p_value / p_value_rank) end)
            over (
                partition by experiment_id, dimension, dimension_value
                order by p_value_rank desc
                rows between unbounded preceding and current row
            )
        end as corrected_p_value
        {%- else %}
        p_value as corrected_p_value
        {%- endif %}
    from ranked_p_values
),

experiment_units as (
    select distinct
        experiment_id,
        variant,
        units
    from variant_sums
    where dimension = 'all'
),

srm_cells as (
    select
        variants.experiment_id,
        variants.expected_share,
        coalesce(experiment_units.units, 0) as units,
        sum(coalesce(experiment_units.units, 0)) over (partition by variants.experiment_id) as total_units
    from variants
    left join experiment_units
        on
            variants.experiment_id = experiment_units.experiment_id
            and variants.variant = experiment_units.variant
),

srm_statistics as (
    select
        experiment_id,
        sum(
            case
                when expected_share > 0 and total_units > 0
                    then power(units - expected_share * total_units, 2) / (expected_share * total_units)
                else 0
            end
        ) as srm_chi_square,
        sum(case when expected_share > 0 then 1 else 0 end) - 1 as srm_degrees_of_freedom,
        sum(case when expected_share = 0 and units > 0 then 1 else 0 end) as unexpected_variants,
        max(total_units) as total_units
    from srm_cells
    group by experiment_id
),

srm as (
    select
        experiment_id,
        case
            when unexpected_variants > 0 then cast(0 as {{ dbt.type_float() }})
            when srm_degrees_of_freedom < 1 or total_units = 0 then null
            else {{ journeys.chi_square_survival('srm_chi_square', 'srm_degrees_of_freedom') }}
        end as srm_p_value
    from srm_statistics
),

experiment_configuration as (
    select
        experiment_id,
        min(case when is_configured then 1 else 0 end) = 1 as is_configured
    from variants
    group by experiment_id
),

final as (
    select
        corrected.experiment_id
        || '|' || corrected.variant
        || '|' || corrected.metric
        || '|' || corrected.dimension
        || '|' || corrected.dimension_value as experiment_result_id,
        corrected.experiment_id,
        corrected.variant,
        corrected.is_control,
        corrected.metric,
        corrected.metric_type,
        corrected.dimension,
        corrected.dimension_value,
        cast(corrected.units as {{ dbt.type_bigint() }}) as units,
        corrected.metric_sum,
        corrected.metric_sum_squares,
        corrected.mean,
        corrected.variance,
        corrected.absolute_lift,
        corrected.absolute_lift_ci_lower,
        corrected.absolute_lift_ci_upper,
        corrected.relative_lift,
        corrected.relative_lift_ci_lower,
        corrected.relative_lift_ci_upper,
        corrected.p_value,
        corrected.corrected_p_value,
        corrected.absolute_p_value,
        corrected.degrees_of_freedom,
        corrected.cuped_theta,
        corrected.cuped_absolute_lift,
        corrected.cuped_absolute_lift_ci_lower,
        corrected.cuped_absolute_lift_ci_upper,
        corrected.cuped_relative_lift,
        corrected.cuped_relative_lift_ci_lower,
        corrected.cuped_relative_lift_ci_upper,
        corrected.cuped_p_value,
        corrected.cuped_absolute_p_value,
        srm.srm_p_value,
        coalesce(srm.srm_p_value < {{ settings.srm_threshold }}, false) as is_srm,
        experiment_configuration.is_configured
    from corrected
    inner join srm
        on corrected.experiment_id = srm.experiment_id
    inner join experiment_configuration
        on corrected.experiment_id = experiment_configuration.experiment_id
)

select * from final
