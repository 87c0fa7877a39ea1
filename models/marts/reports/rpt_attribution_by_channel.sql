{#- Attributed conversions and value per conversion name, attribution model and channel, with the channel's ad
    spend over the data's period when the ad spend source is on: rpt_attribution_by_campaign summed over the
    campaigns (the spend period and the rows of spend without credit are decided there, once). -#}

with campaigns as (
    select
        conversion_name,
        model,
        channel,
        conversions,
        attributed_value,
        spend
    from {{ ref('rpt_attribution_by_campaign') }}
),

by_channel as (
    select
        conversion_name,
        model,
        channel,
        sum(conversions) as conversions,
        sum(attributed_value) as attributed_value,
        sum(spend) as spend
    from campaigns
    group by
        conversion_name,
        model,
        channel
),

final as (
    select
        {{ dbt.concat(['conversion_name', "':'", 'model', "':'", 'channel']) }} as attribution_channel_id,
        conversion_name,
        model,
        channel,
        cast(conversions as {{ dbt.type_float() }}) as conversions,
        cast(attributed_value as {{ dbt.type_float() }}) as attributed_value,
        cast(spend as {{ dbt.type_float() }}) as spend,
        cast(case when conversions > 0 then spend / conversions end as {{ dbt.type_float() }}) as cost_per_conversion,
        cast(case when spend > 0 then attributed_value / spend end as {{ dbt.type_float() }}) as roas
    from by_channel
)

select * from final
