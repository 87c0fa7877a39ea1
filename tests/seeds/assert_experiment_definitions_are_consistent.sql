{#- Seed experiment_definitions: per experiment, each variant once, exactly one control, a positive split, and the
    same window and dates on every row. Returns the experiments that break this. -#}
select
    experiment_id,
    count(*) as variant_rows,
    count(distinct variant) as variants,
    sum(case when is_control then 1 else 0 end) as controls,
    sum(expected_share) as share_total,
    count(distinct coalesce(window_days, -1)) as windows,
    count(distinct coalesce(cast(start_date as {{ dbt.type_string() }}), '-')) as start_dates,
    count(distinct coalesce(cast(end_date as {{ dbt.type_string() }}), '-')) as end_dates
from {{ ref('experiment_definitions') }}
group by experiment_id
having
    count(*) <> count(distinct variant)
    or sum(case when is_control then 1 else 0 end) <> 1
    or sum(expected_share) <= 0
    or count(distinct coalesce(window_days, -1)) > 1
    or count(distinct coalesce(cast(start_date as {{ dbt.type_string() }}), '-')) > 1
    or count(distinct coalesce(cast(end_date as {{ dbt.type_string() }}), '-')) > 1
