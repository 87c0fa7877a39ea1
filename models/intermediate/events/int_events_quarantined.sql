{#- Every raw event row that is not in the canonical stream, with the reason. -#}

with screened as (
    select * from {{ ref('int_events_screened') }}
    where quarantine_reason is not null
),

{# rows identical in all of these are copies of one delivery: numbering them keeps the key unique #}
with_occurrence as (
    select
        *,
        row_number() over (
            partition by source_table, event_id, row_fingerprint, loaded_at, event_at
            order by quarantine_reason
        ) as occurrence
    from screened
),

final as (
    select
        {{ dbt.hash(dbt.concat([
            "source_table", "'|'", "coalesce(event_id, '~')", "'|'", "row_fingerprint", "'|'",
            "coalesce(cast(loaded_at as " ~ dbt.type_string() ~ "), '~')", "'|'",
            "coalesce(cast(event_at as " ~ dbt.type_string() ~ "), '~')", "'|'",
            "cast(occurrence as " ~ dbt.type_string() ~ ")",
        ])) }} as quarantined_row_id,
        quarantine_reason,
        {{ journeys.select_list(journeys.canonical_event_columns()) }}
    from with_occurrence
)

select * from final
