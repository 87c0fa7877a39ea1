{#- Which share of each day's raw events was quarantined, and why (with each reason's description from seed
    quarantine_reasons): the first place to look when a collector or loader starts sending bad rows. -#}

with quarantined as (
    select
        source_table,
        quarantine_reason,
        {{ dbt.date_trunc('day', 'coalesce(event_at, loaded_at)') }} as event_day
    from {{ ref('int_events_quarantined') }}
),

reasons as (
    select
        quarantine_reason,
        description
    from {{ ref('quarantine_reasons') }}
),

screened as (
    select
        source_table,
        {{ dbt.date_trunc('day', 'coalesce(event_at, loaded_at)') }} as event_day,
        count(*) as raw_events
    from {{ ref('int_events_screened') }}
    group by source_table, {{ dbt.date_trunc('day', 'coalesce(event_at, loaded_at)') }}
),

quarantined_counts as (
    select
        source_table,
        event_day,
        quarantine_reason,
        count(*) as quarantined_events
    from quarantined
    group by source_table, event_day, quarantine_reason
),

final as (
    select
        quarantined_counts.event_day,
        quarantined_counts.source_table,
        quarantined_counts.quarantine_reason,
        reasons.description as reason_description,
        quarantined_counts.quarantined_events,
        screened.raw_events,
        round(100.0 * quarantined_counts.quarantined_events / screened.raw_events, 2) as quarantined_percent
    from quarantined_counts
    inner join screened
        on
            quarantined_counts.source_table = screened.source_table
            and quarantined_counts.event_day = screened.event_day
    left join reasons
        on quarantined_counts.quarantine_reason = reasons.quarantine_reason
)

select * from final
order by event_day asc, source_table asc, quarantined_events desc
