{#- Visit-to-signup by the week persons were first seen (weeks start on Monday, UTC) and their first touch's
    channel, source and medium: visitors, those of them who ever signed up, the rate and the median days from
    first visit to signup. Source and medium are the utm values as sent (NULL where none was sent). -#}

with journeys as (
    select
        person_id,
        first_seen_at,
        first_touch_channel,
        first_touch_source,
        first_touch_medium,
        is_signed_up,
        days_to_signup
    from {{ ref('fct_signup_journeys') }}
    where first_seen_at is not null
),

by_week_and_touch as (
    select
        cast({{ dbt.date_trunc('week', 'first_seen_at') }} as date) as first_seen_week,
        first_touch_channel as channel,
        first_touch_source as source,
        first_touch_medium as medium,
        count(*) as visitors,
        sum(case when is_signed_up then 1 else 0 end) as signups,
        {{ journeys.median('case when is_signed_up then days_to_signup end') }} as median_days_to_signup
    from journeys
    group by
        cast({{ dbt.date_trunc('week', 'first_seen_at') }} as date),
        first_touch_channel,
        first_touch_source,
        first_touch_medium
),

final as (
    select
        {#- NULL and each value apart: a NULL part is '-', a value is prefixed #}
        {{ dbt.hash(dbt.concat([
            'cast(first_seen_week as ' ~ dbt.type_string() ~ ')',
            "'|'", "case when channel is null then '-' else " ~ dbt.concat(["'c:'", 'channel']) ~ " end",
            "'|'", "case when source is null then '-' else " ~ dbt.concat(["'s:'", 'source']) ~ " end",
            "'|'", "case when medium is null then '-' else " ~ dbt.concat(["'m:'", 'medium']) ~ " end",
        ])) }} as channel_week_id,
        first_seen_week,
        channel,
        source,
        medium,
        cast(visitors as {{ dbt.type_bigint() }}) as visitors,
        cast(signups as {{ dbt.type_bigint() }}) as signups,
        cast(1.0 * signups / visitors as {{ dbt.type_float() }}) as signup_rate,
        cast(median_days_to_signup as {{ dbt.type_float() }}) as median_days_to_signup
    from by_week_and_touch
)

select * from final
