{#- Nothing is lost: for every enabled raw event table, its row count equals the rows it has in the
    canonical stream plus the rows it has in quarantine. Returns the tables that do not add up. -#}

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

validated_counts as (
    select
        source,
        source_table,
        count(*) as validated_rows
    from {{ ref('int_events_validated') }}
    group by source, source_table
),

quarantined_counts as (
    select
        source,
        source_table,
        count(*) as quarantined_rows
    from {{ ref('int_events_quarantined') }}
    group by source, source_table
),

final as (
    select
        raw_counts.source,
        raw_counts.source_table,
        raw_counts.raw_rows,
        coalesce(validated_counts.validated_rows, 0) as validated_rows,
        coalesce(quarantined_counts.quarantined_rows, 0) as quarantined_rows
    from raw_counts
    left join validated_counts
        on
            raw_counts.source = validated_counts.source
            and raw_counts.source_table = validated_counts.source_table
    left join quarantined_counts
        on
            raw_counts.source = quarantined_counts.source
            and raw_counts.source_table = quarantined_counts.source_table
)

select * from final
where raw_rows != validated_rows + quarantined_rows
