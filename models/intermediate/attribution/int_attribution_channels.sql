{#- One row per channel on an attribution path, with its bit in the paths' channel sets (int_attribution_paths):
    2^(n - 1) for the n-th channel by name. A bigint holds 62 channels; a data test says so if there are more. -#}

with channels as (
    select distinct channel
    from {{ ref('int_attribution_path_steps') }}
),

final as (
    select
        channel,
        cast(row_number() over (order by channel) as {{ dbt.type_bigint() }}) as channel_number,
        cast(power(2, row_number() over (order by channel) - 1) as {{ dbt.type_bigint() }}) as channel_bit
    from channels
)

select * from final
