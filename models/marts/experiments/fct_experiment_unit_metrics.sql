{#- One row per unit (a person in one variant of an experiment: fct_experiment_exposures without the persons seen
    in several variants) and metric (int_experiment_metrics): its value in the window after the first exposure
    (from the exposure time, not its session's start, for the experiment's window_days; an event at exactly the
    window's end is outside it) and over as long just before the exposure (the pre-period, CUPED's covariate).
    Binary metrics are 1 when the thing happened in the period, else 0; the others sum. Incremental by person
    (person_incremental_config): a run re-writes the units of the persons whose sessions or user ids changed. -#}

{{ config(**journeys.person_incremental_config(
    settings_seeds=['experiment_definitions', 'conversion_definitions', 'milestone_definitions'],
    settings_vars=['journeys__experiment_window_days'])) }}
{#- the seeds its settings fingerprint reads: dbt must know every ref a model makes when it runs -#}
-- depends_on: {{ ref('experiment_definitions') }}
-- depends_on: {{ ref('conversion_definitions') }}
-- depends_on: {{ ref('milestone_definitions') }}

with experiment_windows as (
    select distinct
        experiment_id,
        window_days
    from {{ ref('int_experiment_variants') }}
),

units as (
    select
        exposures.experiment_id,
        exposures.person_id,
        exposures.variant,
        exposures.first_exposed_at,
        experiment_windows.window_days * 86400 as window_seconds
    from {{ ref('fct_experiment_exposures') }} as exposures
    inner join experiment_windows
        on exposures.experiment_id = experiment_windows.experiment_id
    where not exposures.is_multiple_variants and {{ journeys.persons_to_recompute('exposures.person_id') }}
),

metrics as (
    select
        metric,
        metric_type,
        metric_source,
        source_name
    from {{ ref('int_experiment_metrics') }}
),

conversions as (
    select
        person_id,
        conversion_name,
        converted_at,
        value
    from {{ ref('fct_conversions') }}
    where {{ journeys.persons_to_recompute() }}
),

milestones as (
    select
        person_id,
        milestone_name,
        reached_at
    from {{ ref('fct_milestones') }}
    where {{ journeys.persons_to_recompute() }}
),

sessions as (
    select
        person_id,
        started_at
    from {{ ref('fct_sessions') }}
    where {{ journeys.persons_to_recompute() }}
),

page_views as (
    select
        person_id,
        viewed_at,
        engaged_seconds
    from {{ ref('fct_page_views') }}
    where {{ journeys.persons_to_recompute() }}
),

person_facts as (
    select
        conversions.person_id,
        metrics.metric,
        conversions.converted_at as happened_at,
        case
            when metrics.metric_source = 'conversion' then 1
            else coalesce(conversions.value, 0)
        end as amount
    from conversions
    inner join metrics
        on
            conversions.conversion_name = metrics.source_name
            and metrics.metric_source in ('conversion', 'conversion_value')
    union all
    select
        milestones.person_id,
        metrics.metric,
        milestones.reached_at as happened_at,
        1 as amount
    from milestones
    inner join metrics
        on
            milestones.milestone_name = metrics.source_name
            and metrics.metric_source = 'milestone'
    union all
    select
        person_id,
        'sessions' as metric,
        started_at as happened_at,
        1 as amount
    from sessions
),

unit_facts as (
    select
        units.experiment_id,
        units.person_id,
        person_facts.metric,
        units.window_seconds,
        {{ journeys.seconds_between('units.first_exposed_at', 'person_facts.happened_at') }} as seconds_after_exposure,
        cast(person_facts.amount as {{ dbt.type_float() }}) as amount
    from units
    inner join person_facts
        on units.person_id = person_facts.person_id
),

{# a page view counts for two metrics (page_views, engaged_seconds): one row per unit and page view carries both,
   rather than a row per metric, and each unit's four sums come from one group by #}
unit_page_views as (
    select
        units.experiment_id,
        units.person_id,
        units.window_seconds,
        {{ journeys.seconds_between('units.first_exposed_at', 'page_views.viewed_at') }} as seconds_after_exposure,
        cast(coalesce(page_views.engaged_seconds, 0) as {{ dbt.type_float() }}) as engaged_seconds
    from units
    inner join page_views
        on units.person_id = page_views.person_id
),

unit_page_view_sums as (
    select
        experiment_id,
        person_id,
        cast(sum(case when seconds_after_exposure >= 0 then 1 else 0 end) as {{ dbt.type_float() }})
            as page_views_period_sum,
        cast(sum(case when seconds_after_exposure < 0 then 1 else 0 end) as {{ dbt.type_float() }})
            as page_views_pre_period_sum,
        sum(case when seconds_after_exposure >= 0 then engaged_seconds else 0 end) as engaged_seconds_period_sum,
        sum(case when seconds_after_exposure < 0 then engaged_seconds else 0 end) as engaged_seconds_pre_period_sum
    from unit_page_views
    where seconds_after_exposure >= -window_seconds and seconds_after_exposure < window_seconds
    group by experiment_id, person_id
),

unit_sums as (
    select
        experiment_id,
        person_id,
        metric,
        sum(
            case when seconds_after_exposure >= 0 and seconds_after_exposure < window_seconds then amount else 0 end
        ) as period_sum,
        sum(
            case when seconds_after_exposure < 0 and seconds_after_exposure >= -window_seconds then amount else 0 end
        ) as pre_period_sum
    from unit_facts
    where seconds_after_exposure >= -window_seconds and seconds_after_exposure < window_seconds
    group by experiment_id, person_id, metric
    union all
    select
        experiment_id,
        person_id,
        'page_views' as metric,
        page_views_period_sum as period_sum,
        page_views_pre_period_sum as pre_period_sum
    from unit_page_view_sums
    union all
    select
        experiment_id,
        person_id,
        'engaged_seconds' as metric,
        engaged_seconds_period_sum as period_sum,
        engaged_seconds_pre_period_sum as pre_period_sum
    from unit_page_view_sums
),

final as (
    select
        units.experiment_id || '|' || units.person_id || '|' || metrics.metric as unit_metric_id,
        units.experiment_id,
        units.person_id,
        units.variant,
        {{ journeys.contract_string('metrics.metric') }} as metric,
        metrics.metric_type,
        cast(case
            when metrics.metric_type = 'binary'
                then case when coalesce(unit_sums.period_sum, 0) > 0 then 1 else 0 end
            else coalesce(unit_sums.period_sum, 0)
        end as {{ dbt.type_float() }}) as value,  -- noqa: RF04
        cast(case
            when metrics.metric_type = 'binary'
                then case when coalesce(unit_sums.pre_period_sum, 0) > 0 then 1 else 0 end
            else coalesce(unit_sums.pre_period_sum, 0)
        end as {{ dbt.type_float() }}) as pre_period_value
    from units
    cross join metrics
    left join unit_sums
        on
            units.experiment_id = unit_sums.experiment_id
            and units.person_id = unit_sums.person_id
            and metrics.metric = unit_sums.metric
)

select * from final
