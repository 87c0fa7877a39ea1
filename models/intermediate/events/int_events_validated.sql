{{ config(materialized='view') }}

{#- The canonical event stream: one row per valid, de-duplicated event, whatever the source. Everything
    downstream reads only this model. -#}

with screened as (
    select * from {{ ref('int_events_screened') }}
),

final as (
    select
        {{ journeys.select_list(journeys.canonical_event_columns()) }}
    from screened
    where quarantine_reason is null
)

select * from final
