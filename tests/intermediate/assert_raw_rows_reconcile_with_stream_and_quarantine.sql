{#- Nothing is lost: for every enabled raw event table, its row count equals the rows it has in the
    canonical stream plus the rows it has in quarantine. Returns the tables that do not add up. The stream and
    the quarantine are the two halves of int_events_screened (quarantine_reason NULL or not), so one scan of it
    counts both. -#}

with raw_counts as (
    {%- for source_name, table_name, _ in journeys.enabled_event_sources() %}
    select
        '{{ source_name }}' as source,
        '{{ table_name }}' as source_table,
        count(*) as raw_rows
    from {{ source(source_name, table_name) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
),

screened_counts as (
    select
        source,
        source_table,
        sum(case when quarantine_reason is null then 1 else 0 end) as validated_rows,
        sum(case when quarantine_reason is null then 0 else 1 end) as quarantined_rows
    from {{ ref('int_events_screened') }}
    group by source, source_table
),

final as (
    select
        raw_counts.source,
        raw_counts.source_table,
        raw_counts.raw_rows,
        coalesce(screened_counts.validated_rows, 0) as validated_rows,
        coalesce(screened_counts.quarantined_rows, 0) as quarantined_rows
    from raw_counts
    left join screened_counts
        on
            raw_counts.source = screened_counts.source
            and raw_counts.source_table = screened_counts.source_table
)

select * from final
where raw_rows != validated_rows + quarantined_rows
