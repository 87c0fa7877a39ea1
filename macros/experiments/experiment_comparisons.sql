{#-
    A select comparing each variant with its control, from the sufficient statistics in `relation` (a relation or
    CTE name with columns experiment_id, variant, is_control, metric, metric_type ('binary' or 'continuous'),
    dimension, dimension_value, units, metric_sum, metric_sum_squares, pre_period_sum, pre_period_sum_squares
    and sum_of_products; one row per experiment_id, variant, metric, dimension and dimension_value): one row per
    row of `relation` with its mean and variance and, for a variant that is not the control, the absolute and
    relative lift with their confidence intervals and p-values (Welch's t with Welch-Satterthwaite degrees of
    freedom; the relative lift's standard error by the delta method), the same after CUPED (a theta pooled over
    the variant and the control), and the theta. The formulas are in
    models/marts/experiments/_experiments__docs.md. A statistic that cannot be computed (one unit, no variance,
    a control mean of 0 for the relative lift) is NULL, never an error. The four t statistics go through the t
    distribution macros as one column of a long form (see `t_statistics`), so each is inlined once.
-#}
{% macro experiment_comparisons(relation, confidence_level=0.95) -%}
    {%- set upper_quantile = 1 - (1 - confidence_level) / 2 -%}
    {%- set float = dbt.type_float() %}
    with comparison_input as (
        select
            experiment_id,
            variant,
            is_control,
            metric,
            metric_type,
            dimension,
            dimension_value,
            cast(units as {{ float }}) as n,
            cast(metric_sum as {{ float }}) as s,
            cast(metric_sum_squares as {{ float }}) as ss,
            cast(pre_period_sum as {{ float }}) as pre_s,
            cast(pre_period_sum_squares as {{ float }}) as pre_ss,
            cast(sum_of_products as {{ float }}) as sp
        from {{ relation }}
    ),

    pairs as (
        select
            variant_sums.*,
            control_sums.n as control_n,
            control_sums.s as control_s,
            control_sums.ss as control_ss,
            control_sums.pre_s as control_pre_s,
            control_sums.pre_ss as control_pre_ss,
            control_sums.sp as control_sp
        from comparison_input as variant_sums
        left join comparison_input as control_sums
            on
                variant_sums.experiment_id = control_sums.experiment_id
                and variant_sums.metric = control_sums.metric
                and variant_sums.dimension = control_sums.dimension
                and variant_sums.dimension_value = control_sums.dimension_value
                and control_sums.is_control
                and not variant_sums.is_control
    ),

    {%- set binary = "metric_type = 'binary'" %}

    group_moments as (
        select
            *,
            s / n as mean,
            {{ journeys.experiment_group_variance('n', 's', 'ss', binary) }} as variance,
            pre_s / n as pre_mean,
            {{ journeys.experiment_group_variance('n', 'pre_s', 'pre_ss', binary) }} as pre_variance,
            {{ journeys.experiment_group_covariance('n', 's', 'pre_s', 'sp', binary) }} as covariance,
            control_s / control_n as control_mean,
            {{ journeys.experiment_group_variance('control_n', 'control_s', 'control_ss', binary) }} as control_variance,
            control_pre_s / control_n as control_pre_mean,
            {{ journeys.experiment_group_variance('control_n', 'control_pre_s', 'control_pre_ss', binary) }} as control_pre_variance,
            {{ journeys.experiment_group_covariance('control_n', 'control_s', 'control_pre_s', 'control_sp', binary) }} as control_covariance,
            {{ journeys.experiment_group_variance('(n + control_n)', '(s + control_s)', '(ss + control_ss)', binary) }} as pooled_variance,
            {{ journeys.experiment_group_variance('(n + control_n)', '(pre_s + control_pre_s)', '(pre_ss + control_pre_ss)', binary) }}
                as pooled_pre_variance,
            {{ journeys.experiment_group_covariance('(n + control_n)', '(s + control_s)', '(pre_s + control_pre_s)', '(sp + control_sp)',
                binary) }} as pooled_covariance
        from pairs
    ),

    thetas as (
        select
            *,
            case
                when control_n is null then null
                when pooled_pre_variance > 0 and pooled_variance > 0 then pooled_covariance / pooled_pre_variance
                else 0
            end as theta
        from group_moments
    ),

    adjusted as (
        select
            *,
            mean - control_mean as difference,
            variance / n + control_variance / control_n as difference_variance,
            (mean - theta * pre_mean) - (control_mean - theta * control_pre_mean) as cuped_difference,
            (variance + theta * theta * pre_variance - 2 * theta * covariance) as cuped_variance,
            (control_variance + theta * theta * control_pre_variance - 2 * theta * control_covariance)
                as cuped_control_variance
        from thetas
    ),

    tests as (
        select
            *,
            {#- Welch-Satterthwaite: (v_b/n_b + v_a/n_a)^2 / ((v_b/n_b)^2/(n_b-1) + (v_a/n_a)^2/(n_a-1)) -#}
            case when n > 1 and control_n > 1 then
                difference_variance * difference_variance / nullif(
                    (variance / n) * (variance / n) / (n - 1)
                    + (control_variance / control_n) * (control_variance / control_n) / (control_n - 1), 0)
            end as degrees_of_freedom,
            case when control_mean <> 0 then difference / control_mean end as relative_lift,
            case when control_mean <> 0 then
                variance / (control_mean * control_mean * n)
                + control_variance * mean * mean / (power(control_mean, 4) * control_n)
            end as relative_lift_variance,
            cuped_variance / n + cuped_control_variance / control_n as cuped_difference_variance,
            case when n > 1 and control_n > 1 then
                power(cuped_variance / n + cuped_control_variance / control_n, 2) / nullif(
                    (cuped_variance / n) * (cuped_variance / n) / (n - 1)
                    + (cuped_control_variance / control_n) * (cuped_control_variance / control_n) / (control_n - 1), 0)
            end as cuped_degrees_of_freedom,
            case when control_mean <> 0 then cuped_difference / control_mean end as cuped_relative_lift,
            {#- delta method for (adjusted difference) / (control's unadjusted mean) -#}
            case when control_mean <> 0 then
                (cuped_variance / n + cuped_control_variance / control_n) / (control_mean * control_mean)
                + cuped_difference * cuped_difference * control_variance / (control_n * power(control_mean, 4))
                + 2 * cuped_difference * (control_variance - theta * control_covariance)
                / (control_n * power(control_mean, 3))
            end as cuped_relative_lift_variance
        from adjusted
    ),

    scores as (
        select
            *,
            case when difference_variance > 0 then sqrt(difference_variance) end as difference_standard_error,
            case when relative_lift_variance > 0 then sqrt(relative_lift_variance) end as relative_standard_error,
            case when cuped_difference_variance > 0 then sqrt(cuped_difference_variance) end
                as cuped_difference_standard_error,
            case when cuped_relative_lift_variance > 0 then sqrt(cuped_relative_lift_variance) end
                as cuped_relative_standard_error
        from tests
    ),

    statistics as (
        select
            *,
            -abs(difference / difference_standard_error) as absolute_t_negative,
            -abs(relative_lift / relative_standard_error) as relative_t_negative,
            -abs(cuped_difference / cuped_difference_standard_error) as cuped_absolute_t_negative,
            -abs(cuped_relative_lift / cuped_relative_standard_error) as cuped_relative_t_negative
        from scores
    ),

    {#- Each t distribution macro is one large expression (about 12 KB of SQL for the CDF, 50 KB for the
        quantile): inlined for each of the four statistics, they made the compiled model about 175 KB, which
        DuckDB took seconds and Spark about a minute to plan, and sqlfluff minutes to parse. So each row is put in
        long form, once per statistic with that statistic's t and degrees of freedom, each macro is inlined once
        over those, and the results are pivoted back onto the row. The long form is a cross join with the list of
        statistic names rather than a union of four selects of the row: Spark pushes a select through a union into
        each of its branches, which would inline the macros four times again. The pivot is a window over the row's
        key rather than a join back: partition by groups NULLs together on every engine, where a NULL-safe join
        would be a nested loop on PostgreSQL. -#}
    {%- set statistic_pairs = [
        ['absolute', 'absolute_t_negative', 'degrees_of_freedom'],
        ['relative', 'relative_t_negative', 'degrees_of_freedom'],
        ['cuped_absolute', 'cuped_absolute_t_negative', 'cuped_degrees_of_freedom'],
        ['cuped_relative', 'cuped_relative_t_negative', 'cuped_degrees_of_freedom'],
    ] %}

    t_statistic_names as (
        {%- for statistic, t_negative, degrees_of_freedom in statistic_pairs %}
        {%- if not loop.first %}
        union all
        {%- endif %}
        select '{{ statistic }}' as statistic
        {%- endfor %}
    ),

    t_statistics as (
        select
            statistics.*,
            t_statistic_names.statistic,
            case t_statistic_names.statistic
                {%- for statistic, t_negative, degrees_of_freedom in statistic_pairs %}
                when '{{ statistic }}' then statistics.{{ t_negative }}
                {%- endfor %}
            end as t_negative,
            case t_statistic_names.statistic
                {%- for statistic, t_negative, degrees_of_freedom in statistic_pairs %}
                when '{{ statistic }}' then statistics.{{ degrees_of_freedom }}
                {%- endfor %}
            end as t_degrees_of_freedom
        from statistics
        cross join t_statistic_names
    ),

    t_distributions as (
        select
            *,
            2 * {{ journeys.student_t_cdf('t_negative', 't_degrees_of_freedom') }} as t_p_value,
            {#- the intervals' critical t depends on the degrees of freedom alone, which the relative lift shares
                with the absolute one: computed on the absolute rows only -#}
            case when statistic in ('absolute', 'cuped_absolute') then
                {{ journeys.student_t_quantile(upper_quantile, 't_degrees_of_freedom') }}
            end as t_critical
        from t_statistics
    ),

    distributions as (
        select
            *,
            max(case when statistic = 'absolute' then t_critical end) over input_row as critical_t,
            max(case when statistic = 'cuped_absolute' then t_critical end) over input_row as cuped_critical_t,
            max(case when statistic = 'absolute' then t_p_value end) over input_row as absolute_p_value,
            max(case when statistic = 'relative' then t_p_value end) over input_row as p_value,
            max(case when statistic = 'cuped_absolute' then t_p_value end) over input_row as cuped_absolute_p_value,
            max(case when statistic = 'cuped_relative' then t_p_value end) over input_row as cuped_p_value
        from t_distributions
        window input_row as (partition by experiment_id, variant, metric, dimension, dimension_value)
    )

    select
        experiment_id,
        variant,
        is_control,
        metric,
        metric_type,
        dimension,
        dimension_value,
        n as units,
        s as metric_sum,
        ss as metric_sum_squares,
        mean,
        variance,
        difference as absolute_lift,
        difference - critical_t * difference_standard_error as absolute_lift_ci_lower,
        difference + critical_t * difference_standard_error as absolute_lift_ci_upper,
        relative_lift,
        relative_lift - critical_t * relative_standard_error as relative_lift_ci_lower,
        relative_lift + critical_t * relative_standard_error as relative_lift_ci_upper,
        p_value,
        absolute_p_value,
        degrees_of_freedom,
        theta as cuped_theta,
        cuped_difference as cuped_absolute_lift,
        cuped_difference - cuped_critical_t * cuped_difference_standard_error as cuped_absolute_lift_ci_lower,
        cuped_difference + cuped_critical_t * cuped_difference_standard_error as cuped_absolute_lift_ci_upper,
        cuped_relative_lift,
        cuped_relative_lift - cuped_critical_t * cuped_relative_standard_error as cuped_relative_lift_ci_lower,
        cuped_relative_lift + cuped_critical_t * cuped_relative_standard_error as cuped_relative_lift_ci_upper,
        cuped_p_value,
        cuped_absolute_p_value
    from distributions
    where statistic = 'absolute'
{%- endmacro %}


{#- The variance of a group's values from its sufficient statistics (n, sum, sum of squares), as the statistics of
    experiment_comparisons use it: p(1 - p) for a binary metric, the sample variance otherwise; 0 for one unit. -#}
{% macro experiment_group_variance(n, s, ss, binary) -%}
    case
        when {{ n }} <= 1 then 0
        when {{ binary }} then ({{ s }} / {{ n }}) * (1 - {{ s }} / {{ n }})
        else ({{ ss }} - {{ s }} * {{ s }} / {{ n }}) / ({{ n }} - 1)
    end
{%- endmacro %}

{#- The covariance of a group's values and pre-period values from its sufficient statistics (n, sums, sum of
    products), for CUPED: divided by n for a binary metric (as its variance), by n - 1 otherwise; 0 for one unit. -#}
{% macro experiment_group_covariance(n, s, pre_s, sp, binary) -%}
    case
        when {{ n }} <= 1 then 0
        when {{ binary }} then {{ sp }} / {{ n }} - {{ s }} * {{ pre_s }} / ({{ n }} * {{ n }})
        else ({{ sp }} - {{ s }} * {{ pre_s }} / {{ n }}) / ({{ n }} - 1)
    end
{%- endmacro %}
