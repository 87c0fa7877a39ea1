{#- One row per path of int_attribution_path_steps: its channels joined with ' > ' in order, and its set of
    channels as a bit mask (bit i for the channel of int_attribution_channels.channel_bit), which the Shapley game
    compares with `&`. -#}

with steps as (
    select
        int_attribution_path_steps.conversion_name,
        int_attribution_path_steps.path_id,
        int_attribution_path_steps.is_conversion,
        int_attribution_path_steps.path_step,
        int_attribution_path_steps.path_length,
        int_attribution_path_steps.channel,
        int_attribution_channels.channel_bit
    from {{ ref('int_attribution_path_steps') }} as int_attribution_path_steps
    inner join {{ ref('int_attribution_channels') }} as int_attribution_channels
        on int_attribution_path_steps.channel = int_attribution_channels.channel
),

path_channels as (
    select distinct
        path_id,
        channel_bit
    from steps
),

channel_sets as (
    select
        path_id,
        sum(channel_bit) as channel_set,
        count(*) as channel_count
    from path_channels
    group by path_id
),

paths as (
    select
        conversion_name,
        path_id,
        is_conversion,
        max(path_length) as path_length,
        {{ journeys.ordered_string_agg('channel', ['path_step'], "' > '") }} as path  -- noqa: RF04
    from steps
    group by conversion_name, path_id, is_conversion
),

final as (
    select
        paths.conversion_name,
        paths.path_id,
        paths.is_conversion,
        paths.path,
        cast(paths.path_length as {{ dbt.type_bigint() }}) as path_length,
        cast(channel_sets.channel_set as {{ dbt.type_bigint() }}) as channel_set,
        cast(channel_sets.channel_count as {{ dbt.type_bigint() }}) as channel_count
    from paths
    inner join channel_sets
        on paths.path_id = channel_sets.path_id
)

select * from final
