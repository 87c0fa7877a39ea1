{{ config(materialized='view') }}

{#- Every raw event row that is not in the canonical stream, with the reason. -#}

with screened as (
    select * from {{ ref('int_events_screened') }}
),

final as (
    select
        raw_row_id,
        quarantine_reason,
        {{ journeys.select_list(journeys.canonical_event_columns()) }}
    from screened
    where quarantine_reason is not null
)

select * from final
