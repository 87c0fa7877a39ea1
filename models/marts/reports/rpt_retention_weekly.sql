{#- Weekly retention of signed-up persons (weeks start on Monday, UTC), in two kinds of rows:
    - kind `cohort`: per signup week (cohort_week) and week after it (weeks_since_signup 0..journeys__retention_weeks),
      the cohort's persons active that week (a session started, or the signup itself) and their share of the cohort;
    - kind `lifecycle`: per calendar week and status, the signed-up persons who are new (signed up that week),
      returning (active this week and last week), resurrecting (active this week, not last week, active since their
      signup before) or dormant (active last week, not this week).
    Weeks run from the first signup week to the last week the data reaches (its latest session start or signup);
    a cohort's weeks after that are not shown. Every week and status has a row, zero included. -#}

{%- set retention_weeks = journeys.var_whole_number('journeys__retention_weeks', 0) -%}
{%- set statuses = ['new', 'returning', 'resurrecting', 'dormant'] -%}

with signups as (
    select
        person_id,
        cast({{ dbt.date_trunc('week', 'signed_up_at') }} as date) as signup_week
    from {{ ref('fct_signup_journeys') }}
    where is_signed_up
),

sessions as (
    select
        person_id,
        cast({{ dbt.date_trunc('week', 'started_at') }} as date) as session_week
    from {{ ref('fct_sessions') }}
),

{# no row without signups, so the week spine below is empty #}
signup_bounds as (
    select
        min(signup_week) as first_week,
        max(signup_week) as last_signup_week
    from signups
    having count(*) > 0
),

session_bounds as (
    select max(session_week) as last_session_week
    from sessions
),

digits as (
    {%- for digit in range(10) %}
    select {{ digit }} as digit
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

{# 0..9999: weeks since the first signup week #}
week_numbers as (
    select ones.digit + 10 * tens.digit + 100 * hundreds.digit + 1000 * thousands.digit as week_number
    from digits as ones
    cross join digits as tens
    cross join digits as hundreds
    cross join digits as thousands
),

weeks as (
    select
        week_numbers.week_number,
        cast({{ dbt.dateadd('day', '7 * week_numbers.week_number', 'signup_bounds.first_week') }} as date)
            as activity_week
    from week_numbers
    cross join signup_bounds
    cross join session_bounds
    where
        {{ dbt.dateadd('day', '7 * week_numbers.week_number', 'signup_bounds.first_week') }}
        <= coalesce(
            greatest(signup_bounds.last_signup_week, session_bounds.last_session_week),
            signup_bounds.last_signup_week
        )
),

person_signups as (
    select
        signups.person_id,
        weeks.week_number as signup_week_number
    from signups
    inner join weeks
        on signups.signup_week = weeks.activity_week
),

{# the weeks each signed-up person was active in, from their signup week on (which is one) #}
person_weeks as (
    select
        person_id,
        signup_week_number,
        signup_week_number as week_number
    from person_signups
    union all
    select
        person_signups.person_id,
        person_signups.signup_week_number,
        weeks.week_number
    from sessions
    inner join weeks
        on sessions.session_week = weeks.activity_week
    inner join person_signups
        on
            sessions.person_id = person_signups.person_id
            and weeks.week_number > person_signups.signup_week_number
),

active_weeks as (
    select
        person_id,
        signup_week_number,
        week_number,
        lag(week_number) over (partition by person_id order by week_number) as previous_active_week_number,
        lead(week_number) over (partition by person_id order by week_number) as next_active_week_number
    from (
        select distinct
            person_id,
            signup_week_number,
            week_number
        from person_weeks
    ) as distinct_person_weeks
),

retention_offsets as (
    {%- for offset in range(retention_weeks + 1) %}
    select {{ offset }} as weeks_since_signup
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

cohort_sizes as (
    select
        signup_week_number,
        count(*) as cohort_persons
    from person_signups
    group by signup_week_number
),

cohort_activity as (
    select
        signup_week_number,
        week_number - signup_week_number as weeks_since_signup,
        count(*) as active_persons
    from active_weeks
    where week_number - signup_week_number <= {{ retention_weeks }}
    group by signup_week_number, week_number - signup_week_number
),

cohort_rows as (
    select
        'cohort' as kind,
        cohort_weeks.activity_week as cohort_week,
        retention_offsets.weeks_since_signup,
        weeks.activity_week,
        cast(null as {{ dbt.type_string() }}) as lifecycle_status,
        coalesce(cohort_activity.active_persons, 0) as persons,
        cohort_sizes.cohort_persons
    from cohort_sizes
    cross join retention_offsets
    inner join weeks as cohort_weeks
        on cohort_sizes.signup_week_number = cohort_weeks.week_number
    inner join weeks
        on cohort_sizes.signup_week_number + retention_offsets.weeks_since_signup = weeks.week_number
    left join cohort_activity
        on
            cohort_sizes.signup_week_number = cohort_activity.signup_week_number
            and retention_offsets.weeks_since_signup = cohort_activity.weeks_since_signup
),

{# each person's status changes: new in the signup week, returning or resurrecting in a later active week,
    dormant in the week after an active week with none #}
person_statuses as (
    select
        week_number,
        case
            when week_number = signup_week_number then 'new'
            when previous_active_week_number = week_number - 1 then 'returning'
            else 'resurrecting'
        end as lifecycle_status
    from active_weeks
    union all
    select
        week_number + 1 as week_number,
        'dormant' as lifecycle_status
    from active_weeks
    where next_active_week_number is null or next_active_week_number > week_number + 1
),

status_counts as (
    select
        week_number,
        lifecycle_status,
        count(*) as persons
    from person_statuses
    group by week_number, lifecycle_status
),

statuses as (
    {%- for status in statuses %}
    select '{{ status }}' as lifecycle_status
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

lifecycle_rows as (
    select
        'lifecycle' as kind,
        cast(null as date) as cohort_week,
        cast(null as {{ dbt.type_int() }}) as weeks_since_signup,
        weeks.activity_week,
        statuses.lifecycle_status,
        coalesce(status_counts.persons, 0) as persons,
        cast(null as {{ dbt.type_bigint() }}) as cohort_persons
    from weeks
    cross join statuses
    left join status_counts
        on
            weeks.week_number = status_counts.week_number
            and statuses.lifecycle_status = status_counts.lifecycle_status
),

retention_rows as (
    select * from cohort_rows
    union all
    select * from lifecycle_rows
),

final as (
    select
        {{ dbt.concat([
            'kind', "':'",
            'cast(coalesce(cohort_week, activity_week) as ' ~ dbt.type_string() ~ ')', "':'",
            'coalesce(lifecycle_status, cast(weeks_since_signup as ' ~ dbt.type_string() ~ '))',
        ]) }} as retention_row_id,
        kind,
        cohort_week,
        cast(weeks_since_signup as {{ dbt.type_bigint() }}) as weeks_since_signup,
        activity_week,
        lifecycle_status,
        cast(persons as {{ dbt.type_bigint() }}) as persons,
        cast(cohort_persons as {{ dbt.type_bigint() }}) as cohort_persons,
        cast(1.0 * persons / cohort_persons as {{ dbt.type_float() }}) as active_share
    from retention_rows
)

select * from final
